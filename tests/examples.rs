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

/// Runs an example that must succeed; returns what it printed.
fn stdout_of(name: &str, args: &[&str]) -> String {
    let out = example(name, args);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn match_prints_ranked_explained_candidates_with_referral_paths() {
    let stdout = stdout_of("match", &[]);
    assert!(
        stdout.starts_with("loaded 300 profiles, 50 opportunities, 1000 ties"),
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
    let stdout = stdout_of("match", &["--opportunity", "o-0007", "--top", "2"]);
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
    let stdout = stdout_of("match", &["--profile", &best, "--top", "40"]);
    assert!(stdout.contains(&format!("profile {best}: ")), "{stdout}");
    assert!(stdout.contains(". o-0007 "), "{stdout}");
}

/// Thousandths from a printed `0.652`.
fn thousandths(text: &str) -> u32 {
    let (units, frac) = text.trim().split_once('.').unwrap();
    units.parse::<u32>().unwrap() * 1000 + frac.parse::<u32>().unwrap()
}

/// Checks one candidate block of the `match` example: the printed contributions add up to
/// the printed score exactly, and every requirement of the opportunity is listed or folded
/// into "and N more". Returns how many requirements it accounted for.
fn check_explanation(block: &str, requirements: usize) -> usize {
    let score = thousandths(
        block
            .lines()
            .next()
            .unwrap()
            .split("score ")
            .nth(1)
            .unwrap(),
    );
    let mut sum = 0;
    let mut listed = 0;
    let mut in_skills = false;
    for line in block.lines().skip(1) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().copied() {
            Some("skills" | "region" | "network" | "language") => {
                in_skills = words[0] == "skills";
                if let Some(v) = line.split(" = ").nth(1) {
                    sum += thousandths(v.split_whitespace().next().unwrap());
                } else {
                    assert!(line.contains("not applicable"), "{line}");
                }
            }
            Some("and") if in_skills => listed += words[1].parse::<usize>().unwrap(),
            Some(w) if in_skills && w.starts_with('"') => listed += 1,
            _ => {}
        }
    }
    assert_eq!(sum, score, "contributions do not add up:\n{block}");
    assert_eq!(listed, requirements, "requirements dropped:\n{block}");
    listed
}

#[test]
fn match_explanations_add_up_and_list_every_requirement() {
    let stdout = stdout_of("match", &["--top", "8"]);
    let dataset = diaspora_match::io::load_dataset(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample"),
        std::sync::Arc::new(
            diaspora_match::io::load_reference(diaspora_match::io::bundled_reference_dir())
                .unwrap(),
        ),
    )
    .unwrap();
    let mut checked = 0;
    for section in stdout.split("\n== ").skip(1) {
        let key = section.split_whitespace().next().unwrap();
        let o = dataset.opportunities.iter().find(|o| o.key == key).unwrap();
        // A candidate's block runs from its "   N. p-..." heading to the next heading.
        let mut blocks: Vec<String> = Vec::new();
        for line in section.lines() {
            let heading =
                line.len() > 3 && line.starts_with("   ") && line.as_bytes()[3].is_ascii_digit();
            if heading {
                blocks.push(String::new());
            }
            if let Some(b) = blocks.last_mut() {
                b.push_str(line.trim_start_matches("   "));
                b.push('\n');
            }
        }
        for block in &blocks {
            check_explanation(block, o.requirements.len());
            checked += 1;
        }
    }
    // Every candidate the example lists (up to eight per opportunity, fewer where fewer have
    // skill credit) was checked.
    let listed = stdout.matches("\n   1. p-").count()
        + (2..=8)
            .map(|r| stdout.matches(&format!("\n   {r}. p-")).count())
            .sum::<usize>();
    assert_eq!(checked, listed, "{stdout}");
    assert!(checked >= 12, "{stdout}");
    // Some requirement list is long enough to be folded, and the fold names what it folds.
    assert!(stdout.contains(" more: \""), "{stdout}");
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
        // A bad flag or a bad value is named.
        if args[0] != "--data" {
            assert!(stderr.contains(args[0]), "{args:?}: {stderr}");
        }
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
        .write_all(
            "Phyton\nJavascript\nqqqq zzzz wwww\nPython\nnursing\nMS Excel\ncomptabilité\nenfermería\ncarpentry\nbookkeeping\nmidwifery\n"
                .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 11, "{stdout}");
    let python = "Python (computer programming)";
    assert_eq!(rows[0][..3], ["Phyton", python, "fuzzy"]);
    assert!(rows[0][3].parse::<f32>().unwrap() >= 0.8);
    assert_eq!(
        rows[1][..5],
        ["Javascript", "JavaScript", "normalised", "1.000", "en"]
    );
    assert_eq!(rows[2][..4], ["qqqq zzzz wwww", "", "unresolved", "0.000"]);
    // The O*NET technology "Python" and ESCO's "Python (computer programming)" are one skill.
    assert_eq!(rows[3][..5], ["Python", python, "alt_label", "1.000", "en"]);
    // Everyday words: curated synonyms, ESCO's own labels, French and Spanish.
    assert_eq!(rows[4][..3], ["nursing", "nursing science", "synonym"]);
    assert_eq!(
        rows[5][..3],
        ["MS Excel", "use spreadsheets software", "synonym"]
    );
    assert_eq!(
        rows[6][..5],
        ["comptabilité", "accounting", "label", "1.000", "fr"]
    );
    assert_eq!(rows[7][1..3], ["nursing science", "synonym"]);
    assert_eq!(rows[7][4], "es");
    assert_eq!(rows[8][..3], ["carpentry", "carpentry", "label"]);
    assert_eq!(rows[9][..3], ["bookkeeping", "accounting", "alt_label"]);
    assert_eq!(
        rows[10][..3],
        ["midwifery", "nursing and midwifery", "synonym"]
    );
}

#[test]
fn assign_places_people_stably_and_optimally() {
    let stdout = stdout_of("assign", &[]);
    assert!(
        stdout.starts_with("300 people, 50 opportunities, "),
        "{stdout}"
    );
    assert!(stdout.contains("   blocking pairs: 0\n"), "{stdout}");
    let total = |name: &str| -> f64 {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("== {name}:")))
            .unwrap();
        line.split("total score ")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(total("optimal") >= total("stable"), "{stdout}");
    // Reasons and caps in words, never Rust's `Debug` form.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("   unplaced: ") && l.contains(" no eligible candidate")),
        "{stdout}"
    );
    for debug in ["{", "Caps", "Some(", "NoEligibleCandidate", "Outranked"] {
        assert!(!stdout.contains(debug), "{debug} in {stdout}");
    }
    // Each placement line names the person, the score and the components.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("      p-") && l.contains("score ") && l.contains("(skills ")),
        "{stdout}"
    );

    let dir = std::env::temp_dir().join(format!("diaspora-match-assign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("instance.json");
    std::fs::write(
        &file,
        r#"{"people":[{"key":"p1","capacity":1,"prefs":["o2","o1"]},{"key":"p2","capacity":1,"prefs":["o1"]}],"opportunities":[{"key":"o1","capacity":1,"prefs":["p2","p1"]},{"key":"o2","capacity":1,"prefs":["p1"]}]}"#,
    )
    .unwrap();
    let instance = [
        "--instance",
        file.to_str().unwrap(),
        "--algorithm",
        "stable",
    ];
    let stdout = stdout_of("assign", &instance);
    assert!(stdout.contains("== stable: 2 placed"), "{stdout}");
    let out_file = dir.join("result.json");
    let out = out_file.to_str().unwrap();
    let silent = stdout_of(
        "assign",
        &[&instance[..], &["--format", "json", "--out", out]].concat(),
    );
    assert_eq!(silent, "", "--out takes the output");
    let written = std::fs::read_to_string(&out_file).unwrap();
    let runs: Vec<serde_json::Value> = serde_json::from_str(&written).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        (runs[0]["algorithm"].as_str(), runs[0]["placed"].as_u64()),
        (Some("stable"), Some(2))
    );
    let pairs = runs[0]["placements"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    // What the text shows, scores included.
    assert!(
        pairs.iter().all(|p| p["score"].as_f64() == Some(1.0)),
        "{written}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let out = example("assign", &["--instance", "/nonexistent.json"]);
    assert!(!out.status.success());
    assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
}

#[test]
fn referral_prints_paths_and_writes_dot() {
    let dot = std::env::temp_dir().join(format!(
        "diaspora-match-referral-{}.dot",
        std::process::id()
    ));
    let args = [
        "--from",
        "p-000003",
        "--to",
        "org-0001",
        "--k",
        "3",
        "--dot",
        dot.to_str().unwrap(),
    ];
    let stdout = stdout_of("referral", &args);
    let want = [
        "2 referral path(s) from p-000003 to org-0001 within 3 ties",
        "  1. strength 0.860: p-000003 -(organisational 0.86)- org-0001\n",
        "  2. strength 0.568: p-000003 -(community 0.66)- p-000053 -(organisational 0.86)- org-0001\n",
        "fewest ties: p-000003 -(organisational 0.86)- org-0001 (1 ties",
    ];
    assert!(stdout.starts_with(want[0]), "{stdout}");
    for w in &want[1..] {
        assert!(stdout.contains(w), "{w}\n{stdout}");
    }
    let text = std::fs::read_to_string(&dot).unwrap();
    assert!(text.starts_with("graph referrals {"), "{text}");
    assert!(text.contains("\"p-000003\" -- \"org-0001\""), "{text}");
    let _ = std::fs::remove_file(&dot);
    let out = example("referral", &["--from", "p-000075", "--to", "nobody"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: --to: no profile or node has the key \"nobody\""),
        "{stderr}"
    );
}

#[test]
fn scale_builds_the_index_and_times_queries() {
    let stdout = stdout_of(
        "scale",
        &[
            "--profiles",
            "5000",
            "--opportunities",
            "20",
            "--queries",
            "10",
            "--brute-force",
            "2",
        ],
    );
    assert!(
        stdout.starts_with("5000 profiles, 20 opportunities, 5000 ties ready"),
        "{stdout}"
    );
    for line in [
        "build: ",
        "engine: ",
        "resident memory: ",
        "top 100 of one opportunity, one thread: indexed median ",
        "top 100 of all 20 opportunities on ",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    let figure = |after: &str| -> f64 {
        let s = stdout.split(after).nth(1).unwrap();
        s.split([' ', ',', ')']).next().unwrap().parse().unwrap()
    };
    // A 32-byte head, 20 skills at 3 bytes, three packed origins and languages, a residence.
    let arrays = figure("profile arrays ") * 1e6 / 5000.0;
    assert!(
        (100.0..=140.0).contains(&arrays),
        "{arrays} bytes per profile"
    );
    // At 5,000 profiles the per-skill tables of the 13,939-skill taxonomy weigh most.
    let total = figure("), ");
    assert!(
        total > arrays && total < 1000.0,
        "{total} bytes per profile"
    );
}

#[test]
fn scale_saves_and_opens_the_engine() {
    let path = std::env::temp_dir().join(format!("scale-{}.snapshot", std::process::id()));
    let file = path.to_str().unwrap();
    let common = [
        "--profiles",
        "3000",
        "--opportunities",
        "10",
        "--queries",
        "5",
    ];
    let saved = stdout_of("scale", &[&common[..], &["--save", file]].concat());
    assert!(saved.contains(&format!("saved {file} (")), "{saved}");
    let opened = stdout_of("scale", &[&common[..], &["--open", file]].concat());
    std::fs::remove_file(&path).unwrap();
    assert!(opened.starts_with(&format!("opened {file} (")), "{opened}");
    assert!(
        opened.contains(": 3000 profiles, 10 opportunities"),
        "{opened}"
    );
    // The same engine, part by part.
    let engine = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("engine: "))
            .unwrap()
            .to_string()
    };
    assert_eq!(engine(&opened), engine(&saved));
}

#[test]
fn map_prints_writes_and_draws_one_diasporas_table() {
    let dir = std::env::temp_dir().join(format!("map-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (csv, svg) = (dir.join("map.csv"), dir.join("map.svg"));
    let mexico = ["--synthetic", "20000", "--origin", "MX"];
    let stdout = stdout_of(
        "map",
        &[&mexico[..], &["--svg", svg.to_str().unwrap()]].concat(),
    );
    let to_csv = ["--format", "csv", "--out", csv.to_str().unwrap()];
    assert_eq!(stdout_of("map", &[&mexico[..], &to_csv].concat()), "");
    assert!(stdout.starts_with("The diaspora of Mexico: "), "{stdout}");
    // The largest residence of the Mexican diaspora in UN DESA's 2024 stock is the US.
    let first_row = stdout.lines().nth(5).unwrap();
    assert!(first_row.starts_with("US "), "{stdout}");
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.starts_with("layer,row,column,count\nMexico,"), "{csv}");
    // Every shown count is 0 or at least 10.
    for line in csv.lines().skip(1) {
        let count = line.rsplit(',').next().unwrap();
        if let Ok(v) = count.parse::<u32>() {
            assert!(v == 0 || v >= 10, "{line}");
        }
    }
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Mexico") && svg.contains("<rect"));
    std::fs::remove_dir_all(&dir).unwrap();
    // A bad flag is named.
    let out = example("map", &["--origin", "XX"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--origin"));
}

const EXAMPLES: [&str; 9] = [
    "assign", "load", "map", "match", "referral", "resolve", "scale", "serve", "synth",
];

#[test]
fn every_example_has_help_and_names_a_bad_flag() {
    for name in EXAMPLES {
        let help = stdout_of(name, &["--help"]);
        assert!(help.contains(&format!("Usage: {name} ")), "{name}: {help}");
        let out = example(name, &["--no-such-flag"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains("--no-such-flag"),
            "{name}: {stderr}"
        );
    }
}

/// The lists in JSON and CSV: the same results as the text, scores included, and `--out`
/// writes exactly what standard output would show.
#[test]
fn lists_come_as_json_and_csv_and_go_to_a_file() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of("match", &["--format", "json", "--top", "3"])).unwrap();
    let lists = json.as_array().unwrap();
    assert_eq!(lists.len(), 3);
    assert_eq!(lists[0]["opportunity_key"], "o-0001");
    let first = &lists[0]["results"][0];
    assert_eq!(first["rank"], 1);
    assert_eq!(first["match"]["score"], first["explanation"]["score"]);
    let text = stdout_of("match", &["--opportunity", "o-0001", "--top", "1"]);
    let key = first["match"]["profile_key"].as_str().unwrap();
    let score = first["match"]["score"].as_f64().unwrap();
    assert!(
        text.contains(&format!("   1. {key}  score {score:.3}")),
        "{text}"
    );

    let csv = stdout_of("match", &["--format", "csv", "--top", "3"]);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "rank,opportunity,profile,score,skills,region,network,language,capital,interest,settlement,referral"
    );
    assert_eq!(rows.len(), 1 + 9, "{csv}");
    assert!(
        rows[1].starts_with(&format!("1,o-0001,{key},{score:.6},")),
        "{csv}"
    );
    let file =
        std::env::temp_dir().join(format!("diaspora-match-match-{}.csv", std::process::id()));
    let silent = stdout_of(
        "match",
        &[
            "--format",
            "csv",
            "--top",
            "3",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(silent, "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);
    let _ = std::fs::remove_file(&file);

    let dot = std::env::temp_dir().join(format!(
        "diaspora-match-referral-json-{}.dot",
        std::process::id()
    ));
    let paths = [
        "--from",
        "p-000003",
        "--to",
        "org-0001",
        "--dot",
        dot.to_str().unwrap(),
    ];
    let found: serde_json::Value = serde_json::from_str(&stdout_of(
        "referral",
        &[&paths[..], &["--format", "json"]].concat(),
    ))
    .unwrap();
    assert_eq!(found["paths"].as_array().unwrap().len(), 2, "{found}");
    assert_eq!(found["paths"][0]["nodes"][1]["key"], "org-0001");
    let csv = stdout_of("referral", &[&paths[..], &["--format", "csv"]].concat());
    assert!(
        csv.starts_with(
            "rank,strength,ties,path\n1,0.860000,1,p-000003 -(organisational 0.86)- org-0001\n"
        ),
        "{csv}"
    );
    let _ = std::fs::remove_file(&dot);

    for (format, start) in [
        ("csv", "algorithm,person,opportunity,score\nstable,p-"),
        ("json", "[\n  {\n    \"algorithm\": \"stable\","),
    ] {
        let out = stdout_of("assign", &["--algorithm", "stable", "--format", format]);
        assert!(out.starts_with(start), "{out}");
    }
}
