//! Every limit in `Limits`, exceeded: a typed error naming the limit and the record, and
//! nothing loaded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use diaspora_match::{Engine, Error, ErrorKind, Limits, MatchConfig, OpportunityId, io};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

/// A copy of the sample data with one file replaced.
fn sample_with(name: &str, file: &str, text: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "diaspora-match-limits-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    for f in [
        "profiles.jsonl",
        "opportunities.json",
        "nodes.csv",
        "ties.csv",
    ] {
        std::fs::copy(sample().join(f), d.join(f)).unwrap();
    }
    std::fs::write(d.join(file), text).unwrap();
    d
}

fn load(dir: &Path, limits: Limits) -> Result<diaspora_match::Dataset, Error> {
    io::Loader::new(common::reference())
        .limits(limits)
        .load(dir)
        .map(|l| l.dataset)
}

/// The limit's name, its value and where, from a `Limit` error.
fn limit(e: Error) -> (&'static str, u64, diaspora_match::Location) {
    match e.into_kind() {
        ErrorKind::Limit { limit, max, at } => (limit, max, at),
        other => panic!("expected a limit error, got {other}"),
    }
}

#[test]
fn file_bytes_are_counted_while_reading() {
    let e = load(
        &sample(),
        Limits {
            file_bytes: 10_000,
            ..Limits::default()
        },
    )
    .unwrap_err();
    let msg = e.to_string();
    let (name, max, at) = limit(e);
    assert_eq!((name, max), ("file_bytes", 10_000));
    assert!(at.file.unwrap().ends_with("profiles.jsonl"));
    // The limit falls inside a line: the error names that line, not a parse error.
    assert!(at.line.unwrap() > 1, "{msg}");
}

#[test]
fn records_per_file() {
    let (name, max, at) = limit(
        load(
            &sample(),
            Limits {
                records: 10,
                ..Limits::default()
            },
        )
        .unwrap_err(),
    );
    assert_eq!((name, max, at.line), ("records", 10, Some(11)));
}

#[test]
fn long_strings_are_refused_before_fuzzy_matching() {
    let text = std::fs::read_to_string(sample().join("profiles.jsonl")).unwrap();
    let long = "x".repeat(100_000);
    let text = text.replacen("\"Active Listening\"", &format!("\"{long}\""), 1);
    let d = sample_with("long-skill", "profiles.jsonl", &text);
    let e = load(&d, Limits::default()).unwrap_err();
    let msg = e.to_string();
    let (name, max, at) = limit(e);
    assert_eq!((name, max), ("string_chars", 256));
    assert!(at.key.is_some() && at.line.is_some());
    // The message names the record, never the text.
    assert!(!msg.contains("xxxxxxxx"), "{msg}");
    // A long key is refused without being repeated either.
    let text = std::fs::read_to_string(sample().join("profiles.jsonl")).unwrap();
    let text = text.replacen("\"p-000000\"", &format!("\"{long}\""), 1);
    let d = sample_with("long-key", "profiles.jsonl", &text);
    let e = load(&d, Limits::default()).unwrap_err();
    assert!(!e.to_string().contains("xxxxxxxx"));
    assert_eq!(limit(e).2.line, Some(1));
}

#[test]
fn skills_requirements_and_ties() {
    let (name, _, at) = limit(
        load(
            &sample(),
            Limits {
                skills_per_profile: 3,
                ..Limits::default()
            },
        )
        .unwrap_err(),
    );
    assert_eq!(name, "skills_per_profile");
    assert!(at.key.unwrap().starts_with("p-"));

    let (name, _, at) = limit(
        load(
            &sample(),
            Limits {
                requirements_per_opportunity: 2,
                ..Limits::default()
            },
        )
        .unwrap_err(),
    );
    assert_eq!(name, "requirements_per_opportunity");
    assert!(at.file.unwrap().ends_with("opportunities.json"));
    assert!(at.key.unwrap().starts_with("o-"));

    let (name, max, at) = limit(
        load(
            &sample(),
            Limits {
                ties_per_node: 2,
                ..Limits::default()
            },
        )
        .unwrap_err(),
    );
    assert_eq!((name, max), ("ties_per_node", 2));
    assert!(at.file.unwrap().ends_with("ties.csv"));
    assert!(at.line.is_some() && at.key.is_some());
}

#[test]
fn hops_and_k_in_the_engine() {
    let data = io::load_dataset(sample(), common::reference()).unwrap();
    let config = MatchConfig {
        network_max_hops: 4,
        ..MatchConfig::default()
    };
    let strict = Limits {
        hops: 3,
        k: 50,
        skills_per_profile: 5,
        ..Limits::default()
    };
    let e = Engine::builder(data.clone())
        .config(config)
        .limits(strict)
        .build()
        .unwrap_err();
    assert_eq!(limit(e).0, "hops");
    let e = Engine::builder(data.clone())
        .limits(strict)
        .build()
        .unwrap_err();
    assert_eq!(limit(e).0, "skills_per_profile");
    let engine = Engine::builder(data)
        .limits(Limits {
            k: 50,
            ..Limits::default()
        })
        .build()
        .unwrap();
    let o = OpportunityId::new(0);
    // Within the limit: the same list as the brute force (all eligible pairs, up to 50).
    assert_eq!(
        engine.candidates(o, 50).unwrap(),
        engine.candidates_brute_force(o, 50).unwrap()
    );
    assert_eq!(limit(engine.candidates(o, 51).unwrap_err()).0, "k");
    assert_eq!(
        limit(engine.candidates_brute_force(o, 51).unwrap_err()).0,
        "k"
    );
    assert_eq!(limit(engine.match_all(51).unwrap_err()).0, "k");
}

#[test]
fn limits_beyond_the_structures_are_refused() {
    for bad in [
        Limits {
            skills_per_profile: 256,
            ..Limits::default()
        },
        Limits {
            requirements_per_opportunity: 300,
            ..Limits::default()
        },
        Limits {
            hops: 7,
            ..Limits::default()
        },
    ] {
        assert!(bad.validate().is_err());
        assert!(load(&sample(), bad).is_err());
    }
    let l: Limits = serde_json::from_str(r#"{"k": 10}"#).unwrap();
    assert_eq!(l.k, 10);
    assert_eq!(l.records, Limits::default().records);
}

/// Every string of a record is bounded before anything reads it: a 300 KB opportunity
/// country never reaches the fuzzy country suggestion, a long code of a profile never reaches its
/// parser, and a title has its own, larger bound.
#[test]
fn every_string_is_bounded_before_any_work() {
    let text = std::fs::read_to_string(sample().join("opportunities.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Under the record's own limit (`record_bytes`), far over the string's.
    let huge = "G".repeat(300_000);
    for (field, value, expected) in [
        ("country", huge.clone(), "string_chars"),
        ("host", huge.clone(), "string_chars"),
        ("engagement", huge, "string_chars"),
        ("title", "t".repeat(10_000), "text_chars"),
    ] {
        let mut v = v.clone();
        v[0][field] = serde_json::Value::String(value);
        let d = sample_with(
            &format!("long-{field}"),
            "opportunities.json",
            &v.to_string(),
        );
        let e = load(&d, Limits::default()).unwrap_err();
        assert!(
            e.to_string().len() < 400,
            "{field}: {} bytes",
            e.to_string().len()
        );
        let (name, _, at) = limit(e);
        assert_eq!(name, expected, "{field}");
        assert_eq!((at.index, at.key.is_some()), (Some(0), true), "{field}");
    }
    let text = std::fs::read_to_string(sample().join("profiles.jsonl")).unwrap();
    let first = text.lines().next().unwrap();
    let mut p: serde_json::Value = serde_json::from_str(first).unwrap();
    // Under the line's own limit (`record_bytes`), over the string's.
    p["residence"] = serde_json::Value::String("G".repeat(300_000));
    let text = text.replacen(first, &p.to_string(), 1);
    let d = sample_with("long-residence", "profiles.jsonl", &text);
    let (name, _, at) = limit(load(&d, Limits::default()).unwrap_err());
    assert_eq!((name, at.line), ("string_chars", Some(1)));
}

/// Limits are applied while reading, not after: a profile line, a CSV line or an element of
/// the opportunities array longer than `record_bytes` is refused by its length (at its line
/// or index) before it is held whole; bytes that are not UTF-8 name their line; an
/// opportunities array is refused at the first record past `records`, before the rest is
/// parsed.
#[test]
fn limits_are_applied_while_reading() {
    let text = std::fs::read_to_string(sample().join("profiles.jsonl")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[4] = format!(
        "{{\"key\":\"p-x\",\"skills\":[{}]}}",
        "{\"skill\":\"Python\"},".repeat(400_000)
    );
    let d = sample_with("long-line", "profiles.jsonl", &(lines.join("\n") + "\n"));
    let (name, max, at) = limit(load(&d, Limits::default()).unwrap_err());
    assert_eq!((name, max, at.line), ("record_bytes", 1 << 20, Some(5)));

    let mut bytes = text.clone().into_bytes();
    let third = text.lines().take(2).map(|l| l.len() + 1).sum::<usize>() + 10;
    bytes[third] = 0xFF;
    let d = sample_with("bad-utf8", "profiles.jsonl", "");
    std::fs::write(d.join("profiles.jsonl"), &bytes).unwrap();
    let e = load(&d, Limits::default()).unwrap_err();
    match e.kind() {
        ErrorKind::Syntax { at, message } => {
            assert_eq!(at.line, Some(3), "{e}");
            assert!(message.contains("UTF-8"), "{e}");
        }
        other => panic!("{other}"),
    }

    // A CSV line is bounded the same way, as its bytes pass.
    let ties = std::fs::read_to_string(sample().join("ties.csv")).unwrap();
    let long = format!("{ties}p-000001,{},family,0.5\n", "x".repeat(2 << 20));
    let d = sample_with("long-csv-line", "ties.csv", &long);
    let (name, _, at) = limit(load(&d, Limits::default()).unwrap_err());
    assert_eq!(
        (name, at.line),
        ("record_bytes", Some(ties.lines().count() as u64 + 1))
    );

    // An element of the opportunities array is bounded as its bytes are read.
    let json = std::fs::read_to_string(sample().join("opportunities.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v[1]["title"] = serde_json::Value::String("t".repeat(2 << 20));
    let d = sample_with("long-element", "opportunities.json", &v.to_string());
    let (name, _, at) = limit(load(&d, Limits::default()).unwrap_err());
    assert_eq!((name, at.index), ("record_bytes", Some(1)));

    // Three profiles, two nodes, no ties: only the opportunities pass three records.
    let few: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
    let d = sample_with("many-opportunities", "profiles.jsonl", &few);
    let nodes = std::fs::read_to_string(sample().join("nodes.csv")).unwrap();
    let nodes: String = nodes.lines().take(3).map(|l| format!("{l}\n")).collect();
    std::fs::write(d.join("nodes.csv"), nodes).unwrap();
    std::fs::write(d.join("ties.csv"), "from,to,kind,strength\n").unwrap();
    let opportunities = std::fs::read_to_string(d.join("opportunities.json")).unwrap();
    assert!(
        serde_json::from_str::<Vec<serde_json::Value>>(&opportunities)
            .unwrap()
            .len()
            > 3
    );
    let strict = Limits {
        records: 3,
        ..Limits::default()
    };
    let (name, max, at) = limit(load(&d, strict).unwrap_err());
    assert!(at.file.unwrap().ends_with("opportunities.json"));
    assert_eq!((name, max, at.index), ("records", 3, Some(3)));
}
