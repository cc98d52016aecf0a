//! The external format of a dataset: the records of `profiles.jsonl` and
//! `opportunities.json`, as serde reads and writes them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A held skill in a [`ProfileRecord`].
#[derive(Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageRecord {
    /// ISO 639-1 or 639-3 code.
    pub language: String,
    /// `A1`..`C2` or `native`.
    pub level: String,
}

/// A date window.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowRecord {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
}

/// One line of `profiles.jsonl`. `Debug` prints the key and the number of skills only: the
/// other fields are personal.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
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
    /// What the person is ready to invest and to give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capital: Option<CapitalRecord>,
    /// Sectors and causes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interests: Option<InterestsRecord>,
}

/// The `capital` of a [`ProfileRecord`]: `{"invest_usd":[5000,50000],"donate_usd_per_year":[500,2000]}`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapitalRecord {
    /// The range the person is ready to invest, in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invest_usd: Option<[f64; 2]>,
    /// The range the person is ready to give per year, in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donate_usd_per_year: Option<[f64; 2]>,
}

/// The `interests` of a [`ProfileRecord`]: `{"sectors":["A","Q86"],"causes":[3,6]}`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterestsRecord {
    /// ISIC Rev.4 sections (`A`) or divisions (`Q86` or `86`).
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Sustainable Development Goals, 1 to 17.
    #[serde(default)]
    pub causes: Vec<i64>,
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
    /// Skills asked for: at least one for work, any number for `invest`, `donate` and
    /// `tourism`.
    #[serde(default)]
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
    /// For `invest`: the range one investor may put in, in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_usd: Option<[f64; 2]>,
    /// For `donate`: the funding gap, in US dollars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap_usd: Option<f64>,
    /// ISIC Rev.4 section or division.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// Sustainable Development Goals served, 1 to 17.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<i64>,
    /// Countries of settlement sought (ISO 3166 codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settlement: Vec<String>,
}

fn one_u32() -> u32 {
    1
}

impl ProfileRecord {
    /// Every string of the record (the key first), for the length limits checked before
    /// anything else reads them.
    pub(crate) fn strings(&self) -> impl Iterator<Item = &str> {
        let skills = self.skills.iter().map(|s| s.skill.as_str());
        let origins = self.origins.iter().map(|o| o.country.as_str());
        let languages = self.languages.iter().flat_map(|l| [&l.language, &l.level]);
        let window = self.available.iter().flat_map(|w| [&w.from, &w.to]);
        let sectors = self.interests.iter().flat_map(|i| &i.sectors);
        std::iter::once(self.key.as_str())
            .chain(skills)
            .chain(origins)
            .chain(self.residence.as_deref())
            .chain(languages.map(String::as_str))
            .chain(self.engagements.iter().map(String::as_str))
            .chain(window.map(String::as_str))
            .chain(sectors.map(String::as_str))
    }
}

impl OpportunityRecord {
    /// Every short string of the record (the key first; the title is free text, limited
    /// apart), for the length limits checked before anything else reads them.
    pub(crate) fn strings(&self) -> impl Iterator<Item = &str> {
        let requirements = self.requirements.iter().map(|r| r.skill.as_str());
        let languages = self.languages.iter().flat_map(|l| [&l.language, &l.level]);
        let window = self.window.iter().flat_map(|w| [&w.from, &w.to]);
        [
            self.key.as_str(),
            &self.host,
            &self.country,
            &self.engagement,
        ]
        .into_iter()
        .chain(requirements)
        .chain(languages.map(String::as_str))
        .chain(window.map(String::as_str))
        .chain(self.sector.as_deref())
        .chain(self.settlement.iter().map(String::as_str))
    }
}

/// `Debug` for the records a profile is made of: they hold personal values, so only the
/// record's name (and a profile's key and list lengths) is printed.
macro_rules! redacted_debug {
    ($($record:ident),*) => {$(
        impl fmt::Debug for $record {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($record))
                    .field("personal_fields", &"<redacted>")
                    .finish()
            }
        }
    )*};
}

redacted_debug!(
    HeldSkillRecord,
    OriginRecord,
    LanguageRecord,
    WindowRecord,
    CapitalRecord,
    InterestsRecord
);

impl fmt::Debug for ProfileRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileRecord")
            .field("key", &self.key)
            .field("skills", &self.skills.len())
            .field("personal_fields", &"<redacted>")
            .finish()
    }
}
