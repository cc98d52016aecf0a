//! No byte of a profile's field values appears in any error: a marker, planted in every
//! field of a profile record that the loader must refuse, never appears in the error's
//! `Display` or `Debug`, whichever field the loader stops at and however the record is
//! broken (wrong types, unknown values, numbers out of range, escaped quotes, control
//! characters, a line cut short).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use diaspora_match::io;
use proptest::prelude::*;
use serde_json::{Value, json};

/// A value for one field: the marker as text (alone, after an escaped quote, before a
/// newline), as a number, or a valid value of the field.
fn planted(marker: &str, number: u64, form: u8, valid: Value) -> Value {
    match form % 6 {
        0 => json!(marker),
        1 => json!(format!("4 \" {marker} diagnosed")),
        2 => json!(format!("{marker}\n\u{1b}[31m")),
        3 => json!(number),
        4 => json!([marker, number]),
        _ => valid,
    }
}

/// A profile record with a planted value in every field but the key (pseudonymous, and
/// printed by design), at least one of them the marker itself.
fn record(marker: &str, number: u64, forms: &[u8; 12]) -> Value {
    let p = |i: usize, valid: Value| planted(marker, number, forms[i], valid);
    json!({
        "key": "p-9",
        "skills": [{"skill": p(0, json!(marker)), "level": p(1, json!(3)), "years": p(2, json!(4))}],
        "origins": [{"country": p(3, json!("GH")), "generation": p(4, json!(1))}],
        "residence": p(5, json!("GB")),
        "languages": [{"language": p(6, json!("en")), "level": p(7, json!("B2"))}],
        "engagements": [p(8, json!("remote"))],
        "available": {"from": p(9, json!("2027-01-01")), "to": p(10, json!("2027-06-30"))},
        "intermediary": p(11, json!(true)),
    })
}

/// A dataset folder of its own whose only profile is `line`, with one organisation and one
/// opportunity.
fn folder(line: &str) -> std::path::PathBuf {
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!(
        "diaspora-match-privacy-{}-{run}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("profiles.jsonl"), format!("{line}\n")).unwrap();
    std::fs::write(
        d.join("nodes.csv"),
        "key,kind,intermediary\norg-1,organisation,true\n",
    )
    .unwrap();
    std::fs::write(
        d.join("opportunities.json"),
        r#"[{"key":"o-1","title":"t","host":"org-1","country":"GH","engagement":"remote","requirements":[{"skill":"Python"}]}]"#,
    )
    .unwrap();
    d
}

/// Loads `line` as the only profile (strictly: an unknown skill is an error); the error.
fn load(line: &str) -> diaspora_match::Error {
    let d = folder(line);
    let out = io::load_dataset(&d, common::reference());
    let _ = std::fs::remove_dir_all(&d);
    out.expect_err("a record with planted values loads")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: common::cases(48), ..ProptestConfig::default() })]

    #[test]
    fn no_planted_value_appears_in_any_error(
        marker in "zq[a-z]{10}",
        number in 10_000_000_000u64..99_999_999_999,
        forms in proptest::array::uniform12(0u8..6),
        cut in proptest::option::of(0.0f64..1.0),
    ) {
        let mut forms = forms;
        forms[0] = 0;
        let mut line = record(&marker, number, &forms).to_string();
        if let Some(at) = cut {
            // A line cut short: a syntax error somewhere inside the values.
            let mut i = (line.len() as f64 * at) as usize;
            while !line.is_char_boundary(i) {
                i -= 1;
            }
            line.truncate(i.max(1));
        }
        let e = load(&line);
        let digits = number.to_string();
        for shown in [e.to_string(), format!("{e:?}")] {
            prop_assert!(!shown.contains(&marker), "{shown}");
            prop_assert!(!shown.contains(&digits), "{shown}");
            prop_assert!(!shown.contains("diagnosed"), "{shown}");
            prop_assert!(!shown.contains('\n') && !shown.contains('\u{1b}'), "{shown}");
        }
    }
}

/// The public records a profile is read into, and the resolution report (which holds the
/// skill names as written), print no personal value in `Debug`.
#[test]
fn records_and_the_report_redact_in_debug() {
    let line = record("zqsecretname", 23_324_412_345, &[5; 12]).to_string();
    let rec: io::ProfileRecord = serde_json::from_str(&line).unwrap();
    let shown = format!("{rec:?} {:?} {:?}", rec.skills, rec.origins);
    assert!(shown.contains("p-9"), "{shown}");
    for secret in ["zqsecretname", "GH", "GB", "2027", "remote", "B2"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let dir = folder(&line);
    let loaded = io::Loader::new(common::reference())
        .strict(false)
        .load(&dir)
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(loaded.report.unresolved().count(), 1);
    let shown = format!("{:?}", loaded.report);
    assert!(shown.contains("skills[0].skill"), "{shown}");
    assert!(!shown.contains("zqsecretname"), "{shown}");
}
