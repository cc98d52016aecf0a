//! The draws of one person or opportunity: skills, technologies, requirements, languages and
//! availability windows.

use crate::dataset::Reference;
use crate::id::{RegionId, SkillId};
use crate::model::{
    Date, Generation, HeldSkill, LanguageSkill, Level, Proficiency, Requirement, Window,
};
use crate::taxonomy::Taxonomy;

use super::config::{Breadth, GENERIC_WEIGHT, IMPORTANT};
use super::rng::{SplitMix64, Weighted};
use super::tables::{Occupation, SourceTables};

pub(crate) fn window(
    rng: &mut SplitMix64,
    start: i32,
    min_len: usize,
    max_len: usize,
) -> Option<Window> {
    let from = start + rng.below(365) as i32;
    let to = from + (min_len + rng.below(max_len - min_len + 1)) as i32;
    Window::new(Date::from_days(from), Date::from_days(to))
}

/// O*NET level (0-7) to the crate's 1-5.
pub(crate) fn level_from_onet(lv: f32) -> Option<Level> {
    Level::new(((lv / 7.0 * 5.0).round() as u8).clamp(1, 5))
}

/// A person's skills from their occupation: important ones, the more specific to the
/// occupation the likelier (see [`SourceTables::specificity`]), at about its level, and a
/// few of its technologies.
pub(crate) fn draw_skills(
    tables: &SourceTables,
    occ: &Occupation,
    exactly: Option<usize>,
    rng: &mut SplitMix64,
) -> Vec<HeldSkill> {
    let important: Vec<&(SkillId, f32, f32)> =
        occ.skills.iter().filter(|s| s.1 >= IMPORTANT).collect();
    let pool: Vec<&(SkillId, f32, f32)> = if important.len() >= 4 && exactly.is_none() {
        important
    } else {
        occ.skills.iter().collect()
    };
    let (rated, techs) = match exactly {
        None => ((6 + rng.below(10)).min(pool.len()), None),
        Some(n) => {
            let t = (1 + rng.below(4)).min(n).min(occ.technologies.len());
            ((n - t).min(pool.len()), Some(n - (n - t).min(pool.len())))
        }
    };
    let mut weights: Vec<f64> = pool
        .iter()
        .map(|s| f64::from(s.1) * tables.specificity(s.0))
        .collect();
    let mut out = Vec::with_capacity(rated + 4);
    for _ in 0..rated {
        let Some(i) = Weighted::new(weights.iter().copied()).sample(rng) else {
            break;
        };
        weights[i] = 0.0;
        let (skill, _, lv) = *pool[i];
        // People rate themselves around the occupation's level, one step either way.
        let jitter = rng.below(3) as f32 - 1.0;
        let level = level_from_onet(lv)
            .and_then(|l| Level::new((f32::from(l.get()) + jitter).clamp(1.0, 5.0) as u8));
        out.push(HeldSkill {
            skill,
            level: if rng.chance(0.85) { level } else { None },
            years: None,
        });
    }
    let count = match techs {
        None => 1 + rng.below(4),
        Some(t) => t,
    };
    draw_technologies(tables, occ, out.len() + count, rng, &mut out);
    out
}

/// Adds distinct technologies of the occupation to `out` until it holds `target` skills
/// (a bounded number of tries): hot ones three times as likely, specific ones likelier.
pub(crate) fn draw_technologies(
    tables: &SourceTables,
    occ: &Occupation,
    target: usize,
    rng: &mut SplitMix64,
    out: &mut Vec<HeldSkill>,
) {
    let techs = Weighted::new(
        occ.technologies
            .iter()
            .map(|t| if t.1 { 3.0 } else { 1.0 } * tables.specificity(t.0)),
    );
    for _ in 0..target.saturating_sub(out.len()) * 8 {
        if out.len() >= target {
            break;
        }
        let Some(i) = techs.sample(rng) else {
            return;
        };
        let skill = occ.technologies[i].0;
        if out.iter().all(|h| h.skill != skill) {
            out.push(HeldSkill {
                skill,
                level: Level::new(2 + rng.below(4) as u8),
                years: Some(1 + rng.below(15) as u8),
            });
        }
    }
}

/// An opportunity's requirements from its occupation: what it specifically needs (its
/// skills, knowledge areas and technologies by importance times specificity), generic skills
/// at most [`GENERIC_WEIGHT`] of the weight.
pub(crate) fn draw_requirements(
    tables: &SourceTables,
    occ: &Occupation,
    exactly: Option<usize>,
    rng: &mut SplitMix64,
) -> Vec<Requirement> {
    let value = |s: &(SkillId, f32, f32)| f64::from(s.1) * tables.specificity(s.0);
    let mut ranked: Vec<&(SkillId, f32, f32)> = occ.skills.iter().collect();
    ranked.sort_by(|a, b| value(b).total_cmp(&value(a)).then(a.0.cmp(&b.0)));
    let (top_n, want, tech) = match exactly {
        None => (10, 3 + rng.below(4), None),
        Some(n) => ((2 * n).max(10), n.saturating_sub(1).max(1), Some(true)),
    };
    let top = &ranked[..ranked.len().min(top_n)];
    let mut weights: Vec<f64> = top.iter().map(|s| value(s)).collect();
    let mut out: Vec<Requirement> = Vec::with_capacity(want + 1);
    for k in 0..want.min(top.len()) {
        let Some(i) = Weighted::new(weights.iter().copied()).sample(rng) else {
            break;
        };
        weights[i] = 0.0;
        let (skill, im, lv) = *top[i];
        out.push(Requirement {
            skill,
            // O*NET importance 3-5 becomes weight 1-3, to one decimal.
            weight: ((im - 2.0).max(0.5) * 10.0).round() / 10.0,
            min_level: if rng.chance(0.5) {
                level_from_onet(lv).and_then(|l| Level::new(l.get().saturating_sub(1).max(1)))
            } else {
                None
            },
            must: k == 0 && rng.chance(0.3),
        });
    }
    if tech.unwrap_or_else(|| rng.chance(0.6)) {
        let techs = Weighted::new(occ.technologies.iter().map(|t| tables.specificity(t.0)));
        if let Some(i) = techs.sample(rng) {
            let skill = occ.technologies[i].0;
            if out.iter().all(|q| q.skill != skill) {
                out.push(Requirement {
                    skill,
                    weight: 1.0,
                    min_level: None,
                    must: false,
                });
            }
        }
    }
    cap_generic_weight(tables, &mut out);
    out
}

/// Moves requirements up to broad concepts as `breadth` says ([`Breadth`]), keeping the first
/// of requirements that come to name the same concept. A skill without a broader entry stays.
pub(crate) fn broaden(taxonomy: &Taxonomy, breadth: Breadth, out: &mut Vec<Requirement>) {
    let step = match breadth {
        Breadth::AsDrawn => return,
        Breadth::Half => 2,
        Breadth::All => 1,
    };
    for r in out.iter_mut().skip(step - 1).step_by(step) {
        if let Some(p) = broadest_parent(taxonomy, r.skill) {
            r.skill = p;
        }
    }
    let mut seen = Vec::with_capacity(out.len());
    out.retain(|r| {
        let new = !seen.contains(&r.skill);
        seen.push(r.skill);
        new
    });
}

/// The direct broader entry of `skill` with the most narrower entries (the lowest id among
/// equals).
fn broadest_parent(taxonomy: &Taxonomy, skill: SkillId) -> Option<SkillId> {
    taxonomy.parents(skill).iter().copied().max_by(|a, b| {
        let (x, y) = (taxonomy.children(*a).len(), taxonomy.children(*b).len());
        x.cmp(&y).then(b.cmp(a))
    })
}

/// Drops the weightiest generic requirements while they hold more than [`GENERIC_WEIGHT`]
/// of the weight (never the last specific one's company: a list of generic skills only is
/// left as drawn).
pub(crate) fn cap_generic_weight(tables: &SourceTables, out: &mut Vec<Requirement>) {
    let specific = |r: &Requirement| tables.is_specific(r.skill);
    if !out.iter().any(specific) {
        return;
    }
    loop {
        let total: f32 = out.iter().map(|r| r.weight).sum();
        let generic: f32 = out.iter().filter(|r| !specific(r)).map(|r| r.weight).sum();
        if generic <= GENERIC_WEIGHT * total {
            return;
        }
        let Some(i) = (0..out.len())
            .filter(|&i| !specific(&out[i]))
            .max_by(|&a, &b| out[a].weight.total_cmp(&out[b].weight).then(b.cmp(&a)))
        else {
            return;
        };
        out.remove(i);
    }
}

pub(crate) fn draw_languages(
    r: &Reference,
    origin: RegionId,
    residence: RegionId,
    generation: Generation,
    rng: &mut SplitMix64,
) -> Vec<LanguageSkill> {
    let mut out: Vec<LanguageSkill> = Vec::new();
    let mut add = |language, level| match out
        .iter_mut()
        .find(|l: &&mut LanguageSkill| l.language == language)
    {
        Some(l) => l.level = l.level.max(level),
        None => out.push(LanguageSkill { language, level }),
    };
    let heritage_level = match generation.get() {
        1 => Proficiency::Native,
        2 => [Proficiency::B2, Proficiency::C1, Proficiency::Native][rng.below(3)],
        _ => [Proficiency::A2, Proficiency::B1, Proficiency::B2][rng.below(3)],
    };
    let spoken = r.languages.spoken_in(origin);
    if let Some(i) = Weighted::new(spoken.iter().map(|l| f64::from(l.percent))).sample(rng) {
        add(spoken[i].language, heritage_level);
    }
    // A second language of the origin country, often the official one.
    if let Some(l) = spoken.iter().find(|l| l.official)
        && rng.chance(0.6)
    {
        add(
            l.language,
            if generation.get() == 1 {
                Proficiency::C1
            } else {
                Proficiency::B1
            },
        );
    }
    let at_home = r.languages.spoken_in(residence);
    if let Some(l) = at_home.iter().find(|l| l.official).or(at_home.first()) {
        let level = if generation.get() > 1 {
            Proficiency::Native
        } else {
            [
                Proficiency::B1,
                Proficiency::B2,
                Proficiency::C1,
                Proficiency::C2,
            ][rng.below(4)]
        };
        add(l.language, level);
    }
    out
}
