//! Skill resolution on test sets built from the real labels (`tests/data`, made by
//! `tests/data/make_resolve_sets.py`): typing errors, alternative labels, and names that are
//! no skill at all. Run with `--nocapture` to see the measured figures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;

use diaspora_match::taxonomy::normalise;
use diaspora_match::{FuzzyStrategy, MatchKind, ResolveOptions, SkillId, Taxonomy};

fn lines(name: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// Every skill that a normalised label names (labels are shared: "Mathematics" is an O*NET
/// skill and an O*NET knowledge area).
fn owners(t: &Taxonomy) -> HashMap<String, Vec<SkillId>> {
    let mut m: HashMap<String, Vec<SkillId>> = HashMap::new();
    for s in t.ids() {
        for l in std::iter::once(t.label(s)).chain(t.alt_labels(s).iter().map(String::as_str)) {
            m.entry(normalise(l)).or_default().push(s);
        }
    }
    m
}

fn top1(t: &Taxonomy, text: &str, options: &ResolveOptions) -> (Option<SkillId>, bool) {
    let r = t.resolve_with(text, options);
    (
        r.skill.or(r.alternatives.first().map(|s| s.skill)),
        r.skill.is_some(),
    )
}

#[test]
fn typing_errors_resolve_to_their_skill() {
    let r = common::reference();
    let t = &r.taxonomy;
    let owners = owners(t);
    let options = ResolveOptions::default();
    let cases = lines("resolve_typos.tsv");
    assert_eq!(cases.len(), 2000);
    let (mut top, mut resolved, mut agree, mut agree_n) = (0, 0, 0, 0usize);
    let exhaustive = ResolveOptions {
        strategy: FuzzyStrategy::Exhaustive,
        ..options
    };
    for line in &cases {
        let (input, label) = line.split_once('\t').unwrap();
        let want = &owners[&normalise(label)];
        let (got, above) = top1(t, input, &options);
        if got.is_some_and(|g| want.contains(&g)) {
            top += 1;
            resolved += usize::from(above);
        }
        // The full scan is slow in a debug build: compare on every tenth case.
        if agree_n % 10 == 0 {
            let (a, b) = (
                t.resolve_with(input, &options),
                t.resolve_with(input, &exhaustive),
            );
            // The same answer; the lower-ranked alternatives may differ.
            agree += usize::from((a.skill, a.how, a.confidence) == (b.skill, b.how, b.confidence));
        }
        agree_n += 1;
    }
    let agree_share = agree as f64 / (agree_n as f64 / 10.0).ceil();
    let n = cases.len() as f64;
    println!(
        "typos: top-1 accuracy {:.4}, resolved above the threshold to the right skill {:.4}, index agrees with the full scan {:.4} (n = {}, agreement on every tenth)",
        top as f64 / n,
        resolved as f64 / n,
        agree_share,
        cases.len()
    );
    assert!(top as f64 / n >= 0.97, "top-1 accuracy {}", top as f64 / n);
    // The index is an approximation of the scan: it must give the same answer almost always.
    assert!(agree_share >= 0.99, "agreement {agree_share}");
}

#[test]
fn alternative_labels_resolve_to_their_own_skill() {
    let r = common::reference();
    let t = &r.taxonomy;
    let cases = lines("resolve_alt_labels.tsv");
    assert!(cases.len() > 10_000);
    let mut ok = 0;
    for line in &cases {
        let (alt, key) = line.split_once('\t').unwrap();
        let res = t.resolve(alt);
        if res.skill == t.by_key(key) && res.how == Some(MatchKind::AltLabel) {
            ok += 1;
        }
    }
    let share = ok as f64 / cases.len() as f64;
    println!(
        "alternative labels: {share:.4} resolved to their own skill (n = {})",
        cases.len()
    );
    assert!(share >= 0.98, "{share}");
}

#[test]
fn names_that_are_no_skill_stay_unresolved() {
    let r = common::reference();
    let t = &r.taxonomy;
    let cases = lines("resolve_non_skills.tsv");
    assert!(cases.len() > 1_000);
    let wrongly: Vec<&String> = cases
        .iter()
        .filter(|c| t.resolve(c).skill.is_some())
        .collect();
    let share = 1.0 - wrongly.len() as f64 / cases.len() as f64;
    println!(
        "non-skills: {share:.4} left unresolved (n = {}); resolved by mistake, first ten: {:?}",
        cases.len(),
        &wrongly[..wrongly.len().min(10)]
    );
    assert!(share >= 0.95, "{share}");
}

#[test]
fn resolve_many_equals_one_by_one_and_long_input_is_refused() {
    let r = common::reference();
    let t = &r.taxonomy;
    let texts: Vec<String> = lines("resolve_typos.tsv")
        .iter()
        .take(200)
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect();
    let options = ResolveOptions::default();
    let many = t.resolve_many(&texts, &options);
    let one: Vec<_> = texts.iter().map(|x| t.resolve_with(x, &options)).collect();
    assert_eq!(many, one);
    let huge = "python ".repeat(10_000);
    let res = t.resolve(&huge);
    assert_eq!((res.skill, res.alternatives.len()), (None, 0));
    assert!(t.fuzzy_label_count() > 20_000);
}
