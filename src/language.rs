//! Languages (ISO 639-3, with ISO 639-1 codes where they exist) and where they are spoken
//! (Unicode CLDR population shares per territory).

use std::collections::HashMap;
use std::fmt;

use crate::id::{LanguageId, RegionId};

/// How much of a territory speaks a language, from CLDR.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpokenLanguage {
    /// The language.
    pub language: LanguageId,
    /// Share of the population that speaks it (first or second language), in percent.
    pub percent: f32,
    /// Whether it has official status (national or regional).
    pub official: bool,
}

#[derive(Clone, Debug)]
struct Language {
    code: String,
    alpha2: Option<String>,
    name: String,
}

/// The language table, with lookup by code and the languages spoken in each country.
#[derive(Clone, Default)]
pub struct Languages {
    languages: Vec<Language>,
    by_code: HashMap<String, LanguageId>,
    /// Indexed by country [`RegionId`]; sorted by share, largest first, then by id.
    spoken: Vec<Vec<SpokenLanguage>>,
}

impl fmt::Debug for Languages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Languages")
            .field("languages", &self.languages.len())
            .finish()
    }
}

impl Languages {
    /// An empty table.
    pub fn new() -> Languages {
        Languages::default()
    }

    /// Adds a language with its ISO 639-3 code, its ISO 639-1 code if any, and its name.
    ///
    /// Returns `None` when either code is already taken.
    pub fn add(&mut self, code: &str, alpha2: Option<&str>, name: &str) -> Option<LanguageId> {
        let id = LanguageId::from_index(self.languages.len())?;
        let code = code.to_ascii_lowercase();
        let alpha2 = alpha2
            .filter(|a| !a.is_empty())
            .map(str::to_ascii_lowercase);
        if self.by_code.contains_key(&code)
            || alpha2
                .as_ref()
                .is_some_and(|a| self.by_code.contains_key(a))
        {
            return None;
        }
        self.by_code.insert(code.clone(), id);
        if let Some(a) = &alpha2 {
            self.by_code.insert(a.clone(), id);
        }
        self.languages.push(Language {
            code,
            alpha2,
            name: name.to_string(),
        });
        Some(id)
    }

    /// Records that a share of a country's population speaks a language.
    pub fn add_spoken(&mut self, country: RegionId, spoken: SpokenLanguage) {
        if self.spoken.len() <= country.index() {
            self.spoken.resize(country.index() + 1, Vec::new());
        }
        let list = &mut self.spoken[country.index()];
        list.push(spoken);
        list.sort_by(|a, b| {
            b.percent
                .total_cmp(&a.percent)
                .then(a.language.cmp(&b.language))
        });
    }

    /// Number of languages.
    pub fn len(&self) -> usize {
        self.languages.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.languages.is_empty()
    }

    /// The language with an ISO 639-1 or 639-3 code, any case. A CLDR script or region
    /// suffix (`sr_Latn`, `pt-BR`) is ignored.
    ///
    /// # Example
    ///
    /// ```
    /// # let reference = diaspora_match::io::load_reference(concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference"))?;
    /// let langs = &reference.languages;
    /// let tw = langs.lookup("tw").unwrap();
    /// assert_eq!(langs.code(tw), "twi");
    /// assert_eq!(langs.lookup("pt-BR"), langs.lookup("por"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lookup(&self, code: &str) -> Option<LanguageId> {
        let base = code.split(['_', '-']).next().unwrap_or(code);
        if base.len() > 3 || !base.is_ascii() {
            return None;
        }
        self.by_code.get(&base.to_ascii_lowercase()).copied()
    }

    /// The closest known code to an unknown one, for error messages.
    pub fn suggest(&self, code: &str) -> Option<String> {
        let lower = code.to_ascii_lowercase();
        self.by_code
            .keys()
            // Prefer codes of the same length: "twj" is nearer to "twi" than to "tw".
            .map(|k| {
                (
                    strsim::normalized_damerau_levenshtein(&lower, k)
                        - 0.01 * k.len().abs_diff(lower.len()) as f64,
                    k,
                )
            })
            .filter(|(s, _)| *s >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, k)| k.clone())
    }

    /// The ISO 639-3 code (empty for an unknown id).
    pub fn code(&self, id: LanguageId) -> &str {
        self.languages
            .get(id.index())
            .map_or("", |l| l.code.as_str())
    }

    /// The shortest code: ISO 639-1 where it exists, else ISO 639-3.
    pub fn short_code(&self, id: LanguageId) -> &str {
        self.languages
            .get(id.index())
            .map_or("", |l| l.alpha2.as_deref().unwrap_or(&l.code))
    }

    /// The English name (empty for an unknown id).
    pub fn name(&self, id: LanguageId) -> &str {
        self.languages
            .get(id.index())
            .map_or("", |l| l.name.as_str())
    }

    /// The languages spoken in a country, largest share first.
    pub fn spoken_in(&self, country: RegionId) -> &[SpokenLanguage] {
        self.spoken.get(country.index()).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_by_either_code_and_suffix() {
        let mut l = Languages::new();
        let en = l.add("eng", Some("en"), "English").unwrap();
        let twi = l.add("twi", Some("tw"), "Twi").unwrap();
        assert!(l.add("eng", None, "again").is_none());
        assert_eq!(l.lookup("EN"), Some(en));
        assert_eq!(l.lookup("en_GB"), Some(en));
        assert_eq!(l.lookup("twi"), Some(twi));
        assert_eq!(l.short_code(twi), "tw");
        assert_eq!(l.lookup("english"), None);
        assert_eq!(l.suggest("twj").as_deref(), Some("twi"));
        let gh = RegionId::new(0);
        l.add_spoken(
            gh,
            SpokenLanguage {
                language: en,
                percent: 21.0,
                official: true,
            },
        );
        l.add_spoken(
            gh,
            SpokenLanguage {
                language: twi,
                percent: 39.0,
                official: false,
            },
        );
        assert_eq!(l.spoken_in(gh)[0].language, twi);
        assert!(l.spoken_in(RegionId::new(7)).is_empty());
    }
}
