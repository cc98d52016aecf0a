//! Skill resolution on test sets built from the real labels (`tests/data`, made by
//! `tests/data/make_resolve_sets.py`): typing errors, alternative labels, and names that are
//! no skill at all. Run with `--nocapture` to see the measured figures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;

use diaspora_match::normalise;
use diaspora_match::{FuzzyStrategy, LabelLanguage, MatchKind, ResolveOptions, SkillId, Taxonomy};

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
    let scan_every: usize = std::env::var("RESOLVE_SCAN_EVERY")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&v| v > 0)
        .unwrap_or(40);
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
        // The full scan over the whole ESCO pillar is slow in a debug build: compare on every
        // `scan_every`-th case (every 40th in a quick run, every 10th in `.ci/run`).
        if agree_n % scan_every == 0 {
            let (a, b) = (
                t.resolve_with(input, &options),
                t.resolve_with(input, &exhaustive),
            );
            // The same answer; the lower-ranked alternatives may differ.
            agree += usize::from((a.skill, a.how, a.confidence) == (b.skill, b.how, b.confidence));
        }
        agree_n += 1;
    }
    let agree_share = agree as f64 / (agree_n as f64 / scan_every as f64).ceil();
    let n = cases.len() as f64;
    println!(
        "typos: top-1 accuracy {:.4}, resolved above the threshold to the right skill {:.4}, index agrees with the full scan {:.4} (n = {}, agreement on every {scan_every}th)",
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

/// French and Spanish alternative labels resolve to their own concept, and say so.
#[test]
fn french_and_spanish_alternative_labels_resolve_to_their_own_skill() {
    let r = common::reference();
    let t = &r.taxonomy;
    for (file, language) in [
        ("resolve_alt_labels_fr.tsv", LabelLanguage::French),
        ("resolve_alt_labels_es.tsv", LabelLanguage::Spanish),
    ] {
        let cases = lines(file);
        assert!(cases.len() > 3_000, "{file}: {}", cases.len());
        let ok = cases
            .iter()
            .filter(|line| {
                let (alt, key) = line.split_once('\t').unwrap();
                let res = t.resolve(alt);
                res.skill == t.by_key(key) && res.language == Some(language)
            })
            .count();
        let share = ok as f64 / cases.len() as f64;
        println!(
            "{} alternative labels: {share:.4} resolved to their own skill (n = {})",
            language.code(),
            cases.len()
        );
        assert!(share >= 0.98, "{file}: {share}");
    }
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

/// Everyday names as people type them (`tests/data/everyday_skills.tsv`, built by
/// `make_everyday_set.py` from a hand-written list): across sectors, with abbreviations,
/// product names, misspellings, French and Spanish. The resolved skill (or, for a text left
/// unresolved, none) must be one a programme officer would accept.
#[test]
fn everyday_names_resolve_to_acceptable_concepts() {
    let r = common::reference();
    let t = &r.taxonomy;
    let cases = lines("everyday_skills.tsv");
    assert!(cases.len() >= 400, "{}", cases.len());
    let mut ok = 0;
    let mut by_how: HashMap<&'static str, usize> = HashMap::new();
    let mut misses = Vec::new();
    for line in &cases {
        let f: Vec<&str> = line.split('\t').collect();
        let accepted: Vec<SkillId> = f[3].split('|').map(|k| t.by_key(k).unwrap()).collect();
        let res = t.resolve(f[0]);
        if res.skill.is_some_and(|s| accepted.contains(&s)) {
            ok += 1;
            *by_how.entry(res.how.unwrap().as_str()).or_default() += 1;
        } else {
            misses.push(format!("{} -> {:?}", f[0], res.skill.map(|s| t.label(s))));
        }
    }
    let share = ok as f64 / cases.len() as f64;
    // The curated synonyms were written with this set in view: the share among the texts
    // that are no synonym shows what the rest of the resolver does on its own.
    let synonyms: Vec<String> = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference/skill_synonyms.csv"),
    )
    .unwrap()
    .lines()
    .skip(1)
    .map(|l| normalise(l.split(',').next().unwrap()))
    .collect();
    let (mut plain, mut plain_ok) = (0, 0);
    for line in &cases {
        let f: Vec<&str> = line.split('\t').collect();
        if synonyms.contains(&normalise(f[0])) {
            continue;
        }
        plain += 1;
        let accepted: Vec<SkillId> = f[3].split('|').map(|k| t.by_key(k).unwrap()).collect();
        plain_ok += usize::from(t.resolve(f[0]).skill.is_some_and(|s| accepted.contains(&s)));
    }
    println!(
        "everyday names that are no curated synonym: top-1 acceptable {:.4} (n = {plain})",
        plain_ok as f64 / plain as f64
    );
    let mut how: Vec<_> = by_how.into_iter().collect();
    how.sort();
    println!(
        "everyday names: top-1 acceptable {share:.4} (n = {}); acceptable answers by how they were found: {how:?}; misses: {misses:?}",
        cases.len()
    );
    assert!(share >= 0.90, "{share}");
}

/// What people write in a skill field that is no skill (`tests/data/everyday_non_skills.txt`:
/// cities, filler, references to a CV, dates, contact details, names) stays unresolved.
#[test]
fn everyday_text_that_is_no_skill_stays_unresolved() {
    let r = common::reference();
    let t = &r.taxonomy;
    let cases: Vec<String> = lines("everyday_non_skills.txt")
        .into_iter()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert!(cases.len() >= 80, "{}", cases.len());
    let wrongly: Vec<String> = cases
        .iter()
        .filter_map(|c| t.resolve(c).skill.map(|s| format!("{c} -> {}", t.label(s))))
        .collect();
    let share = 1.0 - wrongly.len() as f64 / cases.len() as f64;
    println!(
        "everyday non-skills: {share:.4} left unresolved (n = {}); resolved: {wrongly:?}",
        cases.len()
    );
    assert!(share >= 0.95, "{share}");
}
