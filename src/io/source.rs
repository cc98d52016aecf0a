//! Where reference files are read from: a folder, or the copies built into the crate (the
//! `bundled-reference` feature), so that a deployed binary needs no data folder.

use std::path::{Path, PathBuf};

use crate::error::Result;

use super::read::{records_within, reference_limits};

/// The reference files built into the crate, by name: what [`load_reference`] reads.
///
/// [`load_reference`]: super::load_reference
#[cfg(feature = "bundled-reference")]
const BUNDLED: [(&str, &[u8]); 8] = [
    (
        "countries.csv",
        include_bytes!("../../data/reference/countries.csv"),
    ),
    (
        "languages.csv",
        include_bytes!("../../data/reference/languages.csv"),
    ),
    (
        "territory_languages.csv",
        include_bytes!("../../data/reference/territory_languages.csv"),
    ),
    (
        "skills.csv",
        include_bytes!("../../data/reference/skills.csv"),
    ),
    (
        "skills_fr.csv",
        include_bytes!("../../data/reference/skills_fr.csv"),
    ),
    (
        "skills_es.csv",
        include_bytes!("../../data/reference/skills_es.csv"),
    ),
    (
        "skill_synonyms.csv",
        include_bytes!("../../data/reference/skill_synonyms.csv"),
    ),
    (
        "cities.csv",
        include_bytes!("../../data/reference/cities.csv"),
    ),
];

/// The folder errors name for the built-in files.
#[cfg(feature = "bundled-reference")]
const BUNDLED_DIR: &str = "<bundled reference>";

/// A set of reference files.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Source<'a> {
    /// Files in a folder.
    Dir(&'a Path),
    /// The files built into the crate.
    #[cfg(feature = "bundled-reference")]
    Bundled,
}

impl Source<'_> {
    /// The path that names file `name` in errors.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        match self {
            Source::Dir(dir) => dir.join(name),
            #[cfg(feature = "bundled-reference")]
            Source::Bundled => Path::new(BUNDLED_DIR).join(name),
        }
    }

    /// Whether file `name` is there (the optional files may be left out of a folder).
    pub(crate) fn exists(&self, name: &str) -> bool {
        match self {
            Source::Dir(dir) => dir.join(name).exists(),
            #[cfg(feature = "bundled-reference")]
            Source::Bundled => bundled(name).is_some(),
        }
    }

    /// The rows of file `name` with their line numbers, within the reference limits.
    pub(crate) fn records(
        &self,
        name: &str,
        header: &[&str],
    ) -> Result<Vec<(u64, csv::StringRecord)>> {
        let path = self.path(name);
        match self {
            Source::Dir(_) => records_within(&path, header, &reference_limits()),
            #[cfg(feature = "bundled-reference")]
            Source::Bundled => {
                let bytes = bundled(name).ok_or_else(|| crate::error::ErrorKind::Io {
                    path: path.clone(),
                    source: std::io::ErrorKind::NotFound.into(),
                })?;
                super::read::records_over(&path, bytes, header, &reference_limits())
            }
        }
    }
}

#[cfg(feature = "bundled-reference")]
fn bundled(name: &str) -> Option<&'static [u8]> {
    BUNDLED.iter().find(|f| f.0 == name).map(|f| f.1)
}
