//! The `serve` example as a client sees it: its answers, its errors, and no acknowledged change
//! lost when the process is killed and started again on the same database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/http.rs"]
mod http;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use http::{Client, Server};
use serde_json::Value;

/// A new database path of this test's own (its folder is removed by [`clean`]).
fn db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dm-serve-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("serve.sqlite")
}

fn clean(db: &std::path::Path) {
    if let Some(dir) = db.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn start(db: &std::path::Path) -> Server {
    Server::start(&["--db", db.to_str().unwrap()]).unwrap()
}

fn json(reply: &http::Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body))
}

/// A sample profile's record under another key (and, for `variant`, another person's skills).
fn record(c: &mut Client, like: &str, key: &str, skills_of: Option<&str>) -> String {
    let mut r = json(&c.get(&format!("/api/profiles/{like}")).unwrap());
    r["key"] = key.into();
    if let Some(other) = skills_of {
        r["skills"] = json(&c.get(&format!("/api/profiles/{other}")).unwrap())["skills"].clone();
    }
    r.to_string()
}

/// The top 10 of an opportunity as (key, score) pairs.
fn top(c: &mut Client, opportunity: &str) -> Vec<(String, f64)> {
    let reply = c
        .get(&format!("/api/opportunities/{opportunity}/candidates?k=10"))
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    json(&reply)
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["profile_key"].as_str().unwrap().to_string(),
                m["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn answers_and_errors_are_json_with_the_right_status() {
    let path = db("answers");
    let server = start(&path);
    let mut c = server.client().unwrap();
    let list = json(&c.get("/api/opportunities").unwrap());
    assert_eq!(list.as_array().unwrap().len(), 50);
    let first = top(&mut c, "o-0001");
    assert!(first.len() >= 3, "{first:?}");
    assert!(first.windows(2).all(|w| w[0].1 >= w[1].1), "{first:?}");

    let q = format!("profile={}&opportunity=o-0001", first[0].0);
    let why = json(&c.get(&format!("/api/explain?{q}")).unwrap());
    assert_eq!(why["profile_key"], first[0].0.as_str());
    assert_eq!(why["score"].as_f64().unwrap(), first[0].1);
    let dot = c.get(&format!("/api/path?{q}&format=dot")).unwrap();
    assert!(dot.body.starts_with("graph referrals {"), "{}", dot.body);
    let resolved = json(&c.get("/api/resolve?name=bookkeeping").unwrap());
    assert_eq!(resolved["resolved"]["label"], "accounting", "{resolved}");
    // The other direction: the person's best opportunities include this one, at this score.
    let theirs = json(
        &c.get(&format!("/api/profiles/{}/opportunities?k=50", first[0].0))
            .unwrap(),
    );
    let mine = theirs
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["opportunity_key"] == "o-0001");
    assert_eq!(
        mine.unwrap()["score"].as_f64().unwrap(),
        first[0].1,
        "{theirs}"
    );
    // A placement: every placed pair is an acceptable pair, each person placed once.
    let placed = c
        .send("POST", "/api/placement", Some(r#"{"algorithm":"optimal"}"#))
        .unwrap();
    assert_eq!(placed.status, 200, "{}", placed.body);
    let placements = json(&placed)["placements"].as_array().unwrap().clone();
    assert!(!placements.is_empty());
    let people: std::collections::HashSet<_> = placements
        .iter()
        .map(|p| p["profile_key"].clone())
        .collect();
    assert_eq!(people.len(), placements.len());
    assert!(
        placements
            .iter()
            .all(|p| p["score"].as_f64().unwrap() > 0.0)
    );
    let reply = c
        .send("POST", "/api/placement", Some(r#"{"algorithm":"fair"}"#))
        .unwrap();
    assert_eq!(
        (reply.status, json(&reply)["error"]["field"].clone()),
        (400, "algorithm".into())
    );

    for (path, status, field) in [
        ("/api/opportunities/o-none/candidates", 404, Value::Null),
        (
            "/api/opportunities/o-0001/candidates?k=zero",
            400,
            "k".into(),
        ),
        (
            "/api/opportunities/o-0001/candidates?top=3",
            400,
            "top".into(),
        ),
        ("/api/explain?profile=p-000001", 400, "opportunity".into()),
        ("/api/profiles/p-none", 404, Value::Null),
        ("/nowhere", 404, Value::Null),
    ] {
        let reply = c.get(path).unwrap();
        assert_eq!(reply.status, status, "{path}: {}", reply.body);
        assert_eq!(json(&reply)["error"]["field"], field, "{path}");
    }
    let bad = r#"{"key":"p-bad","origins":[{"country":"XX"}]}"#;
    let reply = c.send("POST", "/api/profiles", Some(bad)).unwrap();
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(json(&reply)["error"]["field"], "origins[0].country");
    let reply = c.send("POST", "/api/profiles", Some("{\"key\":")).unwrap();
    assert_eq!(
        (reply.status, json(&reply)["error"]["kind"].clone()),
        (400, "syntax".into())
    );
    let big = format!("{{\"key\":\"{}\"}}", "x".repeat(2 << 20));
    let reply = c.send("POST", "/api/profiles", Some(&big)).unwrap();
    assert_eq!(reply.status, 413, "{}", reply.body);
    // The service answers before reading such a body, and closes the connection.
    let mut c = server.client().unwrap();
    let taken = record(&mut c, "p-000001", "p-000002", None);
    let reply = c.send("POST", "/api/profiles", Some(&taken)).unwrap();
    assert_eq!(reply.status, 409, "{}", reply.body);
    // Nothing refused reached the database: a restart has the same 300 profiles.
    server.kill();
    let server = start(&path);
    assert!(
        server.started.iter().any(|l| l.starts_with("300 profiles")),
        "{:?}",
        server.started
    );
    server.kill();
    clean(&path);
}

#[test]
fn a_restart_keeps_every_change_and_the_same_answers() {
    let path = db("restart");
    let server = start(&path);
    let mut c = server.client().unwrap();
    let mut expected: HashMap<String, Option<Value>> = HashMap::new();
    for i in 0..20 {
        let key = format!("t-{i:03}");
        let body = record(&mut c, &format!("p-{:06}", 10 + i), &key, None);
        let reply = c.send("POST", "/api/profiles", Some(&body)).unwrap();
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    for i in 0..10 {
        let key = format!("t-{i:03}");
        let body = record(&mut c, &key, &key, Some(&format!("p-{:06}", 100 + i)));
        let reply = c
            .send("PUT", &format!("/api/profiles/{key}"), Some(&body))
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    for key in ["t-015", "t-016", "p-000040", "p-000041", "p-000042"] {
        let reply = c
            .send("DELETE", &format!("/api/profiles/{key}"), None)
            .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    for key in (0..20)
        .map(|i| format!("t-{i:03}"))
        .chain(["p-000040".into(), "p-000005".into()])
    {
        let reply = c.get(&format!("/api/profiles/{key}")).unwrap();
        expected.insert(key, (reply.status == 200).then(|| json(&reply)));
    }
    let before: Vec<_> = ["o-0001", "o-0010", "o-0042"]
        .map(|o| top(&mut c, o))
        .into();
    server.kill();

    // The database changed since the engine was saved: it is built again, then saved; with no
    // change since, the next start opens the saved engine. Both answer as before the kill.
    for how in ["built from the database", "opened "] {
        let server = start(&path);
        let mut c = server.client().unwrap();
        let line = "315 profiles, 50 opportunities, ";
        let started = server.started.iter().find(|l| l.starts_with(line));
        assert!(
            started.is_some_and(|l| l.contains(&format!("({how}"))),
            "{:?}",
            server.started
        );
        for (key, want) in &expected {
            let reply = c.get(&format!("/api/profiles/{key}")).unwrap();
            assert_eq!((reply.status == 200).then(|| json(&reply)), *want, "{key}");
        }
        let after: Vec<_> = ["o-0001", "o-0010", "o-0042"]
            .map(|o| top(&mut c, o))
            .into();
        assert_eq!(before, after, "{how}");
        server.kill();
    }
    clean(&path);
}

/// What one writer knows of its key: the last state the service acknowledged, and the state
/// of a change sent but not answered when the service died.
struct Known {
    acked: Option<Value>,
    in_flight: Option<Option<Value>>,
}

/// Writers add, update and erase their own profiles as fast as the service answers; the
/// service is killed under them; every change it acknowledged must be there after a restart.
#[test]
fn a_kill_under_load_loses_no_acknowledged_change() {
    let path = db("kill");
    let server = start(&path);
    let mut c = server.client().unwrap();
    let templates: Vec<String> = (0..8)
        .map(|i| record(&mut c, &format!("p-{:06}", 20 * i), "x", None))
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (addr, stop, templates) = (server.addr.clone(), stop.clone(), templates.clone());
            std::thread::spawn(move || write_until_stopped(&addr, w, &templates, &stop))
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    server.kill();
    stop.store(true, Ordering::SeqCst);
    let known: Vec<(String, Known)> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let acked = known.iter().filter(|(_, k)| k.acked.is_some()).count();
    assert!(
        acked >= 8,
        "only {acked} profiles were acknowledged before the kill"
    );

    let server = start(&path);
    let mut c = server.client().unwrap();
    for (key, k) in &known {
        let reply = c.get(&format!("/api/profiles/{key}")).unwrap();
        let now = (reply.status == 200).then(|| json(&reply));
        let ok = now == k.acked || k.in_flight.as_ref().is_some_and(|f| *f == now);
        assert!(ok, "{key}: now {now:?}, acknowledged {:?}", k.acked);
    }
    server.kill();
    clean(&path);
}

/// One writer's loop: add a profile, update it, sometimes erase it; returns what it knows.
fn write_until_stopped(
    addr: &str,
    w: usize,
    templates: &[String],
    stop: &AtomicBool,
) -> Vec<(String, Known)> {
    let mut c = Client::connect(addr).unwrap();
    let mut known = Vec::new();
    for i in 0.. {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let key = format!("w{w}-{i:05}");
        let mut k = Known {
            acked: None,
            in_flight: None,
        };
        let mut steps: Vec<(&str, Option<String>)> = Vec::new();
        let mut add: Value = serde_json::from_str(&templates[i % templates.len()]).unwrap();
        add["key"] = key.as_str().into();
        let mut update: Value =
            serde_json::from_str(&templates[(i + 3) % templates.len()]).unwrap();
        update["key"] = key.as_str().into();
        steps.push(("POST", Some(add.to_string())));
        steps.push(("PUT", Some(update.to_string())));
        if i % 3 == 0 {
            steps.push(("DELETE", None));
        }
        for (method, body) in steps {
            // The templates are records as the service gives them back, so what a GET returns
            // after the change is the body itself (nothing after an erasure).
            let target: Option<Value> = body.as_deref().map(|b| serde_json::from_str(b).unwrap());
            let path = if method == "POST" {
                "/api/profiles".to_string()
            } else {
                format!("/api/profiles/{key}")
            };
            match c.send(method, &path, body.as_deref()) {
                Ok(reply) if reply.status < 300 => k.acked = target,
                Ok(reply) => panic!("{method} {key}: {} {}", reply.status, reply.body),
                Err(_) => {
                    k.in_flight = Some(target);
                    known.push((key, k));
                    return known;
                }
            }
        }
        known.push((key, k));
    }
    known
}

/// An erased person leaves no byte of their record in the database, its log or the saved
/// engine.
#[test]
fn an_erasure_leaves_no_trace_in_the_database_files() {
    let path = db("erase");
    let server = start(&path);
    let mut c = server.client().unwrap();
    let marker = "Zq7xVerySpecificMarkerSkill";
    let key = format!("t-{marker}");
    let body = record(&mut c, "p-000010", &key, None);
    let reply = c.send("POST", "/api/profiles", Some(&body)).unwrap();
    assert_eq!(reply.status, 201, "{}", reply.body);
    let files = || {
        let dir = path.parent().unwrap();
        std::fs::read_dir(dir)
            .unwrap()
            .map(|f| std::fs::read(f.unwrap().path()).unwrap())
            .collect::<Vec<_>>()
    };
    let holds = |bytes: &[u8]| bytes.windows(marker.len()).any(|w| w == marker.as_bytes());
    assert!(
        files().iter().any(|f| holds(f)),
        "the marker was never written"
    );
    let reply = c
        .send("DELETE", &format!("/api/profiles/{key}"), None)
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        !files().iter().any(|f| holds(f)),
        "the erased key is still in a database file"
    );
    // A person who was in the engine saved at the start: not in any file after the erasure
    // either (the saved engine goes with the first change).
    let sample = "p-000010";
    let holds = |bytes: &[u8]| bytes.windows(sample.len()).any(|w| w == sample.as_bytes());
    assert!(files().iter().any(|f| holds(f)));
    let reply = c
        .send("DELETE", &format!("/api/profiles/{sample}"), None)
        .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        !files().iter().any(|f| holds(f)),
        "{sample} is still in a file"
    );
    server.kill();
    clean(&path);
}
