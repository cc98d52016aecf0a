//! Loading the reference data: regions, languages, the skill taxonomy with its translations,
//! synonyms and place names.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::dataset::Reference;
use crate::error::{Error, ErrorKind, Location, Result};
use crate::geo::{CountryRecord, Regions};
use crate::language::{Languages, SpokenLanguage};
use crate::taxonomy::{LabelLanguage, SkillKind, SkillRecord, Taxonomy, Translation};

use super::read::list;
use super::source::Source;

/// Loads the reference data from a folder such as `data/reference` (custom reference data;
/// [`Reference::bundled`] gives the crate's own without a folder).
///
/// # Errors
///
/// A missing file, a malformed row, a duplicate code or key, or a broader skill key that names
/// no skill.
pub fn load_reference(dir: impl AsRef<Path>) -> Result<Reference> {
    load_from(Source::Dir(dir.as_ref()))
}

#[cfg(feature = "bundled-reference")]
impl Reference {
    /// The reference data built into the crate (the `bundled-reference` feature, on by
    /// default): the same files as `data/reference` ([`io::bundled_reference_dir`]), read
    /// from the binary, so a program needs no data folder at run time. Errors name the files
    /// `<bundled reference>/…`.
    ///
    /// ```
    /// use diaspora_match::Reference;
    /// let reference = Reference::bundled()?;
    /// let t = &reference.taxonomy;
    /// assert_eq!(t.label(t.resolve("MS Excel").skill.unwrap()), "use spreadsheets software");
    /// assert!(reference.regions.lookup("PH").is_some());
    /// # Ok::<(), diaspora_match::Error>(())
    /// ```
    ///
    /// [`io::bundled_reference_dir`]: crate::io::bundled_reference_dir
    ///
    /// # Errors
    ///
    /// None in a released crate (its files are checked by its tests); the same errors as
    /// [`load_reference`] otherwise.
    pub fn bundled() -> Result<Reference> {
        load_from(Source::Bundled)
    }
}

/// The reference data of a set of files.
fn load_from(files: Source<'_>) -> Result<Reference> {
    let regions = load_regions(&files)?;
    let languages = load_languages(&files, &regions)?;
    let mut taxonomy = load_taxonomy(&files)?;
    // Place and language names are no skills: never resolve them to a look-alike label.
    let places = (0..regions.len()).map(|i| regions.name(crate::id::RegionId::new(i as u32)));
    let tongues =
        (0..languages.len()).map(|i| languages.name(crate::id::LanguageId::new(i as u32)));
    taxonomy.exclude_names(places.chain(tongues));
    if files.exists("cities.csv") {
        let rows = files.records("cities.csv", &["name"])?;
        taxonomy.exclude_names(rows.iter().map(|(_, r)| &r[0]));
    }
    Ok(Reference {
        taxonomy,
        regions,
        languages,
    })
}

fn load_regions(files: &Source<'_>) -> Result<Regions> {
    let path = &files.path("countries.csv");
    let header = [
        "alpha2",
        "alpha3",
        "m49",
        "name",
        "region_code",
        "region",
        "sub_region_code",
        "sub_region",
        "intermediate_region_code",
        "intermediate_region",
        "ldc",
    ];
    let rows = files.records("countries.csv", &header)?;
    let mut out = Vec::with_capacity(rows.len());
    for (line, r) in &rows {
        let at = || Location::file(path).line(*line);
        let code = |i: usize, field: &str| -> Result<Option<u16>> {
            let s = &r[i];
            if s.is_empty() {
                return Ok(None);
            }
            s.parse().map(Some).map_err(|_| {
                Error::field(at(), field, "not an M49 code").with_value(Some(s.into()), None)
            })
        };
        let area = |i: usize, field: &str| -> Result<Option<(u16, String)>> {
            Ok(code(i, field)?.map(|c| (c, r[i + 1].to_string())))
        };
        let m49 = code(2, "m49")?.ok_or_else(|| Error::field(at(), "m49", "missing"))?;
        if r[0].len() != 2 || r[1].len() != 3 {
            return Err(
                Error::field(at(), "alpha2", "codes must have 2 and 3 letters")
                    .with_value(Some(r[0].into()), None),
            );
        }
        out.push(CountryRecord {
            alpha2: r[0].into(),
            alpha3: r[1].into(),
            m49,
            name: r[3].into(),
            areas: [
                area(4, "region_code")?,
                area(6, "sub_region_code")?,
                area(8, "intermediate_region_code")?,
            ],
            least_developed: &r[10] == "1",
        });
    }
    Regions::from_records(out).map_err(|i| {
        let (line, r) = &rows[i];
        ErrorKind::DuplicateKey {
            at: Location::file(path).line(*line),
            key: r[0].to_string(),
            first: None,
        }
        .into()
    })
}

fn load_languages(files: &Source<'_>, regions: &Regions) -> Result<Languages> {
    let (path, spoken) = (
        &files.path("languages.csv"),
        &files.path("territory_languages.csv"),
    );
    let mut langs = Languages::new();
    for (line, r) in files.records("languages.csv", &["code", "alpha2", "name"])? {
        let alpha2 = (!r[1].is_empty()).then(|| &r[1]);
        if langs.add(&r[0], alpha2, &r[2]).is_none() {
            return Err(ErrorKind::DuplicateKey {
                at: Location::file(path).line(line),
                key: r[0].into(),
                first: None,
            }
            .into());
        }
    }
    let header = ["territory", "language", "percent", "official"];
    for (line, r) in files.records("territory_languages.csv", &header)? {
        let at = || Location::file(spoken).line(line);
        let country = regions.lookup(&r[0]).ok_or_else(|| {
            Error::field(at(), "territory", "unknown country code")
                .with_value(Some(r[0].into()), None)
        })?;
        let language = langs.lookup(&r[1]).ok_or_else(|| {
            Error::field(at(), "language", "unknown language code")
                .with_value(Some(r[1].into()), None)
        })?;
        let percent: f32 = r[2]
            .parse()
            .ok()
            .filter(|p: &f32| (0.0..=100.0).contains(p))
            .ok_or_else(|| {
                Error::field(at(), "percent", "must be a number from 0 to 100")
                    .with_value(Some(r[2].into()), None)
            })?;
        langs.add_spoken(
            country,
            SpokenLanguage {
                language,
                percent,
                official: r[3].starts_with("official"),
            },
        );
    }
    Ok(langs)
}

/// The skill taxonomy of a reference folder: `skills.csv`, and where present the French and
/// Spanish labels (`skills_fr.csv`, `skills_es.csv`) and the curated synonyms
/// (`skill_synonyms.csv`).
fn load_taxonomy(files: &Source<'_>) -> Result<Taxonomy> {
    let path = files.path("skills.csv");
    let rows = files.records(
        "skills.csv",
        &["key", "kind", "label", "alt_labels", "broader"],
    )?;
    let mut recs = Vec::with_capacity(rows.len());
    for (line, r) in &rows {
        let kind = SkillKind::parse(&r[1]).ok_or_else(|| {
            Error::field(
                Location::file(&path).line(*line).key(&r[0]),
                "kind",
                "expected skill, knowledge, technology or group",
            )
            .with_value(Some(r[1].into()), None)
        })?;
        recs.push(SkillRecord {
            alt_labels: list(&r[3]),
            broader: list(&r[4]),
            // An optional sixth column: other keys of the same concept.
            aliases: r.get(5).map(list).unwrap_or_default(),
            ..SkillRecord::new(&r[0], kind, &r[2])
        });
    }
    let index: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, (_, r))| (&r[0], i))
        .collect();
    for language in [LabelLanguage::French, LabelLanguage::Spanish] {
        let name = format!("skills_{}.csv", language.code());
        if files.exists(&name) {
            load_translations(files, &name, language, &index, &mut recs)?;
        }
    }
    if files.exists("skill_synonyms.csv") {
        load_synonyms(files, &index, &mut recs)?;
    }
    // The taxonomy names the record; the file's line is known here.
    Taxonomy::from_records(recs).map_err(|e| match e.into_kind() {
        ErrorKind::Field {
            at, field, reason, ..
        } => {
            let i = at.index.unwrap_or(0).min(rows.len().saturating_sub(1));
            let (line, r) = &rows[i];
            Error::field(Location::file(&path).line(*line).key(&r[0]), field, reason)
        }
        other => other.into(),
    })
}

/// The record of a skill key in `skills.csv`, or an error naming the file, line and field.
fn skill_row(
    index: &HashMap<&str, usize>,
    key: &str,
    at: impl Fn() -> Location,
    field: &'static str,
) -> Result<usize> {
    index.get(key).copied().ok_or_else(|| {
        Error::field(at(), field, "unknown skill key").with_value(Some(key.into()), None)
    })
}

/// `key,label,alt_labels` rows of one language.
fn load_translations(
    files: &Source<'_>,
    name: &str,
    language: LabelLanguage,
    index: &HashMap<&str, usize>,
    recs: &mut [SkillRecord],
) -> Result<()> {
    let path = &files.path(name);
    for (line, r) in files.records(name, &["key", "label", "alt_labels"])? {
        let at = || Location::file(path).line(line).key(&r[0]);
        let i = skill_row(index, &r[0], at, "key")?;
        if r[1].trim().is_empty() {
            return Err(Error::field(at(), "label", "empty label"));
        }
        recs[i].translations.push(Translation {
            language,
            label: r[1].into(),
            alt_labels: list(&r[2]),
        });
    }
    Ok(())
}

/// `text,language,skill,source` rows: curated everyday words, each with the source that
/// justifies it.
fn load_synonyms(
    files: &Source<'_>,
    index: &HashMap<&str, usize>,
    recs: &mut [SkillRecord],
) -> Result<()> {
    let path = &files.path("skill_synonyms.csv");
    for (line, r) in files.records(
        "skill_synonyms.csv",
        &["text", "language", "skill", "source"],
    )? {
        let at = || Location::file(path).line(line);
        let language = LabelLanguage::from_code(&r[1]).ok_or_else(|| {
            Error::field(at(), "language", "expected en, fr or es")
                .with_value(Some(r[1].into()), None)
        })?;
        let i = skill_row(index, &r[2], at, "skill")?;
        if crate::taxonomy::normalise(&r[0]).is_empty() {
            return Err(Error::field(
                at(),
                "text",
                "a synonym needs letters or digits",
            ));
        }
        if r[3].trim().is_empty() {
            return Err(Error::field(
                at(),
                "source",
                "every synonym names its source",
            ));
        }
        recs[i].synonyms.push((language, r[0].into()));
    }
    Ok(())
}

/// The path of the reference data shipped with the crate (`data/reference` under the crate
/// root, where the crate was compiled), for examples and tests in its source tree. A program
/// that runs elsewhere uses [`Reference::bundled`](crate::Reference::bundled), or
/// [`load_reference`] on a folder of its own.
pub fn bundled_reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("reference")
}

#[cfg(all(test, feature = "bundled-reference"))]
mod tests {
    use crate::dataset::Reference;

    /// The built-in files are the folder's: the same skills, countries and languages in the
    /// same order, and the same labels, translations and synonyms.
    #[test]
    fn the_bundled_reference_is_the_folder() {
        let bundled = Reference::bundled().unwrap();
        let folder = super::load_reference(super::bundled_reference_dir()).unwrap();
        assert_eq!(
            crate::snapshot::fingerprint(&bundled),
            crate::snapshot::fingerprint(&folder)
        );
        let t = (&bundled.taxonomy, &folder.taxonomy);
        assert_eq!(t.0.len(), t.1.len());
        assert!(t.0.len() > 13_000);
        for text in ["MS Excel", "comptabilité", "enfermería", "Lagos"] {
            assert_eq!(t.0.resolve(text), t.1.resolve(text), "{text}");
        }
    }
}
