//! A bounded load test of the `serve` example on loopback: concurrent clients ask for the
//! candidates of the service's opportunities, a fixed number of requests in all, while writers
//! add and erase profiles; it reports requests per second and latency percentiles, and stops by
//! itself.
//!
//! ```text
//! cargo run --release --example synth -- --profiles 100000 --out target/pop-100k
//! cargo run --release --example serve -- --db target/pop-100k.sqlite --import target/pop-100k &
//! cargo run --release --example load -- --addr 127.0.0.1:8080
//! ```
//!
//! Only a loopback address is accepted: this is a test of the service on this machine.

#[path = "common/mod.rs"]
mod common;
#[path = "../tests/support/http.rs"]
mod http;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use common::AnyError;
use http::Client;
use serde_json::Value;

/// Measures the service under concurrent reads while profiles are added and erased.
#[derive(Parser)]
#[command(name = "load")]
struct Args {
    /// The running service (a loopback address).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Concurrent reading clients, each on its own kept-alive connection.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Candidate requests in all, shared among the clients.
    #[arg(long, default_value_t = 20_000)]
    requests: usize,
    /// Candidates asked for per request.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Writers adding and erasing profiles while the reads run (0: reads only).
    #[arg(long, default_value_t = 2)]
    writers: usize,
}

fn main() -> ExitCode {
    let args: Args = common::parse();
    if !args.addr.ip().is_loopback() {
        eprintln!("error: --addr: {} is not a loopback address", args.addr);
        return ExitCode::FAILURE;
    }
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("error: some requests failed");
            ExitCode::FAILURE
        }
        Err(e) => common::exit(Err(e)),
    }
}

/// What one thread measured.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    failures: usize,
}

fn run(args: &Args) -> Result<bool, AnyError> {
    let addr = args.addr.to_string();
    let mut c = Client::connect(&addr)?;
    let opportunities: Vec<String> =
        serde_json::from_str::<Value>(&c.get("/api/opportunities")?.body)?
            .as_array()
            .ok_or("no opportunity list")?
            .iter()
            .filter_map(|o| o["key"].as_str().map(String::from))
            .collect();
    let templates = templates(&mut c, &opportunities)?;
    println!(
        "{} clients, {} candidate requests (k = {}) over {} opportunities, {} writers",
        args.clients,
        args.requests,
        args.k,
        opportunities.len(),
        args.writers
    );
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..args.writers)
        .map(|w| {
            let (addr, stop, templates) = (addr.clone(), stop.clone(), templates.clone());
            std::thread::spawn(move || write(&addr, w, &templates, &stop))
        })
        .collect();
    let start = Instant::now();
    let opportunities = Arc::new(opportunities);
    let readers: Vec<_> = (0..args.clients)
        .map(|r| {
            let share =
                args.requests / args.clients + usize::from(r < args.requests % args.clients);
            let (addr, list, k) = (addr.clone(), opportunities.clone(), args.k);
            std::thread::spawn(move || read(&addr, r, share, &list, k))
        })
        .collect();
    let reads = join(readers)?;
    let elapsed = start.elapsed();
    stop.store(true, Ordering::SeqCst);
    let writes = join(writers)?;
    report("candidates", &reads, Some(elapsed));
    report("writes (add or erase)", &writes, None);
    Ok(reads.failures == 0 && writes.failures == 0)
}

/// Profile records to add, taken from the first candidates of a few opportunities.
fn templates(c: &mut Client, opportunities: &[String]) -> Result<Vec<Value>, AnyError> {
    let mut out = Vec::new();
    for o in opportunities.iter().take(8) {
        let top: Value = serde_json::from_str(
            &c.get(&format!("/api/opportunities/{o}/candidates?k=1"))?
                .body,
        )?;
        if let Some(key) = top[0]["profile_key"].as_str() {
            out.push(serde_json::from_str(
                &c.get(&format!("/api/profiles/{key}"))?.body,
            )?);
        }
    }
    if out.is_empty() {
        return Err("no profile to copy for the writers".into());
    }
    Ok(out)
}

fn read(addr: &str, r: usize, count: usize, opportunities: &[String], k: usize) -> Tally {
    let mut tally = Tally::default();
    let Ok(mut c) = Client::connect(addr) else {
        tally.failures = count;
        return tally;
    };
    for i in 0..count {
        let o = &opportunities[(r * 7 + i) % opportunities.len()];
        let t = Instant::now();
        match c.get(&format!("/api/opportunities/{o}/candidates?k={k}")) {
            Ok(reply) if reply.status == 200 => tally.latencies.push(t.elapsed()),
            _ => tally.failures += 1,
        }
    }
    tally
}

/// Adds a profile and erases it again, over and over, until told to stop.
fn write(addr: &str, w: usize, templates: &[Value], stop: &AtomicBool) -> Tally {
    let mut tally = Tally::default();
    let Ok(mut c) = Client::connect(addr) else {
        tally.failures = 1;
        return tally;
    };
    let mut i = 0;
    while !stop.load(Ordering::SeqCst) && i < 1_000_000 {
        let key = format!("load-{w}-{i}");
        let mut record = templates[i % templates.len()].clone();
        record["key"] = key.as_str().into();
        let body = record.to_string();
        let path = format!("/api/profiles/{key}");
        for (method, path, body) in [
            ("POST", "/api/profiles", Some(body.as_str())),
            ("DELETE", path.as_str(), None),
        ] {
            let t = Instant::now();
            match c.send(method, path, body) {
                Ok(reply) if reply.status < 300 => tally.latencies.push(t.elapsed()),
                _ => tally.failures += 1,
            }
        }
        i += 1;
    }
    tally
}

fn join(threads: Vec<std::thread::JoinHandle<Tally>>) -> Result<Tally, AnyError> {
    let mut all = Tally::default();
    for t in threads {
        let part = t.join().map_err(|_| "a client thread panicked")?;
        all.latencies.extend(part.latencies);
        all.failures += part.failures;
    }
    all.latencies.sort_unstable();
    Ok(all)
}

fn report(what: &str, tally: &Tally, elapsed: Option<Duration>) {
    let l = &tally.latencies;
    let rate = elapsed.map_or(String::new(), |e| {
        format!(
            " in {e:.2?}: {:.0} requests/s,",
            l.len() as f64 / e.as_secs_f64()
        )
    });
    println!(
        "{what}: {} answered{rate} p50 {:.2?}, p99 {:.2?}, max {:.2?}; {} failed",
        l.len(),
        common::percentile(l, 0.50),
        common::percentile(l, 0.99),
        l.last().copied().unwrap_or_default(),
        tally.failures
    );
}
