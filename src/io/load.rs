//! Loading a dataset folder: profiles, opportunities, nodes and ties, every name resolved to
//! its id, all or nothing.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use crate::dataset::{Dataset, Reference, check_weight};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::id::SkillId;
use crate::limits::Limits;
use crate::model::{
    Date, Engagement, EngagementSet, Generation, HeldSkill, LanguageSkill, Level, Opportunity,
    Origin, Proficiency, Profile, Requirement, Window,
};
use crate::network::{Network, NodeKind};
use crate::taxonomy::{MatchKind, ResolveOptions};
use crate::util::text::key_problem;

use super::channels;
use super::network::{load_nodes, load_ties};
use super::read::{check_chars, file_limit, open_capped, over_limit};
use super::records::{
    HeldSkillRecord, LanguageRecord, OpportunityRecord, OriginRecord, ProfileRecord,
    RequirementRecord, WindowRecord,
};
use super::report::{ResolutionReport, ResolvedName};
use super::shape::profile_message;
use super::stream::{ArrayError, Lines, read_array};

/// Loads dataset folders; see the [module documentation](crate::io) for the format.
#[derive(Clone, Debug)]
pub struct Loader {
    pub(crate) reference: Arc<Reference>,
    pub(crate) strict: bool,
    pub(crate) resolve: ResolveOptions,
    pub(crate) limits: Limits,
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
        dataset.network.set_limits(self.limits);
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

    /// Resolves a skill name. Under a strict loader an unknown name is an error, which
    /// repeats the name and suggests a skill only when the name is not `personal` (a
    /// requirement's, not a profile's).
    pub(crate) fn skill(
        &self,
        text: &str,
        personal: bool,
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
                let error = Error::field(at.clone(), field, "unknown skill");
                if personal {
                    return Err(error);
                }
                let suggestion = r
                    .alternatives
                    .first()
                    .map(|s| self.reference.taxonomy.label(s.skill).to_string());
                return Err(error.with_value(Some(text.into()), suggestion));
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

    pub(crate) fn load_profiles(
        &self,
        path: &Path,
        report: &mut ResolutionReport,
    ) -> Result<Vec<Profile>> {
        let reader = BufReader::new(open_capped(path, &self.limits)?);
        let mut lines = Lines::new(reader, path, &self.limits);
        let mut out = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        while let Some((lineno, line)) = lines.next_line()? {
            if line.trim().is_empty() {
                continue;
            }
            let at = Location::file(path).line(lineno);
            if out.len() >= self.limits.records {
                return Err(Limits::exceeded("records", self.limits.records as u64, at));
            }
            let rec: ProfileRecord = serde_json::from_str(line)
                .map_err(|e| Error::syntax(at.clone(), &profile_message(line, &e)))?;
            let at = self.profile_strings(&rec, at)?;
            if let Some(&first) = seen.get(&rec.key) {
                return Err(ErrorKind::DuplicateKey {
                    at,
                    key: rec.key,
                    first: Some(Location::file(path).line(first)),
                }
                .into());
            }
            seen.insert(rec.key.clone(), lineno);
            out.push(self.profile_record(rec, &at, report)?);
        }
        Ok(out)
    }

    /// A profile's skills, two names of one skill ("Python", "python 3") kept as one entry
    /// with the best level and years; a name that resolves to nothing is dropped (and
    /// reported) unless the loader is strict.
    fn held_skills(
        &self,
        records: &[HeldSkillRecord],
        at: &Location,
        report: &mut ResolutionReport,
    ) -> Result<Vec<HeldSkill>> {
        let field = |f: String, reason: &str| Error::field(at.clone(), f, reason);
        let mut skills: Vec<HeldSkill> = Vec::with_capacity(records.len());
        for (i, s) in records.iter().enumerate() {
            let level = match s.level {
                None => None,
                Some(l) => Some(
                    Level::new(l)
                        .ok_or_else(|| field(format!("skills[{i}].level"), "must be 1 to 5"))?,
                ),
            };
            let Some(skill) =
                self.skill(&s.skill, true, at, &format!("skills[{i}].skill"), report)?
            else {
                continue;
            };
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
        Ok(skills)
    }

    /// Converts one profile record. Errors name the field but never print the personal value.
    pub(crate) fn convert_profile(
        &self,
        rec: ProfileRecord,
        at: &Location,
        report: &mut ResolutionReport,
    ) -> Result<Profile> {
        let r = &*self.reference;
        let field = |f: String, reason: &str| Error::field(at.clone(), f, reason);
        if let Some(reason) = key_problem(&rec.key) {
            return Err(field("key".into(), reason));
        }
        self.limits.check_skills(rec.skills.len(), || at.clone())?;
        if rec.origins.len() + rec.languages.len() > 255 {
            return Err(field(
                "origins".into(),
                "more than 255 origins and languages",
            ));
        }
        let skills = self.held_skills(&rec.skills, at, report)?;
        let origins = origins(&rec.origins, r, at)?;
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
        let personal = |f: String, reason: &str| field(f, reason);
        let capital = channels::capital(rec.capital.as_ref(), &personal)?;
        let interests = channels::interests(rec.interests.as_ref(), &personal)?;
        Ok(Profile {
            key: rec.key,
            skills,
            origins,
            residence,
            languages,
            engagements,
            available,
            intermediary: rec.intermediary,
            capital,
            interests,
        })
    }

    pub(crate) fn load_opportunities(
        &self,
        path: &Path,
        network: &Network,
        report: &mut ResolutionReport,
    ) -> Result<Vec<Opportunity>> {
        let reader = BufReader::new(open_capped(path, &self.limits)?);
        let records = self.limits.records;
        let max_bytes = self.limits.record_bytes;
        let read = read_array(reader, records, max_bytes);
        let recs: Vec<OpportunityRecord> = read.map_err(|e| match e {
            ArrayError::TooMany => Limits::exceeded(
                "records",
                records as u64,
                Location::file(path).index(records),
            ),
            ArrayError::TooLong(i) => Limits::exceeded(
                "record_bytes",
                max_bytes as u64,
                Location::file(path).index(i),
            ),
            ArrayError::Json(e) => {
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
                Error::syntax(at, &e.to_string())
            }
        })?;
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(recs.len());
        for (i, rec) in recs.into_iter().enumerate() {
            let at = self.opportunity_strings(&rec, Location::file(path).index(i))?;
            if let Some(&first) = seen.get(&rec.key) {
                return Err(ErrorKind::DuplicateKey {
                    at,
                    key: rec.key,
                    first: Some(Location::file(path).index(first)),
                }
                .into());
            }
            seen.insert(rec.key.clone(), i);
            out.push(self.opportunity_record(rec, &at, network, report)?);
        }
        Ok(out)
    }

    /// Converts one opportunity record; errors show the offending values.
    pub(crate) fn convert_opportunity(
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
        if let Some(reason) = key_problem(&rec.key) {
            return Err(Error::field(at.clone(), "key", reason));
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
        let requirements = self.requirements(&rec.requirements, at, report)?;
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
        let channels = channels::opportunity(&rec, &r.regions, &|f: String, reason: &str| {
            Error::field(at.clone(), f, reason)
        })?;
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
            ticket: channels.ticket,
            gap: channels.gap,
            sector: channels.sector,
            causes: channels.causes,
            settlement: channels.settlement,
        })
    }

    /// An opportunity's requirements: at least one, each skill once, weights and levels in
    /// range; a skill name that resolves to nothing is dropped (and reported) unless the
    /// loader is strict.
    fn requirements(
        &self,
        records: &[RequirementRecord],
        at: &Location,
        report: &mut ResolutionReport,
    ) -> Result<Vec<Requirement>> {
        let field = |f: String, reason: &str, value: &str| {
            Error::field(at.clone(), f, reason).with_value(Some(value.into()), None)
        };
        if records.is_empty() {
            // Whether the kind may have none is the dataset's rule, checked after.
            return Ok(Vec::new());
        }
        let mut requirements: Vec<Requirement> = Vec::with_capacity(records.len());
        for (i, q) in records.iter().enumerate() {
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
            let Some(skill) = self.skill(
                &q.skill,
                false,
                at,
                &format!("requirements[{i}].skill"),
                report,
            )?
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
        Ok(requirements)
    }
}

pub(crate) fn languages(
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

pub(crate) fn engagement(s: &str) -> std::result::Result<Engagement, String> {
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

pub(crate) fn window(
    w: &WindowRecord,
) -> std::result::Result<Window, (&'static str, &'static str)> {
    let from: Date = w
        .from
        .parse()
        .map_err(|()| ("from", "expected a date YYYY-MM-DD"))?;
    let to: Date =
        w.to.parse()
            .map_err(|()| ("to", "expected a date YYYY-MM-DD"))?;
    Window::new(from, to).ok_or(("to", "ends before it starts"))
}

/// Loads a dataset folder strictly; see [`Loader`] for the lenient mode and the report.
///
/// # Errors
///
/// The first missing file or bad record.
pub fn load_dataset(dir: impl AsRef<Path>, reference: Arc<Reference>) -> Result<Dataset> {
    Loader::new(reference).load(dir).map(|l| l.dataset)
}

/// A profile's origins: known countries and generations 1 to 3.
fn origins(records: &[OriginRecord], r: &Reference, at: &Location) -> Result<Vec<Origin>> {
    let field = |f: String, reason: &str| Error::field(at.clone(), f, reason);
    let mut origins = Vec::with_capacity(records.len());
    for (i, o) in records.iter().enumerate() {
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
    Ok(origins)
}
