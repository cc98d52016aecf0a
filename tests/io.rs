//! Loading and writing: every kind of bad input gives its typed error naming file, record and
//! field; nothing is half-loaded; datasets round-trip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use diaspora_match::{Engine, Error, ErrorKind, MatchKind, OpportunityId, io};

const PROFILES: &str = r#"{"key":"p-1","skills":[{"skill":"Python","level":4,"years":6},{"skill":"use electronic health records in nursing"}],"origins":[{"country":"GH","generation":1}],"residence":"GB","languages":[{"language":"en","level":"C2"},{"language":"tw","level":"native"}],"engagements":["remote","return_temporary"],"available":{"from":"2027-01-01","to":"2027-06-30"},"intermediary":true}
{"key":"p-2","skills":[{"skill":"Java (computer programming)","level":3}],"origins":[{"country":"NGA","generation":2}],"languages":[{"language":"en","level":"B2"}],"engagements":["remote"]}
"#;
const OPPORTUNITIES: &str = r#"[{"key":"o-1","title":"Data systems mentor, Ghana Health Service","host":"org-ghs","country":"GH","engagement":"remote","requirements":[{"skill":"Python","weight":2.0,"min_level":3,"must":false},{"skill":"use electronic health records in nursing","weight":1.0}],"languages":[{"language":"en","level":"B2"}],"capacity":2,"window":{"from":"2027-02-01","to":"2027-05-31"}}]
"#;
const NODES: &str = "key,kind,intermediary\norg-ghs,organisation,false\nc-1,person,true\n";
const TIES: &str = "from,to,kind,strength\np-1,c-1,alumni,0.8\nc-1,org-ghs,organisational,0.9\np-2,p-1,community,0.5\n";

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("diaspora-match-io-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Writes the base dataset with some files replaced, and loads it.
fn load_with(name: &str, replace: &[(&str, &str)]) -> Result<diaspora_match::Dataset, Error> {
    let d = dir(name);
    for (file, text) in [
        ("profiles.jsonl", PROFILES),
        ("opportunities.json", OPPORTUNITIES),
        ("nodes.csv", NODES),
        ("ties.csv", TIES),
    ] {
        let text = replace.iter().find(|r| r.0 == file).map_or(text, |r| r.1);
        std::fs::write(d.join(file), text).unwrap();
    }
    let out = io::load_dataset(&d, common::reference());
    let _ = std::fs::remove_dir_all(&d);
    out
}

fn profiles_with(line: &str) -> String {
    format!("{}{line}\n", PROFILES)
}

fn opportunity_with(field: &str, value: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(OPPORTUNITIES).unwrap();
    let pointer = format!("/0/{}", field.replace('.', "/"));
    *v.pointer_mut(&pointer).unwrap() = serde_json::from_str(value).unwrap();
    v.to_string()
}

/// Asserts a field error: where, which field, and whether the value is shown.
fn assert_field(e: &Error, file: &str, key: Option<&str>, field: &str) {
    match e.kind() {
        ErrorKind::Field { at, field: f, .. } => {
            assert!(at.file.as_ref().unwrap().ends_with(file), "{e}");
            assert_eq!(at.key.as_deref(), key, "{e}");
            assert_eq!(f, field, "{e}");
        }
        _ => panic!("expected a field error, got {e}"),
    }
}

#[test]
fn the_base_dataset_loads_and_matches() {
    let d = load_with("base", &[]).unwrap();
    assert_eq!(
        (
            d.profiles.len(),
            d.opportunities.len(),
            d.network.node_count(),
            d.network.tie_count()
        ),
        (2, 1, 4, 3)
    );
    let engine = Engine::builder(d).build().unwrap();
    let top = engine.candidates(OpportunityId::new(0), 5).unwrap();
    // p-2's Java gets sibling credit for Python (both under ESCO's "computer programming",
    // the O*NET technology "Python" being bridged to ESCO's Python): listed second.
    assert_eq!(
        top.iter().map(|m| m.profile.index()).collect::<Vec<_>>(),
        [0, 1]
    );
    let path = engine
        .referral_path(top[0].profile, OpportunityId::new(0))
        .unwrap()
        .unwrap();
    assert_eq!(
        engine.network().describe(&path),
        "p-1 -(alumni 0.80)- c-1 -(organisational 0.90)- org-ghs"
    );
}

#[test]
fn malformed_and_truncated_json_name_the_line() {
    let e = load_with(
        "malformed",
        &[(
            "profiles.jsonl",
            &profiles_with(r#"{"key":"p-3","skills":[}"#),
        )],
    )
    .unwrap_err();
    match e.kind() {
        ErrorKind::Syntax { at, .. } => assert_eq!(at.line, Some(3)),
        _ => panic!("{e}"),
    }
    let e = load_with("truncated", &[("opportunities.json", &OPPORTUNITIES[..60])]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{e}");
    let e = load_with(
        "unknown-field",
        &[(
            "profiles.jsonl",
            &profiles_with(r#"{"key":"p-3","name":"Ama"}"#),
        )],
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown field `name`"), "{e}");
    let e = load_with(
        "nan",
        &[("opportunities.json", &OPPORTUNITIES.replace("2.0", "NaN"))],
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{e}");
}

#[test]
fn deep_nesting_and_huge_lines_are_refused_without_panic() {
    let deep = format!(
        "{{\"key\":\"p-3\",\"skills\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = load_with("deep", &[("profiles.jsonl", &profiles_with(&deep))]).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Syntax { at, .. } if at.line == Some(3)),
        "{e}"
    );
    // A name just under the string limit is looked up, and refused as a field; a profile's
    // value is never repeated (an opportunity's would be, cut at 80 characters).
    let long = format!(
        "{{\"key\":\"p-3\",\"skills\":[{{\"skill\":\"{}\"}}]}}",
        "x".repeat(250)
    );
    let e = load_with("long", &[("profiles.jsonl", &profiles_with(&long))]).unwrap_err();
    assert_field(&e, "profiles.jsonl", Some("p-3"), "skills[0].skill");
    assert!(e.to_string().len() < 400, "{} bytes", e.to_string().len());
    assert!(!e.to_string().contains("xxxxxxxx"), "{e}");
    // A megabyte-long name is over `Limits::string_chars`: refused before any matching, naming
    // the record and not the value.
    let huge = format!(
        "{{\"key\":\"p-3\",\"skills\":[{{\"skill\":\"{}\"}}]}}",
        "x".repeat(1_000_000)
    );
    let e = load_with("huge", &[("profiles.jsonl", &profiles_with(&huge))]).unwrap_err();
    assert!(e.to_string().len() < 400, "{} bytes", e.to_string().len());
    match e.into_kind() {
        ErrorKind::Limit { limit, at, .. } => {
            assert_eq!(limit, "string_chars");
            assert_eq!((at.line, at.key.as_deref()), (Some(3), Some("p-3")));
        }
        other => panic!("expected the string limit, got {other}"),
    }
}

#[test]
fn bad_weights_are_refused_with_their_value() {
    for (name, w) in [("negative", "-1.5"), ("zero", "0"), ("huge", "1e300")] {
        let e = load_with(
            name,
            &[(
                "opportunities.json",
                &opportunity_with("requirements.0.weight", w),
            )],
        )
        .unwrap_err();
        assert_field(
            &e,
            "opportunities.json",
            Some("o-1"),
            "requirements[0].weight",
        );
        assert!(e.to_string().contains("finite and positive"), "{e}");
    }
}

#[test]
fn duplicate_keys_name_both_records() {
    let e = load_with(
        "dup-profile",
        &[("profiles.jsonl", &profiles_with(r#"{"key":"p-1"}"#))],
    )
    .unwrap_err();
    match e.kind() {
        ErrorKind::DuplicateKey { at, key, first } => {
            assert_eq!(
                (at.line, key.as_str(), first.as_ref().and_then(|f| f.line)),
                (Some(3), "p-1", Some(1))
            );
        }
        _ => panic!("{e}"),
    }
    let two = format!(
        "[{0},{0}]",
        &OPPORTUNITIES.trim()[1..OPPORTUNITIES.trim().len() - 1]
    );
    let e = load_with("dup-opportunity", &[("opportunities.json", &two)]).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::DuplicateKey { at, .. } if at.index == Some(1)),
        "{e}"
    );
    let e = load_with(
        "dup-node",
        &[(
            "nodes.csv",
            "key,kind,intermediary\norg-ghs,organisation,false\np-2,person,true\n",
        )],
    )
    .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::DuplicateKey { at, .. } if at.line == Some(3)),
        "{e}"
    );
}

#[test]
fn unknown_codes_and_references_are_named() {
    let e = load_with(
        "country",
        &[(
            "opportunities.json",
            &opportunity_with("country", r#""GHX""#),
        )],
    )
    .unwrap_err();
    assert_field(&e, "opportunities.json", Some("o-1"), "country");
    assert!(e.to_string().contains(r#"did you mean "GH"?"#), "{e}");

    let e = load_with(
        "language",
        &[(
            "opportunities.json",
            &opportunity_with("languages.0.language", r#""xx""#),
        )],
    )
    .unwrap_err();
    assert_field(
        &e,
        "opportunities.json",
        Some("o-1"),
        "languages[0].language",
    );

    let e = load_with(
        "host",
        &[(
            "opportunities.json",
            &opportunity_with("host", r#""org-nope""#),
        )],
    )
    .unwrap_err();
    assert_field(&e, "opportunities.json", Some("o-1"), "host");

    let e = load_with(
        "tie",
        &[("ties.csv", "from,to,kind,strength\np-1,ghost,alumni,0.8\n")],
    )
    .unwrap_err();
    assert_field(&e, "ties.csv", None, "to");
    assert!(e.to_string().contains("ties.csv:line 2"), "{e}");

    let e = load_with(
        "self-tie",
        &[("ties.csv", "from,to,kind,strength\np-1,p-1,alumni,0.8\n")],
    )
    .unwrap_err();
    assert_field(&e, "ties.csv", None, "to");

    for s in ["NaN", "0", "-0.2", "1.5", "inf", "strong"] {
        let e = load_with(
            "strength",
            &[(
                "ties.csv",
                &format!("from,to,kind,strength\np-1,p-2,alumni,{s}\n"),
            )],
        )
        .unwrap_err();
        assert_field(&e, "ties.csv", None, "strength");
    }
    let e = load_with(
        "tie-kind",
        &[("ties.csv", "from,to,kind,strength\np-1,p-2,friend,0.5\n")],
    )
    .unwrap_err();
    assert_field(&e, "ties.csv", None, "kind");
    let e = load_with(
        "short-row",
        &[("ties.csv", "from,to,kind,strength\np-1,p-2,alumni\n")],
    )
    .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Syntax { at, .. } if at.line == Some(2)),
        "{e}"
    );
    let e = load_with("header", &[("ties.csv", "a,b,c,d\n")]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{e}");
}

#[test]
fn profile_errors_never_print_personal_values() {
    let cases = [
        (
            r#"{"key":"p-3","origins":[{"country":"Atlantis"}]}"#,
            "origins[0].country",
            "Atlantis",
        ),
        (
            r#"{"key":"p-3","residence":"Wakanda"}"#,
            "residence",
            "Wakanda",
        ),
        (
            r#"{"key":"p-3","languages":[{"language":"klingon","level":"B2"}]}"#,
            "languages[0].language",
            "klingon",
        ),
        (
            r#"{"key":"p-3","languages":[{"language":"en","level":"fluent-ish"}]}"#,
            "languages[0].level",
            "fluent-ish",
        ),
        (
            r#"{"key":"p-3","origins":[{"country":"GH","generation":4}]}"#,
            "origins[0].generation",
            "4",
        ),
        (
            r#"{"key":"p-3","skills":[{"skill":"Python","level":7}]}"#,
            "skills[0].level",
            "7",
        ),
        (
            r#"{"key":"p-3","engagements":["emigrate"]}"#,
            "engagements[0]",
            "emigrate",
        ),
        (
            r#"{"key":"p-3","available":{"from":"2027-13-01","to":"2027-12-31"}}"#,
            "available.from",
            "2027-13",
        ),
        (
            r#"{"key":"p-3","available":{"from":"2027-06-01","to":"2027-01-01"}}"#,
            "available.to",
            "2027-01-01",
        ),
    ];
    for (line, field, secret) in cases {
        let e = load_with("personal", &[("profiles.jsonl", &profiles_with(line))]).unwrap_err();
        assert_field(&e, "profiles.jsonl", Some("p-3"), field);
        // Look after the location: the temporary path may contain any digit.
        let message = e.to_string();
        let after = message.split("field `").nth(1).unwrap();
        assert!(!after.contains(secret), "{e} shows {secret}");
        let debug = format!("{e:?}");
        assert!(
            !debug.split("field:").nth(1).unwrap().contains(secret),
            "{debug} shows {secret}"
        );
    }
    // A type error from the JSON parser is redacted too.
    let e = load_with(
        "personal-type",
        &[(
            "profiles.jsonl",
            &profiles_with(r#"{"key":"p-3","origins":[{"country":"GH","generation":"Ama"}]}"#),
        )],
    )
    .unwrap_err();
    assert!(!e.to_string().contains("Ama"), "{e}");
}

#[test]
fn requirements_must_exist_and_name_skills() {
    let e = load_with(
        "no-requirements",
        &[(
            "opportunities.json",
            &opportunity_with("requirements", "[]"),
        )],
    )
    .unwrap_err();
    assert_field(&e, "opportunities.json", Some("o-1"), "requirements");
    let e = load_with(
        "unknown-skill",
        &[(
            "opportunities.json",
            &opportunity_with("requirements.0.skill", r#""qqqq zzzz wwww""#),
        )],
    )
    .unwrap_err();
    assert_field(
        &e,
        "opportunities.json",
        Some("o-1"),
        "requirements[0].skill",
    );
    let e = load_with(
        "min-level",
        &[(
            "opportunities.json",
            &opportunity_with("requirements.0.min_level", "9"),
        )],
    )
    .unwrap_err();
    assert_field(
        &e,
        "opportunities.json",
        Some("o-1"),
        "requirements[0].min_level",
    );
    let e = load_with(
        "window",
        &[(
            "opportunities.json",
            &opportunity_with("window.to", r#""2027-01-01""#),
        )],
    )
    .unwrap_err();
    assert_field(&e, "opportunities.json", Some("o-1"), "window.to");
}

#[test]
fn unresolved_skills_are_reported_not_dropped_silently() {
    let d = dir("lenient");
    std::fs::write(d.join("profiles.jsonl"), profiles_with(r#"{"key":"p-3","skills":[{"skill":"Phyton"},{"skill":"qqqq zzzz wwww"},{"skill":"PYTHON"}]}"#)).unwrap();
    std::fs::write(d.join("opportunities.json"), OPPORTUNITIES).unwrap();
    std::fs::write(d.join("nodes.csv"), NODES).unwrap();
    // Strict (the default): the unknown name is an error naming the record.
    let e = io::load_dataset(&d, common::reference()).unwrap_err();
    assert_field(&e, "profiles.jsonl", Some("p-3"), "skills[1].skill");
    // Lenient: loaded, and every inexact name is in the report.
    let loaded = io::Loader::new(common::reference())
        .strict(false)
        .load(&d)
        .unwrap();
    let _ = std::fs::remove_dir_all(&d);
    let r = &loaded.report;
    let how: Vec<_> = r.inexact.iter().map(|n| (n.text.as_str(), n.how)).collect();
    assert_eq!(
        how,
        [
            ("Phyton", Some(MatchKind::Fuzzy)),
            ("qqqq zzzz wwww", None),
            ("PYTHON", Some(MatchKind::Normalised))
        ]
    );
    assert_eq!(r.unresolved().count(), 1);
    // p-1: Python (an alternative label of ESCO's "Python (computer programming)"), the EHR
    // skill; p-2: Java (computer programming); o-1: Python, the EHR skill.
    assert_eq!((r.keys, r.labels, r.alt_labels), (0, 3, 2));
    assert_eq!(
        r.to_string(),
        "8 names: 0 keys, 3 labels, 2 alternative labels, 1 normalised, 0 synonyms, 0 by words, 1 fuzzy, 1 unresolved"
    );
    assert!(r.inexact[0].confidence >= 0.8 && r.inexact[0].confidence < 1.0);
    assert_eq!(r.inexact[1].at.key.as_deref(), Some("p-3"));
    // "Phyton" and "PYTHON" are one skill, held once.
    let p3 = &loaded.dataset.profiles[2];
    assert_eq!(p3.skills.len(), 1);
    assert_eq!(
        loaded.dataset.reference.taxonomy.label(p3.skills[0].skill),
        "Python (computer programming)"
    );
}

#[test]
fn missing_files_and_k_zero() {
    let e = io::load_dataset(Path::new("/nonexistent/diaspora"), common::reference()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { .. }), "{e}");
    assert!(
        e.to_string()
            .starts_with("/nonexistent/diaspora/profiles.jsonl"),
        "{e}"
    );
    let e = io::load_reference("/nonexistent/reference").unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { .. }), "{e}");
    let engine = Engine::builder(load_with("k", &[]).unwrap())
        .build()
        .unwrap();
    let e = engine.candidates(OpportunityId::new(0), 0).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Argument { name: "k", .. }),
        "{e}"
    );
    assert!(
        engine
            .opportunities_for(diaspora_match::ProfileId::new(0), 0)
            .is_err()
    );
    assert!(engine.match_all(0).is_err());
    let e = engine.candidates(OpportunityId::new(7), 1).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::UnknownId {
                what: "opportunity",
                id: 7,
                len: 1
            }
        ),
        "{e}"
    );
}

#[test]
fn datasets_round_trip_through_the_files() {
    let reference = common::reference();
    let sample = io::load_dataset(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample"),
        reference.clone(),
    )
    .unwrap();
    let d = dir("roundtrip");
    io::write_dataset(&d, &sample).unwrap();
    let back = io::load_dataset(&d, reference).unwrap();
    assert_eq!(back.profiles, sample.profiles);
    assert_eq!(back.opportunities, sample.opportunities);
    assert_eq!(
        back.network.all_ties().collect::<Vec<_>>(),
        sample.network.all_ties().collect::<Vec<_>>()
    );
    for i in 0..sample.network.node_count() {
        let n = diaspora_match::NodeId::new(i as u32);
        assert_eq!(
            (
                back.network.key(n),
                back.network.kind(n),
                back.network.is_intermediary(n)
            ),
            (
                sample.network.key(n),
                sample.network.kind(n),
                sample.network.is_intermediary(n)
            )
        );
    }
    // Writing what was read gives the same bytes as the shipped files.
    for f in [
        "profiles.jsonl",
        "opportunities.json",
        "nodes.csv",
        "ties.csv",
    ] {
        let shipped = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data/sample")
                .join(f),
        )
        .unwrap();
        assert!(std::fs::read(d.join(f)).unwrap() == shipped, "{f} differs");
    }
    let _ = std::fs::remove_dir_all(&d);
    // The record types themselves round-trip through serde.
    let rec: io::ProfileRecord = serde_json::from_str(PROFILES.lines().next().unwrap()).unwrap();
    let again: io::ProfileRecord =
        serde_json::from_str(&serde_json::to_string(&rec).unwrap()).unwrap();
    assert_eq!(rec, again);
}

/// Validation checks fields in parallel but reports the first problem in record order, whether
/// a duplicate key or a bad field.
#[test]
fn validation_reports_the_first_problem_in_order() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let base = io::load_dataset(&dir, common::reference()).unwrap();
    let index_of = |e: Error| match e.into_kind() {
        ErrorKind::DuplicateKey { at, .. } => ("duplicate", at.index),
        ErrorKind::Field { at, .. } => ("field", at.index),
        other => panic!("unexpected {other}"),
    };
    let mut d = base.clone();
    let twice = d.profiles[250].skills[0];
    d.profiles[250].skills.push(twice);
    d.profiles[2].key = d.profiles[1].key.clone();
    assert_eq!(index_of(d.validate().unwrap_err()), ("duplicate", Some(2)));
    d.profiles[2].key = base.profiles[2].key.clone();
    assert_eq!(index_of(d.validate().unwrap_err()), ("field", Some(250)));
    d.profiles[280].key = d.profiles[0].key.clone();
    assert_eq!(index_of(d.validate().unwrap_err()), ("field", Some(250)));
    d.profiles[250] = base.profiles[250].clone();
    assert_eq!(
        index_of(d.validate().unwrap_err()),
        ("duplicate", Some(280))
    );
}

/// `Engine::build` checks keys and fields at the same time, the fields in parallel parts of
/// 8,192 profiles compiled as they are checked; it reports what `Dataset::validate` does: the
/// first problem in record order, a key's before a field's in the same record.
#[test]
fn the_engine_reports_the_first_problem_in_order() {
    let reference = common::reference();
    let dir = diaspora_match::io::bundled_reference_dir();
    let tables = diaspora_match::synth::SourceTables::load(&dir, &reference).unwrap();
    let config = diaspora_match::synth::SynthConfig {
        profiles: 20_000,
        opportunities: 5,
        ties: 1000,
        seed: 3,
        ..Default::default()
    };
    let base = diaspora_match::synth::generate(reference, &tables, &config).unwrap();
    let index_of = |e: Error| match e.into_kind() {
        ErrorKind::DuplicateKey { at, .. } => ("duplicate", at.index),
        ErrorKind::Field { at, .. } => ("field", at.index),
        other => panic!("unexpected {other}"),
    };
    let both = |d: &diaspora_match::Dataset| {
        let engine = diaspora_match::Engine::builder(d.clone())
            .build()
            .map(|_| ())
            .unwrap_err();
        let validate = d.validate().unwrap_err();
        let (e, v) = (index_of(engine), index_of(validate));
        assert_eq!(e, v);
        e
    };
    let twice = |d: &mut diaspora_match::Dataset, i: usize| {
        let s = d.profiles[i].skills[0];
        d.profiles[i].skills.push(s);
    };
    // A field in the third part, a repeated key in the second: the key.
    let mut d = base.clone();
    twice(&mut d, 17_000);
    d.profiles[9_000].key = d.profiles[5].key.clone();
    assert_eq!(both(&d), ("duplicate", Some(9_000)));
    // A field in the second part, a repeated key in the third: the field.
    let mut d = base.clone();
    twice(&mut d, 9_000);
    d.profiles[17_000].key = d.profiles[5].key.clone();
    assert_eq!(both(&d), ("field", Some(9_000)));
    // Fields in two parts: the first; both in one record: the key.
    twice(&mut d, 19_999);
    d.profiles[9_000].key = d.profiles[4].key.clone();
    assert_eq!(both(&d), ("duplicate", Some(9_000)));
    d.profiles[9_000].key = base.profiles[9_000].key.clone();
    d.profiles[17_000].key = base.profiles[17_000].key.clone();
    assert_eq!(both(&d), ("field", Some(9_000)));
    d.profiles[9_000] = base.profiles[9_000].clone();
    assert_eq!(both(&d), ("field", Some(19_999)));
}

/// Weights each finite whose sum is not, a requirement or a language asked twice, a country
/// or language a profile lists twice: one rule on every path in. The loader, `Dataset::validate`
/// and the engine's builder refuse them alike, naming the record and field; 20,000 copies of
/// one language are refused as fast as two.
#[test]
fn sums_and_repeats_are_refused_on_every_path_in() {
    let huge = r#"[{"skill":"Python","weight":3e38},{"skill":"use electronic health records in nursing","weight":3e38}]"#;
    let e = load_with(
        "weight-sum",
        &[(
            "opportunities.json",
            &opportunity_with("requirements", huge),
        )],
    )
    .unwrap_err();
    assert_field(&e, "opportunities.json", Some("o-1"), "requirements");
    assert!(e.to_string().contains("sum must be finite"), "{e}");
    let twice = r#"[{"language":"en","level":"B2"},{"language":"fr","level":"B2"},{"language":"en","level":"C1"}]"#;
    let e = load_with(
        "language-twice",
        &[("opportunities.json", &opportunity_with("languages", twice))],
    )
    .unwrap_err();
    assert_field(
        &e,
        "opportunities.json",
        Some("o-1"),
        "languages[2].language",
    );

    let base = load_with("base-for-repeats", &[]).unwrap();
    let refused = |d: &diaspora_match::Dataset, field: &str| {
        for e in [
            d.validate().unwrap_err(),
            Engine::builder(d.clone()).build().map(|_| ()).unwrap_err(),
        ] {
            match e.kind() {
                ErrorKind::Field { field: f, .. } => assert_eq!(f, field, "{e}"),
                _ => panic!("expected a field error, got {e}"),
            }
        }
    };
    let mut d = base.clone();
    let r = d.opportunities[0].requirements[0];
    d.opportunities[0].requirements.push(r);
    refused(&d, "requirements[2].skill");
    let mut d = base.clone();
    for r in &mut d.opportunities[0].requirements {
        r.weight = 3e38;
    }
    refused(&d, "requirements");
    let mut d = base.clone();
    let l = d.opportunities[0].languages[0];
    d.opportunities[0].languages = vec![l; 20_000];
    refused(&d, "languages[1].language");
    let mut d = base.clone();
    let o = d.profiles[0].origins[0];
    d.profiles[0].origins.push(o);
    refused(&d, "origins[1].country");
    let mut d = base.clone();
    let l = d.profiles[0].languages[1];
    d.profiles[0].languages.push(l);
    refused(&d, "languages[2].language");
}

/// Configuration weights each finite whose sum is not are refused, naming the weights.
#[test]
fn configuration_weights_must_have_a_finite_sum() {
    let mut c = diaspora_match::MatchConfig::default();
    c.weights.skills = f32::MAX;
    c.weights.region = f32::MAX;
    match c.validate().unwrap_err().kind() {
        ErrorKind::Config { field, .. } => assert_eq!(*field, "weights"),
        other => panic!("{other}"),
    }
}

/// Keys with control or invisible format characters are refused at load (they would forge
/// log lines, paths and DOT output), and text from outside that a message quotes is escaped:
/// no error shows a raw newline, escape or bidirectional override.
#[test]
fn control_characters_never_reach_a_message() {
    let raw = |e: &Error| {
        let shown = format!("{e} {e:?}");
        assert!(
            !shown.contains('\n') && !shown.contains('\u{1b}') && !shown.contains('\u{202E}'),
            "{shown}"
        );
    };
    let nodes = "key,kind,intermediary\norg-ghs,organisation,false\n\"c-1\n2026 INFO forged\u{1b}[0m\",person,true\n";
    let e = load_with("node-key", &[("nodes.csv", nodes)]).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Field { field, .. } if field == "key"),
        "{e}"
    );
    raw(&e);
    let e = load_with(
        "profile-key",
        &[("profiles.jsonl", &profiles_with(r#"{"key":"p-\u202e9"}"#))],
    )
    .unwrap_err();
    assert!(e.to_string().contains("control or invisible"), "{e}");
    raw(&e);
    let e = load_with(
        "opportunity-field",
        &[(
            "opportunities.json",
            &OPPORTUNITIES.replace("\"capacity\"", "\"cap\\nacity\\u202e\":1,\"capacity\""),
        )],
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{e}");
    assert!(e.to_string().contains("cap\\u{a}acity\\u{202e}"), "{e}");
    raw(&e);
    let e = load_with(
        "opportunity-country",
        &[(
            "opportunities.json",
            &opportunity_with("country", "\"G\\nH\\u001b[31m\""),
        )],
    )
    .unwrap_err();
    raw(&e);
    let mut net = diaspora_match::Network::new();
    assert!(
        net.add_node("a\u{202E}b", diaspora_match::NodeKind::Person, true)
            .is_err()
    );
}

/// The kind, field and key of an error, and its message after the location (where a value
/// would show).
fn what(e: &Error) -> (String, Option<String>, String) {
    match e.kind() {
        ErrorKind::Field { at, field, .. } => (
            field.clone(),
            at.key.clone(),
            e.to_string()
                .split("field `")
                .nth(1)
                .unwrap_or("")
                .to_string(),
        ),
        ErrorKind::Syntax { .. } => ("<syntax>".into(), None, String::new()),
        other => (format!("{other:?}"), None, String::new()),
    }
}

/// One record at a time (`Loader::profile_json`, `Loader::opportunity_json`) gives what the
/// loader gives for the same record in a folder: the same profiles and opportunities, and the
/// same errors (field, key, reason), record numbered by the caller.
#[test]
fn one_record_at_a_time_is_the_loader_record_for_record() {
    let loaded = load_with("one-record", &[]).unwrap();
    let loader = io::Loader::new(common::reference());
    let mut report = io::ResolutionReport::default();
    for (i, line) in PROFILES.lines().enumerate() {
        let p = loader.profile_json(line, i, &mut report).unwrap();
        assert_eq!(p, loaded.profiles[i]);
    }
    let opportunity = &serde_json::from_str::<serde_json::Value>(OPPORTUNITIES).unwrap()[0];
    let o = loader
        .opportunity_json(&opportunity.to_string(), 0, &loaded.network, &mut report)
        .unwrap();
    assert_eq!(o, loaded.opportunities[0]);

    let bad_profiles = [
        r#"{"key":"p-3","origins":[{"country":"Atlantis"}]}"#,
        r#"{"key":"p-3","languages":[{"language":"en","level":"fluent-ish"}]}"#,
        r#"{"key":"p-3","skills":[{"skill":"Python","level":7}]}"#,
        r#"{"key":"p-3","origins":[{"country":"GH"},{"country":"GHA"}]}"#,
        r#"{"key":"p-3","engagements":["emigrate"]}"#,
        r#"{"key":"p\u00073"}"#,
        r#"{"key":"p-3","origins":[{"country":"GH","generation":"Ama"}]}"#,
        r#"{"key":"p-3","skills":[{"skill":"zzqqxx vvbb"}]}"#,
    ];
    for line in bad_profiles {
        let from_file =
            load_with("one-bad", &[("profiles.jsonl", &profiles_with(line))]).unwrap_err();
        let alone = loader.profile_json(line, 2, &mut report).unwrap_err();
        assert_eq!(
            what(&alone),
            what(&from_file),
            "{line}: {alone} / {from_file}"
        );
        assert!(!alone.to_string().contains("Ama"), "{alone}");
    }
    for (field, value) in [
        ("host", r#""org-nowhere""#),
        ("country", r#""Atlantis""#),
        ("requirements.0.weight", "-1"),
        (
            "languages",
            r#"[{"language":"en","level":"B2"},{"language":"en","level":"C1"}]"#,
        ),
    ] {
        let text = opportunity_with(field, value);
        let from_file = load_with("one-bad-o", &[("opportunities.json", &text)]).unwrap_err();
        let one = serde_json::from_str::<serde_json::Value>(&text).unwrap()[0].to_string();
        let alone = loader
            .opportunity_json(&one, 0, &loaded.network, &mut report)
            .unwrap_err();
        assert_eq!(
            what(&alone),
            what(&from_file),
            "{field}: {alone} / {from_file}"
        );
    }
    // Text over the record limit is refused before it is parsed.
    let limits = diaspora_match::Limits {
        record_bytes: 64,
        ..Default::default()
    };
    let small = io::Loader::new(common::reference()).limits(limits);
    let e = small
        .profile_json(PROFILES.lines().next().unwrap(), 0, &mut report)
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Limit { .. }), "{e}");
}
