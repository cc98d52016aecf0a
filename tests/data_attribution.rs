//! Every file shipped under `data/` is named, with its source and licence, in `data/README.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn data_readme_names_every_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut checked = 0;
    for path in all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "README.md" {
            continue;
        }
        // A file is covered when its path, or its folder's wildcard (`sample/*`), is named.
        let folder = rel.rsplit_once('/').map(|(d, _)| format!("{d}/*"));
        let named = readme.contains(&format!("`{rel}`"))
            || readme.contains(&format!("{rel}`"))
            || folder.is_some_and(|f| readme.contains(&format!("`{f}`")));
        assert!(named, "data/{rel} is not named in data/README.md");
        checked += 1;
    }
    assert!(checked >= 12, "{checked}");
    for source in [
        "ODC-PDDL-1.0",
        "CC BY 3.0 IGO",
        "Unicode",
        "ESCO classification, European Commission",
        "CC BY 4.0",
        "MIT",
    ] {
        assert!(readme.contains(source), "{source}");
    }
}
