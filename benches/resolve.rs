//! Skill resolution: the candidate index against the full scan of every label.
//!
//! Inputs, resolved against the shipped taxonomy (the whole ESCO pillar, O*NET, French and
//! Spanish labels and the curated synonyms: about 23,500 skills and 140,000 distinct
//! normalised labels), one thread, both strategies in the same run; throughput is in queries:
//!
//! - `resolve_typos`: the first 50 inputs of `tests/data/resolve_typos.tsv` (real labels with
//!   one or two typing errors: the fuzzy step);
//! - `resolve_everyday`: every tenth of `tests/data/everyday_skills.tsv` (53 names as people
//!   type them: every step, from exact labels and synonyms to words and fuzzy matches);
//! - `resolve_non_skills`: the first 50 lines of `tests/data/everyday_non_skills.txt` (places,
//!   filler, contact details: text that must stay unresolved, the slow path of the index, which
//!   looks twice: among labels that could resolve the text, then among all for suggestions).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use diaspora_match::{FuzzyStrategy, ResolveOptions, Taxonomy, io};

/// The first tab-separated field of every `step`-th line of a test set, at most `n` lines.
fn inputs(file: &str, step: usize, n: usize) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .step_by(step)
        .take(n)
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

fn group(c: &mut Criterion, name: &str, t: &Taxonomy, queries: &[String]) {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(queries.len() as u64));
    group.sample_size(10);
    for (name, strategy) in [
        ("indexed", FuzzyStrategy::Indexed),
        ("full_scan", FuzzyStrategy::Exhaustive),
    ] {
        let options = ResolveOptions {
            strategy,
            ..ResolveOptions::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                for q in queries {
                    black_box(t.resolve_with(q, &options));
                }
            })
        });
    }
    group.finish();
}

fn resolve(c: &mut Criterion) {
    let reference = io::load_reference(io::bundled_reference_dir()).unwrap();
    let t = &reference.taxonomy;
    group(c, "resolve_typos", t, &inputs("resolve_typos.tsv", 1, 50));
    group(
        c,
        "resolve_everyday",
        t,
        &inputs("everyday_skills.tsv", 10, 60),
    );
    group(
        c,
        "resolve_non_skills",
        t,
        &inputs("everyday_non_skills.txt", 1, 50),
    );
}

criterion_group!(benches, resolve);
criterion_main!(benches);
