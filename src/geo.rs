//! Countries and the UN M49 hierarchy of areas.
//!
//! Each country sits in up to three nested areas: an intermediate region (for parts of Africa,
//! the Americas and Europe), a sub-region and a region. Two places are the closer the smaller
//! the area they share, which is what the [region score](crate::MatchConfig::region) uses.

use std::collections::HashMap;
use std::fmt;

use crate::id::RegionId;

/// How deep an area is in the M49 hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AreaLevel {
    /// A region (Africa, Americas, Asia, Europe, Oceania).
    Region,
    /// A sub-region (Sub-Saharan Africa, Western Asia, ...).
    SubRegion,
    /// An intermediate region (Western Africa, Caribbean, ...).
    IntermediateRegion,
    /// A country or territory with an ISO 3166 code.
    Country,
}

/// How close two countries are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Closeness {
    /// Not in the same region.
    None,
    /// In the same region.
    SameRegion,
    /// In the same sub-region.
    SameSubRegion,
    /// In the same intermediate region.
    SameIntermediateRegion,
    /// The same country.
    SameCountry,
}

/// One row of the countries table, as the loader reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct CountryRecord {
    /// ISO 3166-1 alpha-2 code.
    pub alpha2: String,
    /// ISO 3166-1 alpha-3 code.
    pub alpha3: String,
    /// UN M49 numeric code.
    pub m49: u16,
    /// English short name.
    pub name: String,
    /// `(M49 code, name)` of the region, sub-region and intermediate region, where they exist.
    pub areas: [Option<(u16, String)>; 3],
    /// Whether the UN lists it among the least developed countries.
    pub least_developed: bool,
}

#[derive(Clone, Debug)]
struct Area {
    m49: u16,
    name: String,
    level: AreaLevel,
    /// alpha-2 for countries, the M49 code for other areas.
    code: String,
    /// For countries: the containing areas, smallest first
    /// (intermediate region, sub-region, region), `None` where absent.
    within: [Option<RegionId>; 3],
    least_developed: bool,
}

/// Countries and M49 areas, with lookup by code.
#[derive(Clone)]
pub struct Regions {
    areas: Vec<Area>,
    countries: usize,
    by_code: HashMap<String, RegionId>,
}

impl fmt::Debug for Regions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Regions")
            .field("countries", &self.countries)
            .field("areas", &self.areas.len())
            .finish()
    }
}

impl Regions {
    /// Builds the hierarchy from country rows. Countries get ids `0..n` in the given order,
    /// then each distinct area an id after them.
    ///
    /// # Errors
    ///
    /// Returns the index of the first row whose alpha-2 or alpha-3 code repeats an earlier one.
    pub fn from_records(records: Vec<CountryRecord>) -> Result<Regions, usize> {
        let mut areas: Vec<Area> = Vec::with_capacity(records.len() + 64);
        let mut by_code = HashMap::new();
        let mut by_m49: HashMap<(AreaLevel, u16), RegionId> = HashMap::new();
        let countries = records.len();
        for r in &records {
            areas.push(Area {
                m49: r.m49,
                name: r.name.clone(),
                level: AreaLevel::Country,
                code: r.alpha2.clone(),
                within: [None; 3],
                least_developed: r.least_developed,
            });
        }
        for (i, r) in records.into_iter().enumerate() {
            let id = RegionId::new(i as u32);
            for code in [&r.alpha2, &r.alpha3] {
                if by_code.insert(code.to_ascii_uppercase(), id).is_some() {
                    return Err(i);
                }
            }
            // areas[] in the record: region, sub-region, intermediate; `within` wants smallest first.
            let levels = [
                AreaLevel::Region,
                AreaLevel::SubRegion,
                AreaLevel::IntermediateRegion,
            ];
            let mut within = [None; 3];
            for (slot, (area, level)) in r.areas.into_iter().zip(levels).enumerate() {
                let Some((m49, name)) = area else { continue };
                let next = RegionId::new(areas.len() as u32);
                let aid = *by_m49.entry((level, m49)).or_insert_with(|| {
                    areas.push(Area {
                        m49,
                        name,
                        level,
                        code: m49.to_string(),
                        within: [None; 3],
                        least_developed: false,
                    });
                    next
                });
                within[2 - slot] = Some(aid);
            }
            areas[i].within = within;
        }
        Ok(Regions {
            areas,
            countries,
            by_code,
        })
    }

    /// Number of countries.
    pub fn country_count(&self) -> usize {
        self.countries
    }

    /// Number of countries and areas.
    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// Whether there is no country.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// The country with an ISO 3166 alpha-2 or alpha-3 code, any case.
    ///
    /// # Example
    ///
    /// ```
    /// # let reference = diaspora_match::io::load_reference(concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference"))?;
    /// let regions = &reference.regions;
    /// let gh = regions.lookup("GH").unwrap();
    /// assert_eq!(regions.lookup("gha"), Some(gh));
    /// assert_eq!(regions.name(gh), "Ghana");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lookup(&self, code: &str) -> Option<RegionId> {
        if code.len() > 3 || !code.is_ascii() {
            return None;
        }
        self.by_code.get(&code.to_ascii_uppercase()).copied()
    }

    /// The closest country code to an unknown one, for error messages.
    pub fn suggest(&self, code: &str) -> Option<String> {
        let upper = code.to_ascii_uppercase();
        self.areas[..self.countries]
            .iter()
            .map(|a| {
                (
                    strsim::normalized_damerau_levenshtein(&upper, &a.code),
                    &a.code,
                )
            })
            .chain(self.areas[..self.countries].iter().map(|a| {
                (
                    strsim::jaro_winkler(&code.to_lowercase(), &a.name.to_lowercase()),
                    &a.code,
                )
            }))
            .filter(|(s, _)| *s >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, c)| c.clone())
    }

    /// Whether `id` is a country (not a larger area).
    pub fn is_country(&self, id: RegionId) -> bool {
        id.index() < self.countries
    }

    /// The English name of a country or area (empty for an unknown id).
    pub fn name(&self, id: RegionId) -> &str {
        self.areas.get(id.index()).map_or("", |a| a.name.as_str())
    }

    /// The alpha-2 code of a country, or the M49 code of an area (empty for an unknown id).
    pub fn code(&self, id: RegionId) -> &str {
        self.areas.get(id.index()).map_or("", |a| a.code.as_str())
    }

    /// The UN M49 numeric code.
    pub fn m49(&self, id: RegionId) -> Option<u16> {
        self.areas.get(id.index()).map(|a| a.m49)
    }

    /// The level of a country or area.
    pub fn level(&self, id: RegionId) -> Option<AreaLevel> {
        self.areas.get(id.index()).map(|a| a.level)
    }

    /// Whether a country is among the UN's least developed countries.
    pub fn is_least_developed(&self, id: RegionId) -> bool {
        self.areas
            .get(id.index())
            .is_some_and(|a| a.least_developed)
    }

    /// The areas that contain a country, smallest first (intermediate region, sub-region,
    /// region), each `None` where the country has none.
    pub fn within(&self, country: RegionId) -> [Option<RegionId>; 3] {
        self.areas
            .get(country.index())
            .map_or([None; 3], |a| a.within)
    }

    /// The country ids, `0..country_count()`.
    pub fn countries(&self) -> impl ExactSizeIterator<Item = RegionId> + '_ {
        (0..self.countries as u32).map(RegionId::new)
    }

    /// How close two countries are, and the smallest area they share.
    ///
    /// # Complexity
    ///
    /// Constant: three id comparisons.
    pub fn closeness(&self, a: RegionId, b: RegionId) -> (Closeness, Option<RegionId>) {
        if a == b {
            return (Closeness::SameCountry, Some(a));
        }
        let (wa, wb) = (self.within(a), self.within(b));
        let kinds = [
            Closeness::SameIntermediateRegion,
            Closeness::SameSubRegion,
            Closeness::SameRegion,
        ];
        for ((x, y), kind) in wa.into_iter().zip(wb).zip(kinds) {
            if let (Some(x), Some(y)) = (x, y)
                && x == y
            {
                return (kind, Some(x));
            }
        }
        (Closeness::None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(a2: &str, a3: &str, areas: [Option<(u16, &str)>; 3]) -> CountryRecord {
        CountryRecord {
            alpha2: a2.into(),
            alpha3: a3.into(),
            m49: 1,
            name: a2.into(),
            areas: areas.map(|a| a.map(|(c, n)| (c, n.to_string()))),
            least_developed: false,
        }
    }

    #[test]
    fn closeness_follows_the_hierarchy() {
        let africa = Some((2, "Africa"));
        let ssa = Some((202, "Sub-Saharan Africa"));
        let r = Regions::from_records(vec![
            rec("GH", "GHA", [africa, ssa, Some((11, "Western Africa"))]),
            rec("NG", "NGA", [africa, ssa, Some((11, "Western Africa"))]),
            rec("KE", "KEN", [africa, ssa, Some((14, "Eastern Africa"))]),
            rec("EG", "EGY", [africa, Some((15, "Northern Africa")), None]),
            rec(
                "DE",
                "DEU",
                [Some((150, "Europe")), Some((155, "Western Europe")), None],
            ),
        ])
        .unwrap();
        let id = |c| r.lookup(c).unwrap();
        assert_eq!(r.closeness(id("GH"), id("gha")).0, Closeness::SameCountry);
        assert_eq!(
            r.closeness(id("GH"), id("NG")).0,
            Closeness::SameIntermediateRegion
        );
        assert_eq!(r.closeness(id("GH"), id("KE")).0, Closeness::SameSubRegion);
        let (c, area) = r.closeness(id("GH"), id("EG"));
        assert_eq!(c, Closeness::SameRegion);
        assert_eq!(r.name(area.unwrap()), "Africa");
        assert_eq!(r.closeness(id("GH"), id("DE")).0, Closeness::None);
        assert_eq!(r.len(), 5 + 7);
        assert_eq!(r.suggest("GHH").as_deref(), Some("GH"));
        assert!(r.lookup("GHANA").is_none());
        assert_eq!(
            Regions::from_records(vec![
                rec("GH", "GHA", [None; 3]),
                rec("GH", "XXX", [None; 3])
            ])
            .err(),
            Some(1)
        );
    }
}
