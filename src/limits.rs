//! [`Limits`]: bounds on what the crate accepts from outside, so that input a service did not
//! write can cost it neither unbounded memory nor unbounded time.

use serde::{Deserialize, Serialize};

/// Bounds on input sizes and query arguments. Exceeding one is
/// [`ErrorKind::Limit`](crate::ErrorKind::Limit), naming the limit and the record.
///
/// The defaults fit a national registry of tens of millions of people on one server; a
/// service facing the open internet should lower `file_bytes`, `records` and `k`.
///
/// | limit | default | enforced by |
/// |---|---|---|
/// | `file_bytes` | 16 GiB | [`io::Loader`](crate::io::Loader), while reading each file |
/// | `string_chars` | 256 | the loader: every key, skill name, code and date of a record, before anything else reads the record |
/// | `text_chars` | 2,000 | the loader: titles |
/// | `records` | 100,000,000 | the loader, per file, counted as the records stream |
/// | `record_bytes` | 1 MiB | the loader, per line of `profiles.jsonl` and of the CSV files and per element of `opportunities.json`, while it is read |
/// | `skills_per_profile` | 255 | the loader and [`EngineBuilder::build`](crate::EngineBuilder::build) |
/// | `requirements_per_opportunity` | 255 | the loader and the engine builder |
/// | `ties_per_node` | 100,000 | the loader |
/// | `hops` | 6 | the engine builder (`network_max_hops`) and every search of [`Network`](crate::Network) |
/// | `k` | 1,000,000 | every ranked query of [`Engine`](crate::Engine) |
/// | `paths` | 100 | [`Network::referral_paths`](crate::Network::referral_paths) |
///
/// A [`Network`](crate::Network) checks its searches against its own limits
/// ([`Network::set_limits`](crate::Network::set_limits)); the loader and the engine's builder
/// give it theirs.
///
/// # Example
///
/// ```
/// use diaspora_match::Limits;
/// let strict = Limits { records: 1_000, k: 100, ..Limits::default() };
/// assert!(strict.validate().is_ok());
/// assert!(Limits { skills_per_profile: 1_000, ..Limits::default() }.validate().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Bytes per input file.
    pub file_bytes: u64,
    /// Characters in one key, name or code.
    pub string_chars: usize,
    /// Characters in one free text (an opportunity's title).
    pub text_chars: usize,
    /// Records (lines, rows or array elements) per file.
    pub records: usize,
    /// Bytes in one record: a line of JSON Lines (one profile) or CSV, an element of a JSON
    /// array (one opportunity); refused by its length while it is read.
    pub record_bytes: usize,
    /// Skills one profile may list (at most 255, the compact store's own bound).
    pub skills_per_profile: usize,
    /// Requirements one opportunity may list (at most 255).
    pub requirements_per_opportunity: usize,
    /// Ties one node may have.
    pub ties_per_node: usize,
    /// Ties in the longest referral path searched.
    pub hops: u8,
    /// The largest `k` a ranked query may ask for.
    pub k: usize,
    /// The most referral paths one query may ask for (each costs a search per tie of the
    /// path before it).
    pub paths: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Ten million synthetic profiles take about 8 GB of JSON Lines.
            file_bytes: 16 << 30,
            // Keys and skill labels are short; the longest ESCO label has 169 characters.
            string_chars: 256,
            text_chars: 2_000,
            records: 100_000_000,
            // A profile of 255 skills with 256-character names is about 70 KB.
            record_bytes: 1 << 20,
            skills_per_profile: 255,
            requirements_per_opportunity: crate::score::MAX_REQUIREMENTS,
            // An organisation may know many people; a hundred thousand is still a search the
            // referral code handles in milliseconds.
            ties_per_node: 100_000,
            hops: crate::score::MAX_NETWORK_HOPS,
            k: 1_000_000,
            paths: 100,
        }
    }
}

impl Limits {
    /// Checks that no limit exceeds what the crate's compact structures can hold.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) naming the limit.
    pub fn validate(&self) -> crate::Result<()> {
        if self.skills_per_profile > 255 {
            return Err(crate::Error::config(
                "limits.skills_per_profile",
                "must be at most 255",
            ));
        }
        if self.requirements_per_opportunity > crate::score::MAX_REQUIREMENTS {
            return Err(crate::Error::config(
                "limits.requirements_per_opportunity",
                "must be at most 255",
            ));
        }
        if self.hops > crate::score::MAX_NETWORK_HOPS {
            return Err(crate::Error::config(
                "limits.hops",
                format!("must be at most {}", crate::score::MAX_NETWORK_HOPS),
            ));
        }
        Ok(())
    }

    /// Refuses a profile with more than `skills_per_profile` skills (`n`) at `at()`.
    pub(crate) fn check_skills(
        &self,
        n: usize,
        at: impl FnOnce() -> crate::Location,
    ) -> crate::Result<()> {
        Self::at_most("skills_per_profile", self.skills_per_profile, n, at)
    }

    /// Refuses an opportunity with more than `requirements_per_opportunity` requirements
    /// (`n`) at `at()`.
    pub(crate) fn check_requirements(
        &self,
        n: usize,
        at: impl FnOnce() -> crate::Location,
    ) -> crate::Result<()> {
        Self::at_most(
            "requirements_per_opportunity",
            self.requirements_per_opportunity,
            n,
            at,
        )
    }

    /// Refuses a search of more than `hops` ties.
    pub(crate) fn check_hops(&self, hops: u8) -> crate::Result<()> {
        Self::at_most(
            "hops",
            usize::from(self.hops),
            usize::from(hops),
            Default::default,
        )
    }

    /// Refuses a query for more than `paths` referral paths.
    pub(crate) fn check_paths(&self, k: usize) -> crate::Result<()> {
        Self::at_most("paths", self.paths, k, Default::default)
    }

    /// Refuses `n` over limit `limit` of value `max`, at `at()`.
    fn at_most(
        limit: &'static str,
        max: usize,
        n: usize,
        at: impl FnOnce() -> crate::Location,
    ) -> crate::Result<()> {
        if n > max {
            return Err(Self::exceeded(limit, max as u64, at()));
        }
        Ok(())
    }

    /// The error for exceeding `limit` (of value `max`) at `at`.
    pub(crate) fn exceeded(limit: &'static str, max: u64, at: crate::Location) -> crate::Error {
        crate::ErrorKind::Limit { limit, max, at }.into()
    }
}
