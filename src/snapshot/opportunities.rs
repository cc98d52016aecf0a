//! The opportunities in a snapshot, field by field. Reading checks what the types require
//! (levels, kinds, windows in order, ranges, sectors and goals that exist); the engine then
//! checks the records as the builder does.

use crate::capital::UsdRange;
use crate::error::Result;
use crate::id::{LanguageId, NodeId, RegionId, SkillId};
use crate::interests::{Goals, Sector};
use crate::model::{
    Date, Engagement, LanguageSkill, Level, Opportunity, Proficiency, Requirement, Window,
};

use super::format::{In, Out};

pub(crate) fn write(opportunities: &[Opportunity], out: &mut Out) {
    out.u64(opportunities.len() as u64);
    for o in opportunities {
        out.str(&o.key);
        out.str(&o.title);
        out.u32(o.host.as_u32());
        out.u32(o.country.as_u32());
        out.u8(Engagement::ALL
            .iter()
            .position(|&e| e == o.engagement)
            .unwrap_or(0) as u8);
        out.u64(o.requirements.len() as u64);
        for r in &o.requirements {
            out.u32(r.skill.as_u32());
            out.f32(r.weight);
            out.u8(r.min_level.map_or(0, Level::get));
            out.u8(u8::from(r.must));
        }
        languages(&o.languages, out);
        out.u32(o.capacity);
        match o.window {
            None => out.u8(0),
            Some(w) => {
                out.u8(1);
                out.i32(w.from().days());
                out.i32(w.to().days());
            }
        }
        channels(o, out);
    }
}

/// The fields beyond work: a flag then the value for the ticket, the gap and the sector; the
/// causes' bits; the countries of settlement.
fn channels(o: &Opportunity, out: &mut Out) {
    match o.ticket {
        None => out.u8(0),
        Some(t) => {
            out.u8(1);
            out.f64(t.min());
            out.f64(t.max());
        }
    }
    match o.gap {
        None => out.u8(0),
        Some(g) => {
            out.u8(1);
            out.f64(g);
        }
    }
    match o.sector {
        None => out.u8(0),
        Some(s) => {
            out.u8(1);
            out.u32(s.index() as u32);
        }
    }
    out.u32(o.causes.bits());
    out.u64(o.settlement.len() as u64);
    for c in &o.settlement {
        out.u32(c.as_u32());
    }
}

fn languages(list: &[LanguageSkill], out: &mut Out) {
    out.u64(list.len() as u64);
    for l in list {
        out.u32(l.language.as_u32());
        out.u8(Proficiency::ALL
            .iter()
            .position(|&p| p == l.level)
            .unwrap_or(0) as u8);
    }
}

pub(crate) fn read(input: &mut In<'_>) -> Result<Vec<Opportunity>> {
    let n = input.len(40)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let key = input.str()?.to_string();
        let title = input.str()?.to_string();
        let host = NodeId::new(input.u32()?);
        let country = RegionId::new(input.u32()?);
        let engagement = *Engagement::ALL
            .get(usize::from(input.u8()?))
            .ok_or_else(|| input.bad("an unknown engagement kind"))?;
        let requirements = read_requirements(input)?;
        let languages = read_languages(input)?;
        let capacity = input.u32()?;
        let window = read_window(input)?;
        let ticket = read_flagged(input, |i| {
            let (min, max) = (i.f64()?, i.f64()?);
            UsdRange::new(min, max).map_err(|reason| i.bad(format!("a ticket: {reason}")))
        })?;
        let gap = read_flagged(input, In::f64)?;
        let sector = read_flagged(input, |i| {
            let index = i.u32()? as usize;
            Sector::from_index(index).ok_or_else(|| i.bad("a sector that is not in ISIC Rev.4"))
        })?;
        let bits = input.u32()?;
        let causes = Goals::from_bits(bits)
            .ok_or_else(|| input.bad("causes that are not Sustainable Development Goals"))?;
        let count = input.len(4)?;
        let settlement = (0..count)
            .map(|_| input.u32().map(RegionId::new))
            .collect::<Result<Vec<_>>>()?;
        out.push(Opportunity {
            key,
            title,
            host,
            country,
            engagement,
            requirements,
            languages,
            capacity,
            window,
            ticket,
            gap,
            sector,
            causes,
            settlement,
        });
    }
    input.end()?;
    Ok(out)
}

fn read_requirements(input: &mut In<'_>) -> Result<Vec<Requirement>> {
    let count = input.len(10)?;
    let mut requirements = Vec::with_capacity(count);
    for _ in 0..count {
        let skill = SkillId::new(input.u32()?);
        let weight = input.f32()?;
        let min_level = match input.u8()? {
            0 => None,
            l => Some(Level::new(l).ok_or_else(|| input.bad("a level above 5"))?),
        };
        let must = match input.u8()? {
            0 => false,
            1 => true,
            _ => return Err(input.bad("a must-have flag that is neither 0 nor 1")),
        };
        requirements.push(Requirement {
            skill,
            weight,
            min_level,
            must,
        });
    }
    Ok(requirements)
}

fn read_languages(input: &mut In<'_>) -> Result<Vec<LanguageSkill>> {
    let count = input.len(5)?;
    let mut languages = Vec::with_capacity(count);
    for _ in 0..count {
        let language = LanguageId::new(input.u32()?);
        let level = *Proficiency::ALL
            .get(usize::from(input.u8()?))
            .ok_or_else(|| input.bad("an unknown proficiency"))?;
        languages.push(LanguageSkill { language, level });
    }
    Ok(languages)
}

/// A value behind a flag byte: 0 for none, 1 for one.
fn read_flagged<'a, T>(
    input: &mut In<'a>,
    value: impl FnOnce(&mut In<'a>) -> Result<T>,
) -> Result<Option<T>> {
    match input.u8()? {
        0 => Ok(None),
        1 => value(input).map(Some),
        _ => Err(input.bad("a flag that is neither 0 nor 1")),
    }
}

fn read_window(input: &mut In<'_>) -> Result<Option<Window>> {
    match input.u8()? {
        0 => Ok(None),
        1 => {
            let (from, to) = (input.i32()?, input.i32()?);
            Window::new(Date::from_days(from), Date::from_days(to))
                .map(Some)
                .ok_or_else(|| input.bad("a window out of order"))
        }
        _ => Err(input.bad("a window flag that is neither 0 nor 1")),
    }
}
