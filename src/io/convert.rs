//! Records into the model one at a time, as JSON text or as record values: for a service that
//! keeps profiles and opportunities in its own store (a database, a request body) rather
//! than in a dataset folder. The limits, the checks, the name resolution and the errors are
//! those of [`Loader::load`], which reads every record of a folder through the same
//! functions.

use crate::dataset::{opportunity_repeats, profile_repeats};
use crate::error::{Error, Location, Result};
use crate::limits::Limits;
use crate::model::{Opportunity, Profile};
use crate::network::Network;

use super::load::Loader;
use super::read::{check_chars, check_text};
use super::records::{OpportunityRecord, ProfileRecord};
use super::report::ResolutionReport;
use super::shape::profile_message;

impl Loader {
    /// Converts a profile record, resolving its skill names as [`Loader::load`] does (the
    /// resolutions go to `report`). Errors name record `index` (its place in the caller's
    /// list), its key and the field, never a personal value.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use diaspora_match::io::{self, Loader, ProfileRecord, ResolutionReport};
    /// let reference = Arc::new(io::load_reference(io::bundled_reference_dir())?);
    /// let loader = Loader::new(reference.clone());
    /// let mut report = ResolutionReport::default();
    /// let text = r#"{"key":"p-1","skills":[{"skill":"MS Excel","level":4}],"origins":[{"country":"GH"}]}"#;
    /// let profile = loader.profile_json(text, 0, &mut report)?;
    /// let t = &reference.taxonomy;
    /// assert_eq!(t.label(profile.skills[0].skill), "use spreadsheets software");
    /// // Back to the external form: the skill under its preferred label.
    /// let record = ProfileRecord::from_profile(&profile, &reference);
    /// assert_eq!(record.skills[0].skill, "use spreadsheets software");
    /// assert_eq!(loader.profile(record, 0, &mut report)?, profile);
    /// // A bad record is an error naming the record and the field.
    /// let bad = r#"{"key":"p-2","origins":[{"country":"XX"}]}"#;
    /// let e = loader.profile_json(bad, 7, &mut report).unwrap_err();
    /// assert!(e.to_string().contains("origins[0].country"), "{e}");
    /// # Ok::<(), diaspora_match::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Loader::load`] for one line of `profiles.jsonl`.
    pub fn profile(
        &self,
        record: ProfileRecord,
        index: usize,
        report: &mut ResolutionReport,
    ) -> Result<Profile> {
        self.limits.validate()?;
        let at = self.profile_strings(&record, Location::default().index(index))?;
        self.profile_record(record, &at, report)
    }

    /// [`Loader::profile`] of one JSON object (a line of `profiles.jsonl`, a request body).
    ///
    /// # Errors
    ///
    /// Text longer than [`Limits::record_bytes`]; JSON that is not a profile record (said
    /// without its values); then as [`Loader::profile`].
    pub fn profile_json(
        &self,
        text: &str,
        index: usize,
        report: &mut ResolutionReport,
    ) -> Result<Profile> {
        let at = Location::default().index(index);
        self.record_bytes(text, &at)?;
        let record: ProfileRecord = serde_json::from_str(text)
            .map_err(|e| Error::syntax(at.clone(), &profile_message(text, &e)))?;
        self.profile(record, index, report)
    }

    /// Converts an opportunity record whose host is a node of `network`, resolving its skill
    /// names as [`Loader::load`] does. Errors name record `index`, its key and the field.
    ///
    /// # Errors
    ///
    /// As [`Loader::load`] for one element of `opportunities.json`.
    pub fn opportunity(
        &self,
        record: OpportunityRecord,
        index: usize,
        network: &Network,
        report: &mut ResolutionReport,
    ) -> Result<Opportunity> {
        self.limits.validate()?;
        let at = self.opportunity_strings(&record, Location::default().index(index))?;
        self.opportunity_record(record, &at, network, report)
    }

    /// [`Loader::opportunity`] of one JSON object.
    ///
    /// # Errors
    ///
    /// Text longer than [`Limits::record_bytes`]; JSON that is not an opportunity record;
    /// then as [`Loader::opportunity`].
    pub fn opportunity_json(
        &self,
        text: &str,
        index: usize,
        network: &Network,
        report: &mut ResolutionReport,
    ) -> Result<Opportunity> {
        let at = Location::default().index(index);
        self.record_bytes(text, &at)?;
        let record: OpportunityRecord =
            serde_json::from_str(text).map_err(|e| Error::syntax(at, &e.to_string()))?;
        self.opportunity(record, index, network, report)
    }

    fn record_bytes(&self, text: &str, at: &Location) -> Result<()> {
        if text.len() > self.limits.record_bytes {
            return Err(Limits::exceeded(
                "record_bytes",
                self.limits.record_bytes as u64,
                at.clone(),
            ));
        }
        Ok(())
    }

    /// Every string of a profile record within the limits, before anything reads the record;
    /// the location `at` with the record's key.
    pub(crate) fn profile_strings(&self, rec: &ProfileRecord, at: Location) -> Result<Location> {
        check_chars(&rec.key, &self.limits, || at.clone())?;
        let at = at.key(&rec.key);
        for s in rec.strings().skip(1) {
            check_chars(s, &self.limits, || at.clone())?;
        }
        Ok(at)
    }

    /// A profile record converted, each skill, country and language once.
    pub(crate) fn profile_record(
        &self,
        rec: ProfileRecord,
        at: &Location,
        report: &mut ResolutionReport,
    ) -> Result<Profile> {
        let p = self.convert_profile(rec, at, report)?;
        if let Some((field, reason)) = profile_repeats(&p) {
            return Err(Error::field(at.clone(), field, reason));
        }
        Ok(p)
    }

    /// Every string, the title and the number of requirements of an opportunity record
    /// within the limits; the location `at` with the record's key.
    pub(crate) fn opportunity_strings(
        &self,
        rec: &OpportunityRecord,
        at: Location,
    ) -> Result<Location> {
        check_chars(&rec.key, &self.limits, || at.clone())?;
        let at = at.key(&rec.key);
        for s in rec.strings().skip(1) {
            check_chars(s, &self.limits, || at.clone())?;
        }
        check_text(&rec.title, &self.limits, || at.clone())?;
        self.limits
            .check_requirements(rec.requirements.len(), || at.clone())?;
        Ok(at)
    }

    /// An opportunity record converted, each skill and language once.
    pub(crate) fn opportunity_record(
        &self,
        rec: OpportunityRecord,
        at: &Location,
        network: &Network,
        report: &mut ResolutionReport,
    ) -> Result<Opportunity> {
        let o = self.convert_opportunity(rec, at, network, report)?;
        if let Some((field, reason)) = opportunity_repeats(&o) {
            return Err(Error::field(at.clone(), field, reason));
        }
        Ok(o)
    }
}
