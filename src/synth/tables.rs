//! The real source tables the generator draws from: UN DESA migrant stock, O*NET occupations
//! and the importance of their skills, knowledge and technologies.

use std::collections::HashMap;
use std::path::Path;

use crate::dataset::Reference;
use crate::error::{Error, Location, Result};
use crate::id::{RegionId, SkillId};

use super::config::{GENERIC_SHARE, IMPORTANT, MIN_RATED_SKILLS};

/// An O*NET occupation with its rated skills and its technologies.
#[derive(Clone, Debug)]
pub struct Occupation {
    /// O*NET-SOC code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Skills and knowledge areas with O*NET importance (1-5) and level (0-7).
    pub skills: Vec<(SkillId, f32, f32)>,
    /// Technologies, with whether O*NET marks them as hot.
    pub technologies: Vec<(SkillId, bool)>,
}

/// The real distributions a population is drawn from.
#[derive(Clone, Debug)]
pub struct SourceTables {
    /// `(origin, destination, migrant stock)` for every corridor.
    pub corridors: Vec<(RegionId, RegionId, u64)>,
    /// Occupations with at least a few rated skills.
    pub occupations: Vec<Occupation>,
    /// Per skill id, the share of the occupations for which it is important (a rated skill
    /// at importance 3 or more) or that list it (a technology): how generic it is.
    pub important_share: Vec<f32>,
}

impl SourceTables {
    /// Whether a skill is important for fewer than a fifth of the occupations: specific to
    /// some work, not asked of everyone ("Reading Comprehension" and "Microsoft Excel" are
    /// not).
    pub fn is_specific(&self, skill: SkillId) -> bool {
        self.important_share
            .get(skill.index())
            .is_none_or(|&s| s < GENERIC_SHARE)
    }

    /// How much a draw favours a skill: `(1 - share)²`, 1 for a skill no occupation shares.
    pub(crate) fn specificity(&self, skill: SkillId) -> f64 {
        let share = f64::from(
            self.important_share
                .get(skill.index())
                .copied()
                .unwrap_or(0.0),
        );
        (1.0 - share).powi(2)
    }
}

/// Per skill id, the share of `occupations` for which it is important or that list it.
pub(crate) fn important_shares(occupations: &[Occupation], skills: usize) -> Vec<f32> {
    let mut count = vec![0u32; skills];
    for o in occupations {
        let important = o.skills.iter().filter(|s| s.1 >= IMPORTANT).map(|s| s.0);
        let mut ids: Vec<SkillId> = important
            .chain(o.technologies.iter().map(|t| t.0))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for s in ids {
            if let Some(c) = count.get_mut(s.index()) {
                *c += 1;
            }
        }
    }
    let n = occupations.len().max(1) as f32;
    count.into_iter().map(|c| c as f32 / n).collect()
}

impl SourceTables {
    /// Reads `migrant_stock_2024.csv`, `occupations.csv` and `occupation_skills.csv` from the
    /// reference folder.
    ///
    /// # Errors
    ///
    /// A missing file, a malformed row, or a code or skill key the reference data lacks.
    pub fn load(dir: impl AsRef<Path>, reference: &Reference) -> Result<SourceTables> {
        let dir = dir.as_ref();
        let path = dir.join("migrant_stock_2024.csv");
        let mut corridors = Vec::new();
        for (line, r) in crate::io::csv_records(&path, &["origin", "destination", "stock"])? {
            let at = || Location::file(&path).line(line);
            let country = |i: usize, f: &str| {
                reference.regions.lookup(&r[i]).ok_or_else(|| {
                    Error::field(at(), f, "unknown country code")
                        .with_value(Some(r[i].into()), None)
                })
            };
            let stock = r[2].parse().map_err(|_| {
                Error::field(at(), "stock", "not a count").with_value(Some(r[2].into()), None)
            })?;
            corridors.push((country(0, "origin")?, country(1, "destination")?, stock));
        }
        let path = dir.join("occupations.csv");
        let mut occupations = Vec::new();
        let mut index = HashMap::new();
        for (_, r) in crate::io::csv_records(&path, &["soc", "title"])? {
            index.insert(r[0].to_string(), occupations.len());
            occupations.push(Occupation {
                code: r[0].into(),
                title: r[1].into(),
                skills: Vec::new(),
                technologies: Vec::new(),
            });
        }
        let path = dir.join("occupation_skills.csv");
        for (line, r) in
            crate::io::csv_records(&path, &["soc", "skill", "importance", "level", "hot"])?
        {
            let at = || Location::file(&path).line(line);
            let &o = index.get(&r[0]).ok_or_else(|| {
                Error::field(at(), "soc", "unknown occupation").with_value(Some(r[0].into()), None)
            })?;
            let skill = reference.taxonomy.by_key(&r[1]).ok_or_else(|| {
                Error::field(at(), "skill", "unknown skill key").with_value(Some(r[1].into()), None)
            })?;
            if r[2].is_empty() {
                occupations[o].technologies.push((skill, &r[4] == "1"));
            } else {
                let num = |i: usize, f: &str| -> Result<f32> {
                    r[i].parse().map_err(|_| {
                        Error::field(at(), f, "not a number").with_value(Some(r[i].into()), None)
                    })
                };
                occupations[o]
                    .skills
                    .push((skill, num(2, "importance")?, num(3, "level")?));
            }
        }
        // Occupations without ratings cannot give realistic skills.
        occupations.retain(|o| o.skills.len() >= MIN_RATED_SKILLS);
        let important_share = important_shares(&occupations, reference.taxonomy.len());
        Ok(SourceTables {
            corridors,
            occupations,
            important_share,
        })
    }
}
