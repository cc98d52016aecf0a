//! A small blocking HTTP/1.1 client on one kept-alive connection, and a way to start the
//! `serve` example and find its port: enough for the service's tests (`tests/serve.rs`,
//! `tests/page.rs`) and the load client (`examples/load.rs`, which includes this file by
//! path), without an HTTP client crate. Loopback only: it speaks to the service it started or
//! was pointed at.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

/// One connection to the service.
pub struct Client {
    stream: BufReader<TcpStream>,
    addr: String,
}

/// A response: its status and its body as text.
#[derive(Debug)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The body.
    pub body: String,
}

impl Client {
    /// Connects to `addr` (`127.0.0.1:PORT`).
    pub fn connect(addr: &str) -> std::io::Result<Client> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        Ok(Client {
            stream: BufReader::new(stream),
            addr: addr.to_string(),
        })
    }

    /// Sends one request and reads its response (which must say its length, as the service's
    /// do).
    pub fn send(&mut self, method: &str, path: &str, body: Option<&str>) -> std::io::Result<Reply> {
        let body = body.unwrap_or("");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            self.addr,
            body.len()
        );
        let stream = self.stream.get_mut();
        let sent = stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body.as_bytes()));
        match sent {
            Ok(()) => self.read_reply(),
            // A service may answer (413) and close before it has read the whole body.
            Err(e) => self.read_reply().map_err(|_| e),
        }
    }

    fn read_reply(&mut self) -> std::io::Result<Reply> {
        let mut line = String::new();
        if self.stream.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid(format!("status line {line:?}")))?;
        let mut length = None;
        loop {
            line.clear();
            if self.stream.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let length = length.ok_or_else(|| invalid("a response without content-length".into()))?;
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body)?;
        let body = String::from_utf8(body).map_err(|_| invalid("a body not UTF-8".into()))?;
        Ok(Reply { status, body })
    }

    /// `GET path`.
    pub fn get(&mut self, path: &str) -> std::io::Result<Reply> {
        self.send("GET", path, None)
    }
}

fn invalid(what: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what)
}

/// A running `serve` example, killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// What it printed before it listened.
    pub started: Vec<String>,
    _stdout: BufReader<ChildStdout>,
}

/// The `serve` example's executable, built first by cargo when this runs under cargo (a
/// test may be run alone, and `cargo test --test NAME` builds no example), else the one
/// beside the running program (the load client's, in `target/<profile>/examples`).
pub fn serve_executable() -> std::io::Result<PathBuf> {
    match std::env::var_os("CARGO") {
        Some(cargo) => build_serve(&cargo),
        None => {
            let exe = std::env::current_exe()?;
            let dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
            Ok(dir.join(format!("serve{}", std::env::consts::EXE_SUFFIX)))
        }
    }
}

/// `cargo build --example serve`, reading the executable's path from cargo's messages.
fn build_serve(cargo: &std::ffi::OsStr) -> std::io::Result<PathBuf> {
    let out = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "build",
            "--quiet",
            "--example",
            "serve",
            "--message-format=json",
        ])
        .stderr(Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(invalid("cargo build --example serve failed".into()));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["target"]["name"] == "serve")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| invalid("cargo named no serve executable".into()))
}

impl Server {
    /// Starts `serve` with `args` on a free loopback port and waits until it listens.
    pub fn start(args: &[&str]) -> std::io::Result<Server> {
        let exe = serve_executable()?;
        let mut child = Command::new(&exe)
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", exe.display())))?;
        let mut stdout = BufReader::new(
            child
                .stdout
                .take()
                .ok_or_else(|| invalid("no stdout".into()))?,
        );
        let mut started = Vec::new();
        loop {
            let mut line = String::new();
            if stdout.read_line(&mut line)? == 0 {
                let _ = child.wait();
                return Err(invalid(format!(
                    "serve stopped before it listened: {started:?}"
                )));
            }
            if let Some(addr) = line.trim().strip_prefix("listening on http://") {
                return Ok(Server {
                    child,
                    addr: addr.to_string(),
                    started,
                    _stdout: stdout,
                });
            }
            started.push(line.trim().to_string());
        }
    }

    /// A new connection to it.
    pub fn client(&self) -> std::io::Result<Client> {
        Client::connect(&self.addr)
    }

    /// Kills it at once (SIGKILL on Unix): no shutdown, no flush.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
