//! The taxonomy on a small hand-made vocabulary.

use crate::error::ErrorKind;
use crate::id::SkillId;

use super::*;

fn rec(key: &str, label: &str, alts: &[&str], broader: &[&str]) -> SkillRecord {
    SkillRecord {
        alt_labels: alts.iter().map(|s| s.to_string()).collect(),
        broader: broader.iter().map(|s| s.to_string()).collect(),
        ..SkillRecord::new(key, SkillKind::Skill, label)
    }
}

fn small() -> Taxonomy {
    Taxonomy::from_records(vec![
        rec(
            "root",
            "information and communication technologies",
            &[],
            &[],
        ),
        rec("prog", "computer programming", &["coding"], &["root"]),
        rec("py", "Python", &["Python programming"], &["prog"]),
        rec("hs", "Haskell", &[], &["prog"]),
        rec("django", "Django", &[], &["py"]),
        rec("deep", "deep", &[], &["django"]),
        rec("deeper", "deeper", &[], &["deep"]),
    ])
    .unwrap()
}

#[test]
fn relations_along_the_hierarchy() {
    let t = small();
    let id = |k| t.by_key(k).unwrap();
    assert_eq!(t.relation(id("py"), id("py"), 0), Some(Relation::Same));
    assert_eq!(
        t.relation(id("prog"), id("py"), 1),
        Some(Relation::Narrower { hops: 1 })
    );
    assert_eq!(
        t.relation(id("prog"), id("django"), 2),
        Some(Relation::Narrower { hops: 2 })
    );
    assert_eq!(t.relation(id("prog"), id("django"), 1), None);
    assert_eq!(
        t.relation(id("django"), id("prog"), 2),
        Some(Relation::Broader { hops: 2 })
    );
    assert_eq!(t.relation(id("py"), id("hs"), 2), Some(Relation::Sibling));
    assert_eq!(t.relation(id("py"), id("hs"), 1), None);
    // Beyond the precomputed limit nothing is related.
    assert_eq!(t.relation(id("prog"), id("deeper"), 9), None);
    assert_eq!(
        t.relation(id("py"), id("deeper"), 9),
        Some(Relation::Narrower { hops: 3 })
    );
    assert_eq!(t.children(id("prog")), &[id("py"), id("hs")]);
}

#[test]
fn resolution_order_and_confidence() {
    let t = small();
    let id = |k| t.by_key(k).unwrap();
    assert_eq!(t.resolve("py").how, Some(MatchKind::Key));
    assert_eq!(t.resolve("Python").how, Some(MatchKind::Label));
    assert_eq!(t.resolve("coding").how, Some(MatchKind::AltLabel));
    let r = t.resolve("COMPUTER  programming!");
    assert_eq!(
        (r.skill, r.how),
        (Some(id("prog")), Some(MatchKind::Normalised))
    );
    let r = t.resolve("Haskel");
    assert_eq!((r.skill, r.how), (Some(id("hs")), Some(MatchKind::Fuzzy)));
    assert!(r.confidence >= 0.8 && r.confidence < 1.0);
    let r = t.resolve("Hask");
    assert_eq!(r.skill, None);
    assert_eq!(r.alternatives.first().map(|s| s.skill), Some(id("hs")));
    assert_eq!(t.resolve("").skill, None);
    assert_eq!(t.resolve(&"x".repeat(10_000)).skill, None);
}

#[test]
fn bad_records_are_refused() {
    // Refusals are field errors at the record.
    let refused = |records: Vec<SkillRecord>| match Taxonomy::from_records(records)
        .unwrap_err()
        .into_kind()
    {
        ErrorKind::Field { at, field, .. } => (at.index, field),
        other => panic!("{other:?}"),
    };
    let dup = refused(vec![rec("a", "A", &[], &[]), rec("a", "B", &[], &[])]);
    assert_eq!(dup, (Some(1), "key".to_string()));
    let unknown = refused(vec![rec("a", "A", &[], &["zz"])]);
    assert_eq!(unknown, (Some(0), "broader".to_string()));
    assert_eq!(refused(vec![rec("a", "A", &[], &["a"])]).1, "broader");
    // A label with nothing to match would be what empty and emoji-only text resolves to.
    let blank = refused(vec![rec("a", "A", &[], &[]), rec("b", "***", &[], &[])]);
    assert_eq!(blank, (Some(1), "label".to_string()));
    let blank_alt = refused(vec![rec("a", "A", &["—"], &[])]);
    assert_eq!(blank_alt, (Some(0), "alt_labels".to_string()));
    // Cycles are tolerated: relations stay bounded.
    let t = Taxonomy::from_records(vec![rec("a", "A", &[], &["b"]), rec("b", "B", &[], &["a"])])
        .unwrap();
    assert_eq!(t.ancestors(SkillId::new(0)), &[(SkillId::new(1), 1)]);
}

#[test]
fn external_names_round_trip() {
    let t = Taxonomy::from_records(vec![
        rec("a", "Mathematics", &[], &[]),
        rec("b", "Mathematics", &[], &[]),
    ])
    .unwrap();
    assert_eq!(t.external_name(SkillId::new(0)), "Mathematics");
    assert_eq!(t.external_name(SkillId::new(1)), "b");
}

/// Text with nothing to match (empty, blank, symbols, emoji) resolves to no skill.
#[test]
fn text_with_nothing_to_match_resolves_to_nothing() {
    let t = small();
    for text in ["", "   ", "***", "🙂🙂", "\u{202E}"] {
        let r = t.resolve(text);
        assert_eq!((r.skill, r.how), (None, None), "{text:?}");
    }
}
