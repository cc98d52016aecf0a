//! The `serve` example's page in a real browser: headless Chromium loads it against the running
//! service, and the candidate table it draws must hold the service's own ranking.
//!
//! Ignored by a plain `cargo test` (it needs Chromium, which `.ci/run` installs from the
//! distribution's packages and then runs this with `--ignored`). `CHROMIUM` names another
//! browser binary; `PAGE_SCREENSHOT=FILE.png` also saves a picture of the page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/http.rs"]
mod http;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The opportunity the test opens: one whose best candidate has a referral path to the host.
const OPPORTUNITY: &str = "o-0001";

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Runs headless Chromium on `url` with `extra` arguments (`--dump-dom`, `--screenshot=…`),
/// letting the page's requests finish first; returns what it printed.
fn browse(url: &str, profile_dir: &Path, extra: &[&str]) -> String {
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1400,1000",
            "--virtual-time-budget=20000",
        ])
        .arg(format!("--user-data-dir={}", profile_dir.display()))
        .args(extra)
        .arg(url)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e} (install chromium)", chromium().display()));
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The values of `attribute` on the page's elements, in document order.
fn attribute_values<'a>(dom: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!("{attribute}=\"");
    dom.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &dom[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
#[ignore = "needs Chromium: .ci/run installs it and runs this test"]
fn the_page_shows_the_services_ranking_in_a_real_browser() {
    let dir = std::env::temp_dir().join(format!("dm-page-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("serve.sqlite");
    let server = http::Server::start(&["--db", db.to_str().unwrap()]).unwrap();
    let mut c = server.client().unwrap();
    let reply = c
        .get(&format!("/api/opportunities/{OPPORTUNITY}/candidates?k=10"))
        .unwrap();
    let top: Value = serde_json::from_str(&reply.body).unwrap();
    let keys: Vec<&str> = top
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["profile_key"].as_str().unwrap())
        .collect();
    assert!(keys.len() >= 3, "{top}");
    let path_reply = c
        .get(&format!(
            "/api/path?profile={}&opportunity={OPPORTUNITY}",
            keys[0]
        ))
        .unwrap();
    let path: Value = serde_json::from_str(&path_reply.body).unwrap();

    let url = format!("http://{}/?opportunity={OPPORTUNITY}", server.addr);
    let dom = browse(&url, &dir.join("browser"), &["--dump-dom"]);
    assert!(
        dom.contains(&format!("data-shown=\"{OPPORTUNITY}\"")),
        "the page did not finish:\n{dom}"
    );
    assert!(!dom.contains("<table id=\"candidates\" hidden"), "{dom}");
    // One row per candidate, in the service's order: the right first candidate, and the rest.
    assert_eq!(attribute_values(&dom, "data-profile"), keys, "{dom}");
    // One bar per score component in every row.
    let bars = attribute_values(&dom, "data-component");
    assert_eq!(bars.len(), keys.len() * 7, "{bars:?}");
    // The first candidate's referral path is drawn: one circle per node of the path.
    let first_row = dom.split("data-profile=").nth(1).unwrap();
    let first_row = first_row.split("</tr>").next().unwrap();
    let nodes = path["nodes"].as_array().map_or(0, Vec::len);
    assert!(
        nodes >= 2,
        "o-0001's best candidate has no path in the sample: {path}"
    );
    assert_eq!(first_row.matches("<circle").count(), nodes, "{first_row}");
    for node in path["nodes"].as_array().unwrap() {
        assert!(
            first_row.contains(node["key"].as_str().unwrap()),
            "{first_row}"
        );
    }

    if let Some(file) = std::env::var_os("PAGE_SCREENSHOT") {
        let arg = format!("--screenshot={}", PathBuf::from(file).display());
        browse(&url, &dir.join("browser"), &[&arg]);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
