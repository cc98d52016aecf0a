//! Reading and writing reference data and datasets.
//!
//! # Reference data (`data/reference/`)
//!
//! | file | columns |
//! |---|---|
//! | `countries.csv` | `alpha2,alpha3,m49,name,region_code,region,sub_region_code,sub_region,intermediate_region_code,intermediate_region,ldc,lldc,sids` |
//! | `languages.csv` | `code,alpha2,name` (ISO 639-3, ISO 639-1) |
//! | `territory_languages.csv` | `territory,language,percent,official` (CLDR) |
//! | `skills.csv` | `key,kind,label,alt_labels,broader[,aliases]` (`|`-separated lists; `aliases` are other keys of the same concept) |
//! | `skills_fr.csv`, `skills_es.csv` (optional) | `key,label,alt_labels`: French and Spanish labels |
//! | `skill_synonyms.csv` (optional) | `text,language,skill,source`: curated everyday words, each with its source |
//! | `cities.csv` (optional) | `name`: place names that never resolve to a skill |
//!
//! # A dataset folder
//!
//! - `profiles.jsonl`, one [`ProfileRecord`] per line:
//!   `{"key":"p-000123","skills":[{"skill":"Python","level":4,"years":6}],"origins":[{"country":"GH","generation":1}],"residence":"GB","languages":[{"language":"en","level":"C2"}],"engagements":["remote"],"available":{"from":"2027-01-01","to":"2027-06-30"},"intermediary":true}`
//! - `opportunities.json`, an array of [`OpportunityRecord`]:
//!   `[{"key":"o-0042","title":"Ward nurse trainer","host":"org-tth","country":"GH","engagement":"return_temporary","requirements":[{"skill":"Medicine and Dentistry","weight":2.0,"min_level":3,"must":true}],"languages":[{"language":"en","level":"B2"}],"capacity":3,"window":{"from":"2027-02-01","to":"2027-05-31"}}]`
//! - `nodes.csv` (optional): `key,kind,intermediary`, people who are not profiles and
//!   organisations (`kind` = `person` or `organisation`); `intermediary` is the node's
//!   consent to relay introductions, honoured for organisations as for people. Every profile
//!   is a person node under its own key, with its `intermediary` consent.
//! - `ties.csv` (optional): `from,to,kind,strength`, keys of profiles or nodes; `kind` one of
//!   `family`, `community`, `alumni`, `colleague`, `mentor`, `organisational`; `strength` in
//!   `(0, 1]`.
//!
//! Skills are named by preferred label, alternative label or key; other spellings go through
//! [`Taxonomy::resolve`] and are listed in the [`ResolutionReport`]. Countries are ISO 3166
//! alpha-2 or alpha-3 codes, languages ISO 639-1 or 639-3 codes, levels CEFR `A1`..`C2` or
//! `native`, dates `YYYY-MM-DD`.
//!
//! Loading is all or nothing: the first bad record is an [`Error`] naming the file, the line
//! or record, the field and (except for personal fields of profiles) the value.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::dataset::{Dataset, Reference, check_weight};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::geo::{CountryRecord, Regions};
use crate::id::{NodeId, SkillId};
use crate::language::{Languages, SpokenLanguage};
use crate::limits::Limits;
use crate::model::{
    Date, Engagement, EngagementSet, Generation, HeldSkill, LanguageSkill, Level, Opportunity,
    Origin, Proficiency, Profile, Requirement, Window,
};
use crate::network::{Network, NodeKind, Tie, TieKind};
use crate::taxonomy::{
    LabelLanguage, MatchKind, ResolveOptions, SkillKind, SkillRecord, Taxonomy, Translation,
};

// ---------------------------------------------------------------------------------------------
// Records: the external format

/// A held skill in a [`ProfileRecord`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldSkillRecord {
    /// Label, alternative label or key of the taxonomy (free text is resolved).
    pub skill: String,
    /// 1 (basic) to 5 (expert).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// Years of practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<u8>,
}

/// An origin in a [`ProfileRecord`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginRecord {
    /// ISO 3166 alpha-2 or alpha-3 code.
    pub country: String,
    /// 1 when born there, 2 or 3 for descendants (default 1).
    #[serde(default = "one")]
    pub generation: u8,
}

fn one() -> u8 {
    1
}

/// A language with a level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageRecord {
    /// ISO 639-1 or 639-3 code.
    pub language: String,
    /// `A1`..`C2` or `native`.
    pub level: String,
}

/// A date window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowRecord {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
}

/// One line of `profiles.jsonl`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRecord {
    /// Pseudonymous key.
    pub key: String,
    /// Skills held.
    #[serde(default)]
    pub skills: Vec<HeldSkillRecord>,
    /// Countries of origin and heritage.
    #[serde(default)]
    pub origins: Vec<OriginRecord>,
    /// Country of residence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence: Option<String>,
    /// Languages spoken.
    #[serde(default)]
    pub languages: Vec<LanguageRecord>,
    /// Accepted engagement kinds.
    #[serde(default)]
    pub engagements: Vec<String>,
    /// Availability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<WindowRecord>,
    /// Consent to appear inside referral paths.
    #[serde(default)]
    pub intermediary: bool,
}

/// A requirement in an [`OpportunityRecord`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementRecord {
    /// Label, alternative label or key of the taxonomy.
    pub skill: String,
    /// Positive weight (default 1).
    #[serde(default = "unit")]
    pub weight: f64,
    /// Minimum level, 1 to 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_level: Option<u8>,
    /// Whether candidates without it are excluded.
    #[serde(default)]
    pub must: bool,
}

fn unit() -> f64 {
    1.0
}

/// One element of `opportunities.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpportunityRecord {
    /// Key.
    pub key: String,
    /// Title.
    pub title: String,
    /// Key of the host node.
    pub host: String,
    /// ISO 3166 code of the country.
    pub country: String,
    /// Engagement kind.
    pub engagement: String,
    /// Skills asked for.
    pub requirements: Vec<RequirementRecord>,
    /// Languages asked for.
    #[serde(default)]
    pub languages: Vec<LanguageRecord>,
    /// Places (default 1).
    #[serde(default = "one_u32")]
    pub capacity: u32,
    /// When it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowRecord>,
}

fn one_u32() -> u32 {
    1
}

// ---------------------------------------------------------------------------------------------
// Resolution report

/// One skill name that did not resolve exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedName {
    /// Where it was found.
    pub at: Location,
    /// The field, such as `skills[3].skill`.
    pub field: String,
    /// The text as written.
    pub text: String,
    /// The skill it resolved to, if any.
    pub skill: Option<SkillId>,
    /// How, if it resolved.
    pub how: Option<MatchKind>,
    /// Confidence in `[0, 1]`.
    pub confidence: f32,
    /// Close skills (for unresolved names: what was probably meant).
    pub suggestions: Vec<SkillId>,
}

/// What the loader did with skill names: counts by how they resolved, and every name that was
/// not an exact key or label.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResolutionReport {
    /// Names that were skill keys.
    pub keys: usize,
    /// Names that were preferred labels.
    pub labels: usize,
    /// Names that were alternative labels (synonyms).
    pub alt_labels: usize,
    /// Names resolved after normalisation or fuzzily (with their confidence), and names not
    /// resolved (with suggestions), in the order they were read.
    pub inexact: Vec<ResolvedName>,
}

impl std::fmt::Display for ResolutionReport {
    /// One line of counts: `412 names: 20 keys, 380 labels, 9 alternative labels, 2 normalised, 0 synonyms, 0 by words, 1 fuzzy, 0 unresolved`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = |k: Option<MatchKind>| self.inexact.iter().filter(|n| n.how == k).count();
        let total = self.keys + self.labels + self.alt_labels + self.inexact.len();
        write!(
            f,
            "{total} names: {} keys, {} labels, {} alternative labels, {} normalised, {} synonyms, {} by words, {} fuzzy, {} unresolved",
            self.keys,
            self.labels,
            self.alt_labels,
            count(Some(MatchKind::Normalised)),
            count(Some(MatchKind::Synonym)),
            count(Some(MatchKind::Words)),
            count(Some(MatchKind::Fuzzy)),
            count(None)
        )
    }
}

impl ResolutionReport {
    /// Names that did not resolve (dropped from their record, in lenient mode).
    pub fn unresolved(&self) -> impl Iterator<Item = &ResolvedName> {
        self.inexact.iter().filter(|r| r.skill.is_none())
    }
}

// ---------------------------------------------------------------------------------------------
// Reference data

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|source| {
        ErrorKind::Io {
            path: path.to_path_buf(),
            source,
        }
        .into()
    })
}

/// A reader that fails once more than `left` bytes would be read: the file size limit,
/// enforced while reading (a file that grows or lies about its size is caught too).
struct Capped<R> {
    inner: R,
    left: u64,
}

/// The error a [`Capped`] reader returns.
#[derive(Debug)]
struct OverLimit;

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("file larger than the limit")
    }
}

impl std::error::Error for OverLimit {}

impl<R: std::io::Read> std::io::Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(OverLimit)),
            };
        }
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let got = self.inner.read(&mut buf[..n])?;
        self.left -= got as u64;
        Ok(got)
    }
}

fn open_capped(path: &Path, limits: &Limits) -> Result<Capped<File>> {
    Ok(Capped {
        inner: open(path)?,
        left: limits.file_bytes,
    })
}

/// Whether an I/O error is a [`Capped`] reader's.
fn over_limit(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|x| x.is::<OverLimit>())
}

fn file_limit(path: &Path, limits: &Limits, line: Option<u64>) -> Error {
    let mut at = Location::file(path);
    at.line = line;
    Limits::exceeded("file_bytes", limits.file_bytes, at)
}

/// The string limit for a field.
fn check_chars(s: &str, limits: &Limits, at: impl FnOnce() -> Location) -> Result<()> {
    if s.len() > limits.string_chars && s.chars().count() > limits.string_chars {
        Err(Limits::exceeded(
            "string_chars",
            limits.string_chars as u64,
            at(),
        ))
    } else {
        Ok(())
    }
}

fn csv_reader(path: &Path, header: &[&str], limits: &Limits) -> Result<csv::Reader<Capped<File>>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(open_capped(path, limits)?);
    let got = rdr.headers().map_err(|e| csv_error(path, e, limits))?;
    let got: Vec<&str> = got.iter().collect();
    if got.len() < header.len() || got[..header.len()] != *header {
        return Err(ErrorKind::Syntax {
            at: Location::file(path).line(1),
            message: format!("expected the header {:?}", header.join(",")),
        }
        .into());
    }
    Ok(rdr)
}

fn csv_error(path: &Path, e: csv::Error, limits: &Limits) -> Error {
    let line = e.position().map(|p| p.line());
    if let csv::ErrorKind::Io(io) = e.kind()
        && over_limit(io)
    {
        return file_limit(path, limits, line);
    }
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        _ => "malformed CSV".into(),
    };
    let mut at = Location::file(path);
    at.line = line;
    ErrorKind::Syntax { at, message }.into()
}

/// The rows of a reference CSV file. Reference fields hold lists (all the alternative labels
/// of a skill), so the string limit is per field and wider than for datasets.
pub(crate) fn records(path: &Path, header: &[&str]) -> Result<Vec<(u64, csv::StringRecord)>> {
    let limits = Limits {
        string_chars: 1 << 16,
        ..Limits::default()
    };
    records_within(path, header, &limits)
}

/// The rows of a CSV file with their line numbers, within the file size, row count and
/// string length limits.
fn records_within(
    path: &Path,
    header: &[&str],
    limits: &Limits,
) -> Result<Vec<(u64, csv::StringRecord)>> {
    let mut rdr = csv_reader(path, header, limits)?;
    let mut out = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| csv_error(path, e, limits))?;
        let line = r.position().map_or(0, |p| p.line());
        if out.len() >= limits.records {
            return Err(Limits::exceeded(
                "records",
                limits.records as u64,
                Location::file(path).line(line),
            ));
        }
        for field in &r {
            check_chars(field, limits, || Location::file(path).line(line))?;
        }
        out.push((line, r));
    }
    Ok(out)
}

fn list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

/// Loads the reference data from a folder such as `data/reference`.
///
/// # Errors
///
/// A missing file, a malformed row, a duplicate code or key, or a broader skill key that names
/// no skill.
pub fn load_reference(dir: impl AsRef<Path>) -> Result<Reference> {
    let dir = dir.as_ref();
    let regions = load_regions(&dir.join("countries.csv"))?;
    let languages = load_languages(
        &dir.join("languages.csv"),
        &dir.join("territory_languages.csv"),
        &regions,
    )?;
    let mut taxonomy = load_taxonomy(dir)?;
    // Place and language names are no skills: never resolve them to a look-alike label.
    let places = (0..regions.len()).map(|i| regions.name(crate::id::RegionId::new(i as u32)));
    let tongues =
        (0..languages.len()).map(|i| languages.name(crate::id::LanguageId::new(i as u32)));
    taxonomy.exclude_names(places.chain(tongues));
    let cities = dir.join("cities.csv");
    if cities.exists() {
        let rows = records(&cities, &["name"])?;
        taxonomy.exclude_names(rows.iter().map(|(_, r)| &r[0]));
    }
    Ok(Reference {
        taxonomy,
        regions,
        languages,
    })
}

fn load_regions(path: &Path) -> Result<Regions> {
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
    let rows = records(path, &header)?;
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
            first: Location::file(path),
        }
        .into()
    })
}

fn load_languages(path: &Path, spoken: &Path, regions: &Regions) -> Result<Languages> {
    let mut langs = Languages::new();
    for (line, r) in records(path, &["code", "alpha2", "name"])? {
        let alpha2 = (!r[1].is_empty()).then(|| &r[1]);
        if langs.add(&r[0], alpha2, &r[2]).is_none() {
            return Err(ErrorKind::DuplicateKey {
                at: Location::file(path).line(line),
                key: r[0].into(),
                first: Location::file(path),
            }
            .into());
        }
    }
    for (line, r) in records(spoken, &["territory", "language", "percent", "official"])? {
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
fn load_taxonomy(dir: &Path) -> Result<Taxonomy> {
    let path = dir.join("skills.csv");
    let rows = records(&path, &["key", "kind", "label", "alt_labels", "broader"])?;
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
        let path = dir.join(format!("skills_{}.csv", language.code()));
        if path.exists() {
            load_translations(&path, language, &index, &mut recs)?;
        }
    }
    let path_synonyms = dir.join("skill_synonyms.csv");
    if path_synonyms.exists() {
        load_synonyms(&path_synonyms, &index, &mut recs)?;
    }
    Taxonomy::from_records(recs).map_err(|e| {
        let (line, r) = &rows[e.index.min(rows.len().saturating_sub(1))];
        Error::field(
            Location::file(&path).line(*line).key(&r[0]),
            e.field,
            e.reason,
        )
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
    path: &Path,
    language: LabelLanguage,
    index: &HashMap<&str, usize>,
    recs: &mut [SkillRecord],
) -> Result<()> {
    for (line, r) in records(path, &["key", "label", "alt_labels"])? {
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
    path: &Path,
    index: &HashMap<&str, usize>,
    recs: &mut [SkillRecord],
) -> Result<()> {
    for (line, r) in records(path, &["text", "language", "skill", "source"])? {
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

// ---------------------------------------------------------------------------------------------
// Datasets

/// Loads dataset folders; see the [module documentation](self) for the format.
#[derive(Clone, Debug)]
pub struct Loader {
    reference: Arc<Reference>,
    strict: bool,
    resolve: ResolveOptions,
    limits: Limits,
}

/// A loaded dataset with the report of how its skill names were resolved.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The dataset.
    pub dataset: Dataset,
    /// How skill names were resolved.
    pub report: ResolutionReport,
}

impl Loader {
    /// A strict loader over some reference data.
    pub fn new(reference: Arc<Reference>) -> Loader {
        Loader {
            reference,
            strict: true,
            resolve: ResolveOptions::default(),
            limits: Limits::default(),
        }
    }

    /// Strict (the default): a skill name that does not resolve is an error naming the
    /// record. Lenient: it is left out of its record and listed in the report (an opportunity
    /// left with no requirement is still an error).
    pub fn strict(mut self, strict: bool) -> Loader {
        self.strict = strict;
        self
    }

    /// Options for resolving free-text skill names.
    pub fn resolve_options(mut self, options: ResolveOptions) -> Loader {
        self.resolve = options;
        self
    }

    /// Sets the [`Limits`] (default: [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> Loader {
        self.limits = limits;
        self
    }

    /// Loads `profiles.jsonl`, `opportunities.json` and, when present, `nodes.csv` and
    /// `ties.csv` from a folder.
    ///
    /// # Errors
    ///
    /// The first missing file or bad record; nothing is returned half-loaded.
    pub fn load(&self, dir: impl AsRef<Path>) -> Result<Loaded> {
        self.limits.validate()?;
        let dir = dir.as_ref();
        let mut report = ResolutionReport::default();
        let mut dataset = Dataset::new(self.reference.clone());
        dataset.profiles = self.load_profiles(&dir.join("profiles.jsonl"), &mut report)?;
        for p in &dataset.profiles {
            dataset
                .network
                .add_node(&p.key, NodeKind::Person, p.intermediary)?;
        }
        let nodes = dir.join("nodes.csv");
        if nodes.exists() {
            load_nodes(&nodes, &mut dataset.network, &self.limits)?;
        }
        let ties = dir.join("ties.csv");
        if ties.exists() {
            load_ties(&ties, &mut dataset.network, &self.limits)?;
        }
        dataset.opportunities = self.load_opportunities(
            &dir.join("opportunities.json"),
            &dataset.network,
            &mut report,
        )?;
        dataset.validate()?;
        Ok(Loaded { dataset, report })
    }

    fn skill(
        &self,
        text: &str,
        at: &Location,
        field: &str,
        report: &mut ResolutionReport,
    ) -> Result<Option<SkillId>> {
        // Over-long text is refused before any fuzzy matching can spend time on it.
        check_chars(text, &self.limits, || at.clone())?;
        let r = self.reference.taxonomy.resolve_with(text, &self.resolve);
        match r.how {
            Some(MatchKind::Key) => {
                report.keys += 1;
                return Ok(r.skill);
            }
            Some(MatchKind::Label) => {
                report.labels += 1;
                return Ok(r.skill);
            }
            Some(MatchKind::AltLabel) => {
                report.alt_labels += 1;
                return Ok(r.skill);
            }
            Some(_) => {}
            None if self.strict => {
                let suggestion = r
                    .alternatives
                    .first()
                    .map(|s| self.reference.taxonomy.label(s.skill).to_string());
                return Err(Error::field(at.clone(), field, "unknown skill")
                    .with_value(Some(text.into()), suggestion));
            }
            None => {}
        }
        report.inexact.push(ResolvedName {
            at: at.clone(),
            field: field.into(),
            text: text.into(),
            skill: r.skill,
            how: r.how,
            confidence: r.confidence,
            suggestions: r.alternatives.iter().map(|s| s.skill).collect(),
        });
        Ok(r.skill)
    }

    fn load_profiles(&self, path: &Path, report: &mut ResolutionReport) -> Result<Vec<Profile>> {
        let reader = BufReader::new(open_capped(path, &self.limits)?);
        let mut out = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for (n, line) in reader.lines().enumerate() {
            let lineno = n as u64 + 1;
            let line = line.map_err(|source| {
                if over_limit(&source) {
                    file_limit(path, &self.limits, Some(lineno))
                } else {
                    ErrorKind::Io {
                        path: path.into(),
                        source,
                    }
                    .into()
                }
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let at = Location::file(path).line(lineno);
            if out.len() >= self.limits.records {
                return Err(Limits::exceeded("records", self.limits.records as u64, at));
            }
            let rec: ProfileRecord = serde_json::from_str(&line).map_err(|e| {
                Error::from(ErrorKind::Syntax {
                    at: at.clone(),
                    message: redact_quoted(&e.to_string()),
                })
            })?;
            check_chars(&rec.key, &self.limits, || at.clone())?;
            let at = at.key(&rec.key);
            if let Some(&first) = seen.get(&rec.key) {
                return Err(ErrorKind::DuplicateKey {
                    at,
                    key: rec.key,
                    first: Location::file(path).line(first),
                }
                .into());
            }
            seen.insert(rec.key.clone(), lineno);
            out.push(self.profile(rec, &at, report)?);
        }
        Ok(out)
    }

    /// Converts one profile record. Errors name the field but never print the personal value.
    fn profile(
        &self,
        rec: ProfileRecord,
        at: &Location,
        report: &mut ResolutionReport,
    ) -> Result<Profile> {
        let r = &*self.reference;
        let field = |f: String, reason: &str| Error::field(at.clone(), f, reason);
        if rec.key.is_empty() {
            return Err(field("key".into(), "empty key"));
        }
        self.limits.check_skills(rec.skills.len(), || at.clone())?;
        if rec.origins.len() + rec.languages.len() > 255 {
            return Err(field(
                "origins".into(),
                "more than 255 origins and languages",
            ));
        }
        let mut skills: Vec<HeldSkill> = Vec::with_capacity(rec.skills.len());
        for (i, s) in rec.skills.iter().enumerate() {
            let level = match s.level {
                None => None,
                Some(l) => Some(
                    Level::new(l)
                        .ok_or_else(|| field(format!("skills[{i}].level"), "must be 1 to 5"))?,
                ),
            };
            let Some(skill) = self.skill(&s.skill, at, &format!("skills[{i}].skill"), report)?
            else {
                continue;
            };
            // Two names for one skill ("Python", "python 3"): keep one entry, the best level.
            match skills.iter_mut().find(|h| h.skill == skill) {
                Some(h) => {
                    h.level = h.level.max(level);
                    h.years = h.years.max(s.years);
                }
                None => skills.push(HeldSkill {
                    skill,
                    level,
                    years: s.years,
                }),
            }
        }
        let mut origins = Vec::with_capacity(rec.origins.len());
        for (i, o) in rec.origins.iter().enumerate() {
            let country = r
                .regions
                .lookup(&o.country)
                .ok_or_else(|| field(format!("origins[{i}].country"), "unknown country code"))?;
            let generation = Generation::new(o.generation)
                .ok_or_else(|| field(format!("origins[{i}].generation"), "must be 1, 2 or 3"))?;
            origins.push(Origin {
                country,
                generation,
            });
        }
        let residence = match &rec.residence {
            None => None,
            Some(c) => Some(
                r.regions
                    .lookup(c)
                    .ok_or_else(|| field("residence".into(), "unknown country code"))?,
            ),
        };
        let languages = languages(&rec.languages, r, |f, reason| field(f, reason))?;
        let mut engagements = EngagementSet::EMPTY;
        for (i, e) in rec.engagements.iter().enumerate() {
            engagements.insert(
                engagement(e).map_err(|reason| field(format!("engagements[{i}]"), &reason))?,
            );
        }
        let available = match &rec.available {
            None => None,
            Some(w) => {
                Some(window(w).map_err(|(f, reason)| field(format!("available.{f}"), reason))?)
            }
        };
        Ok(Profile {
            key: rec.key,
            skills,
            origins,
            residence,
            languages,
            engagements,
            available,
            intermediary: rec.intermediary,
        })
    }

    fn load_opportunities(
        &self,
        path: &Path,
        network: &Network,
        report: &mut ResolutionReport,
    ) -> Result<Vec<Opportunity>> {
        let reader = BufReader::new(open_capped(path, &self.limits)?);
        let recs: Vec<OpportunityRecord> = serde_json::from_reader(reader).map_err(|e| {
            let line = (e.line() > 0).then_some(e.line() as u64);
            if e.io_error_kind().is_some()
                && std::error::Error::source(&e)
                    .and_then(|s| s.downcast_ref::<std::io::Error>())
                    .is_some_and(over_limit)
            {
                return file_limit(path, &self.limits, line);
            }
            let mut at = Location::file(path);
            at.line = line;
            Error::from(ErrorKind::Syntax {
                at,
                message: e.to_string(),
            })
        })?;
        if recs.len() > self.limits.records {
            return Err(Limits::exceeded(
                "records",
                self.limits.records as u64,
                Location::file(path).index(self.limits.records),
            ));
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(recs.len());
        for (i, rec) in recs.into_iter().enumerate() {
            check_chars(&rec.key, &self.limits, || Location::file(path).index(i))?;
            let at = Location::file(path).index(i).key(&rec.key);
            self.limits
                .check_requirements(rec.requirements.len(), || at.clone())?;
            if let Some(&first) = seen.get(&rec.key) {
                return Err(ErrorKind::DuplicateKey {
                    at,
                    key: rec.key,
                    first: Location::file(path).index(first),
                }
                .into());
            }
            seen.insert(rec.key.clone(), i);
            out.push(self.opportunity(rec, &at, network, report)?);
        }
        Ok(out)
    }

    /// Converts one opportunity record; errors show the offending values.
    fn opportunity(
        &self,
        rec: OpportunityRecord,
        at: &Location,
        network: &Network,
        report: &mut ResolutionReport,
    ) -> Result<Opportunity> {
        let r = &*self.reference;
        let field = |f: String, reason: &str, value: &str| {
            Error::field(at.clone(), f, reason).with_value(Some(value.into()), None)
        };
        if rec.key.is_empty() {
            return Err(field("key".into(), "empty key", ""));
        }
        let host = network
            .node(&rec.host)
            .ok_or_else(|| field("host".into(), "no node or profile has this key", &rec.host))?;
        let country = r.regions.lookup(&rec.country).ok_or_else(|| {
            Error::field(at.clone(), "country", "unknown country code")
                .with_value(Some(rec.country.clone()), r.regions.suggest(&rec.country))
        })?;
        let engagement = engagement(&rec.engagement)
            .map_err(|reason| field("engagement".into(), &reason, &rec.engagement))?;
        if rec.requirements.is_empty() {
            return Err(Error::field(
                at.clone(),
                "requirements",
                "at least one requirement is needed",
            ));
        }
        let mut requirements: Vec<Requirement> = Vec::with_capacity(rec.requirements.len());
        for (i, q) in rec.requirements.iter().enumerate() {
            let min_level = match q.min_level {
                None => None,
                Some(l) => Some(Level::new(l).ok_or_else(|| {
                    field(
                        format!("requirements[{i}].min_level"),
                        "must be 1 to 5",
                        &l.to_string(),
                    )
                })?),
            };
            let weight = q.weight as f32;
            let Some(skill) =
                self.skill(&q.skill, at, &format!("requirements[{i}].skill"), report)?
            else {
                continue;
            };
            let req = Requirement {
                skill,
                weight,
                min_level,
                must: q.must,
            };
            check_weight(&req).map_err(|reason| {
                field(
                    format!("requirements[{i}].weight"),
                    reason,
                    &q.weight.to_string(),
                )
            })?;
            if requirements.iter().any(|x| x.skill == skill) {
                return Err(field(
                    format!("requirements[{i}].skill"),
                    "the same skill is required twice",
                    &q.skill,
                ));
            }
            requirements.push(req);
        }
        if requirements.is_empty() {
            return Err(Error::field(
                at.clone(),
                "requirements",
                "no requirement names a known skill",
            ));
        }
        let languages = languages(&rec.languages, r, |f, reason| {
            Error::field(at.clone(), f, reason)
        })?;
        let window = match &rec.window {
            None => None,
            Some(w) => Some(window(w).map_err(|(f, reason)| {
                field(
                    format!("window.{f}"),
                    reason,
                    &format!("{} .. {}", w.from, w.to),
                )
            })?),
        };
        Ok(Opportunity {
            key: rec.key,
            title: rec.title,
            host,
            country,
            engagement,
            requirements,
            languages,
            capacity: rec.capacity,
            window,
        })
    }
}

fn languages(
    recs: &[LanguageRecord],
    r: &Reference,
    err: impl Fn(String, &str) -> Error,
) -> Result<Vec<LanguageSkill>> {
    let mut out = Vec::with_capacity(recs.len());
    for (i, l) in recs.iter().enumerate() {
        let language = r
            .languages
            .lookup(&l.language)
            .ok_or_else(|| err(format!("languages[{i}].language"), "unknown language code"))?;
        let level = l.level.parse::<Proficiency>().map_err(|()| {
            err(
                format!("languages[{i}].level"),
                "expected A1, A2, B1, B2, C1, C2 or native",
            )
        })?;
        out.push(LanguageSkill { language, level });
    }
    Ok(out)
}

fn engagement(s: &str) -> std::result::Result<Engagement, String> {
    s.parse().map_err(|()| {
        format!(
            "expected one of {}",
            Engagement::ALL
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

fn window(w: &WindowRecord) -> std::result::Result<Window, (&'static str, &'static str)> {
    let from: Date = w
        .from
        .parse()
        .map_err(|()| ("from", "expected a date YYYY-MM-DD"))?;
    let to: Date =
        w.to.parse()
            .map_err(|()| ("to", "expected a date YYYY-MM-DD"))?;
    Window::new(from, to).ok_or(("to", "ends before it starts"))
}

fn load_nodes(path: &Path, network: &mut Network, limits: &Limits) -> Result<()> {
    for (line, r) in records_within(path, &["key", "kind", "intermediary"], limits)? {
        let at = || Location::file(path).line(line).key(&r[0]);
        let kind: NodeKind = r[1].parse().map_err(|()| {
            Error::field(at(), "kind", "expected person or organisation")
                .with_value(Some(r[1].into()), None)
        })?;
        let intermediary = parse_bool(&r[2]).ok_or_else(|| {
            Error::field(at(), "intermediary", "expected true or false")
                .with_value(Some(r[2].into()), None)
        })?;
        network
            .add_node(&r[0], kind, intermediary)
            .map_err(|e| match e.into_kind() {
                ErrorKind::DuplicateKey { key, .. } => ErrorKind::DuplicateKey {
                    at: at(),
                    key,
                    first: Location::default(),
                }
                .into(),
                ErrorKind::Argument { reason, .. } => Error::field(at(), "key", reason),
                other => other.into(),
            })?;
    }
    Ok(())
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" | "" => Some(false),
        _ => None,
    }
}

fn load_ties(path: &Path, network: &mut Network, limits: &Limits) -> Result<()> {
    let mut degree: HashMap<NodeId, usize> = HashMap::new();
    for (line, r) in records_within(path, &["from", "to", "kind", "strength"], limits)? {
        let at = || Location::file(path).line(line);
        let node = |i: usize, f: &str| {
            network.node(&r[i]).ok_or_else(|| {
                Error::field(at(), f, "no profile or node has this key")
                    .with_value(Some(r[i].into()), None)
            })
        };
        let (a, b) = (node(0, "from")?, node(1, "to")?);
        let kind: TieKind = r[2].parse().map_err(|()| {
            Error::field(
                at(),
                "kind",
                "expected family, community, alumni, colleague, mentor or organisational",
            )
            .with_value(Some(r[2].into()), None)
        })?;
        let strength: f32 = r[3]
            .parse()
            .ok()
            .filter(|s: &f32| *s > 0.0 && *s <= 1.0)
            .ok_or_else(|| {
                Error::field(at(), "strength", "must be a number in (0, 1]")
                    .with_value(Some(r[3].into()), None)
            })?;
        if a == b {
            return Err(
                Error::field(at(), "to", "a tie must join two different nodes")
                    .with_value(Some(r[1].into()), None),
            );
        }
        for n in [a, b] {
            let d = degree.entry(n).or_default();
            *d += 1;
            if *d > limits.ties_per_node {
                return Err(Limits::exceeded(
                    "ties_per_node",
                    limits.ties_per_node as u64,
                    at().key(network.key(n)),
                ));
            }
        }
        network.add_tie(a, b, Tie { kind, strength })?;
    }
    Ok(())
}

/// Loads a dataset folder strictly; see [`Loader`] for the lenient mode and the report.
///
/// # Errors
///
/// The first missing file or bad record.
pub fn load_dataset(dir: impl AsRef<Path>, reference: Arc<Reference>) -> Result<Dataset> {
    Loader::new(reference).load(dir).map(|l| l.dataset)
}

/// Removes the text between double quotes from a parser message, so that an error about a
/// profile never repeats a personal value.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            if !inside {
                out.push_str("\"…\"");
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Shortest decimal that reads back as the same `f32`, as an `f64` for serde_json.
fn short(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

impl ProfileRecord {
    /// The external form of a profile.
    pub fn from_profile(p: &Profile, r: &Reference) -> ProfileRecord {
        ProfileRecord {
            key: p.key.clone(),
            skills: p
                .skills
                .iter()
                .map(|s| HeldSkillRecord {
                    skill: r.taxonomy.external_name(s.skill).into(),
                    level: s.level.map(Level::get),
                    years: s.years,
                })
                .collect(),
            origins: p
                .origins
                .iter()
                .map(|o| OriginRecord {
                    country: r.regions.code(o.country).into(),
                    generation: o.generation.get(),
                })
                .collect(),
            residence: p.residence.map(|c| r.regions.code(c).into()),
            languages: language_records(&p.languages, r),
            engagements: p.engagements.iter().map(|e| e.as_str().into()).collect(),
            available: p.available.map(window_record),
            intermediary: p.intermediary,
        }
    }
}

impl OpportunityRecord {
    /// The external form of an opportunity.
    pub fn from_opportunity(
        o: &Opportunity,
        r: &Reference,
        network: &Network,
    ) -> OpportunityRecord {
        Self::with_host_key(o, r, network.key(o.host))
    }

    /// The external form of an opportunity whose host's key is known without a network (as
    /// when streaming a synthetic population).
    pub fn with_host_key(o: &Opportunity, r: &Reference, host: &str) -> OpportunityRecord {
        OpportunityRecord {
            key: o.key.clone(),
            title: o.title.clone(),
            host: host.into(),
            country: r.regions.code(o.country).into(),
            engagement: o.engagement.as_str().into(),
            requirements: o
                .requirements
                .iter()
                .map(|q| RequirementRecord {
                    skill: r.taxonomy.external_name(q.skill).into(),
                    weight: short(q.weight),
                    min_level: q.min_level.map(Level::get),
                    must: q.must,
                })
                .collect(),
            languages: language_records(&o.languages, r),
            capacity: o.capacity,
            window: o.window.map(window_record),
        }
    }
}

fn language_records(l: &[LanguageSkill], r: &Reference) -> Vec<LanguageRecord> {
    l.iter()
        .map(|l| LanguageRecord {
            language: r.languages.short_code(l.language).into(),
            level: l.level.as_str().into(),
        })
        .collect()
}

fn window_record(w: Window) -> WindowRecord {
    WindowRecord {
        from: w.from().to_string(),
        to: w.to().to_string(),
    }
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    File::create(path).map(BufWriter::new).map_err(|source| {
        ErrorKind::Io {
            path: path.into(),
            source,
        }
        .into()
    })
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| {
        ErrorKind::Io {
            path: path.into(),
            source,
        }
        .into()
    }
}

/// Writes a dataset folder that [`load_dataset`] reads back to an equal dataset: skills by
/// preferred label (by key where a label is ambiguous), opportunities as indented JSON.
///
/// The empty places that [`Engine::remove_profile`](crate::Engine::remove_profile) leaves are
/// skipped, so ids after an erased profile shift by one on reading back; keys stay.
///
/// # Errors
///
/// A file that cannot be written.
pub fn write_dataset(dir: impl AsRef<Path>, dataset: &Dataset) -> Result<()> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let r = &*dataset.reference;
    let path = dir.join("profiles.jsonl");
    let mut w = create(&path)?;
    // The empty places of erased profiles are not written: the keys identify records.
    for p in dataset
        .profiles
        .iter()
        .filter(|p| !crate::dataset::is_erased(p))
    {
        let line = serde_json::to_string(&ProfileRecord::from_profile(p, r))
            .map_err(|e| io_err(&path)(e.into()))?;
        writeln!(w, "{line}").map_err(io_err(&path))?;
    }
    w.flush().map_err(io_err(&path))?;

    let path = dir.join("opportunities.json");
    let recs: Vec<_> = dataset
        .opportunities
        .iter()
        .map(|o| OpportunityRecord::from_opportunity(o, r, &dataset.network))
        .collect();
    let mut w = create(&path)?;
    serde_json::to_writer_pretty(&mut w, &recs).map_err(|e| io_err(&path)(e.into()))?;
    writeln!(w)
        .and_then(|()| w.flush())
        .map_err(io_err(&path))?;

    let profile_keys: std::collections::HashSet<&str> =
        dataset.profiles.iter().map(|p| p.key.as_str()).collect();
    let net = &dataset.network;
    let path = dir.join("nodes.csv");
    let mut w = csv::Writer::from_writer(create(&path)?);
    let csv_err = |path: &Path, e: csv::Error| csv_error(path, e, &Limits::default());
    w.write_record(["key", "kind", "intermediary"])
        .map_err(|e| csv_err(&path, e))?;
    for n in net.nodes() {
        if profile_keys.contains(net.key(n)) {
            continue;
        }
        let kind = net.kind(n).map_or("person", NodeKind::as_str);
        let consent = if net.is_intermediary(n) {
            "true"
        } else {
            "false"
        };
        w.write_record([net.key(n), kind, consent])
            .map_err(|e| csv_err(&path, e))?;
    }
    w.flush().map_err(io_err(&path))?;

    let path = dir.join("ties.csv");
    let mut w = csv::Writer::from_writer(create(&path)?);
    w.write_record(["from", "to", "kind", "strength"])
        .map_err(|e| csv_err(&path, e))?;
    for (a, b, tie) in net.all_ties() {
        w.write_record([
            net.key(a),
            net.key(b),
            tie.kind.as_str(),
            &tie.strength.to_string(),
        ])
        .map_err(|e| csv_err(&path, e))?;
    }
    w.flush().map_err(io_err(&path))?;
    Ok(())
}

/// The path of the reference data shipped with the crate (`data/reference` under the crate
/// root), for examples and tests.
pub fn bundled_reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("reference")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_redacted() {
        assert_eq!(
            redact_quoted(r#"invalid type: string "GH", expected u8 at line 1"#),
            r#"invalid type: string "…", expected u8 at line 1"#
        );
    }
}
