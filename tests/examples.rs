//! Runs the examples on the shipped data and checks what they print.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

fn example(name: &str, args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--example", name, "--"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn match_prints_ranked_explained_candidates_with_referral_paths() {
    let out = example("match", &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("loaded 300 profiles, 40 opportunities, 1000 ties"),
        "{stdout}"
    );
    // Three opportunities, five candidates each, every one with its four components.
    assert_eq!(stdout.matches("\n== o-").count(), 3, "{stdout}");
    for rank in 1..=5 {
        assert_eq!(
            stdout.matches(&format!("\n   {rank}. p-")).count(),
            3,
            "{stdout}"
        );
    }
    for component in ["skills", "region", "network", "language"] {
        assert_eq!(
            stdout.matches(&format!("      {component:<8} ")).count(),
            15,
            "{component}\n{stdout}"
        );
    }
    assert!(
        stdout.contains("referral p-"),
        "no referral path found in the sample:\n{stdout}"
    );
    // Scores are printed best first within each opportunity.
    for block in stdout.split("\n== ").skip(1) {
        let scores: Vec<f32> = block
            .lines()
            .filter_map(|l| l.split("score ").nth(1))
            .map(|s| s.trim().parse().unwrap())
            .collect();
        assert_eq!(scores.len(), 5, "{block}");
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    }
}

#[test]
fn match_answers_for_one_person_and_one_opportunity() {
    let out = example("match", &["--opportunity", "o-0007", "--top", "2"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert_eq!(stdout.matches("\n== o-0007").count(), 1, "{stdout}");
    assert!(stdout.contains("\n   2. p-"), "{stdout}");
    // The best candidate for o-0007 finds o-0007 among its own opportunities.
    let best = stdout
        .split("\n   1. ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let out = example("match", &["--profile", &best, "--top", "40"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains(&format!("profile {best}: ")), "{stdout}");
    assert!(stdout.contains(". o-0007 "), "{stdout}");
}

#[test]
fn match_fails_with_one_line_on_bad_input() {
    for args in [
        &["--data", "/nonexistent/dir"][..],
        &["--opportunity", "o-nope"],
        &["--top", "0"],
        &["--bogus"],
    ] {
        let out = example("match", args);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn resolve_writes_one_tab_separated_answer_per_line() {
    use std::io::Write;
    use std::process::Stdio;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(cargo)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--example", "resolve"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Phyton\nJavascript\nqqqq zzzz wwww\nPython\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 4, "{stdout}");
    assert_eq!(rows[0][..3], ["Phyton", "Python", "fuzzy"]);
    assert!(rows[0][3].parse::<f32>().unwrap() >= 0.8);
    assert_eq!(
        rows[1][..4],
        ["Javascript", "JavaScript", "normalised", "1.000"]
    );
    assert_eq!(rows[2][..4], ["qqqq zzzz wwww", "", "unresolved", "0.000"]);
    assert_eq!(rows[3][..4], ["Python", "Python", "label", "1.000"]);
}
