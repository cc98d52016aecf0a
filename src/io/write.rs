//! Writing a dataset folder in the format it is read in.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::dataset::{Dataset, Reference};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::model::{LanguageSkill, Level, Opportunity, Profile, Window};
use crate::network::{Network, NodeKind};

use super::channels;
use super::read::csv_error;
use super::records::{
    HeldSkillRecord, LanguageRecord, OpportunityRecord, OriginRecord, ProfileRecord,
    RequirementRecord, WindowRecord,
};

/// Shortest decimal that reads back as the same `f32`, as an `f64` for serde_json.
pub(crate) fn short(x: f32) -> f64 {
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
            capital: channels::capital_record(&p.capital),
            interests: channels::interests_record(&p.interests),
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
            ticket_usd: o.ticket.map(<[f64; 2]>::from),
            gap_usd: o.gap,
            sector: o.sector.map(|s| s.code().to_string()),
            causes: channels::goal_numbers(o.causes),
            settlement: o
                .settlement
                .iter()
                .map(|&c| r.regions.code(c).to_string())
                .collect(),
        }
    }
}

pub(crate) fn language_records(l: &[LanguageSkill], r: &Reference) -> Vec<LanguageRecord> {
    l.iter()
        .map(|l| LanguageRecord {
            language: r.languages.short_code(l.language).into(),
            level: l.level.as_str().into(),
        })
        .collect()
}

pub(crate) fn window_record(w: Window) -> WindowRecord {
    WindowRecord {
        from: w.from().to_string(),
        to: w.to().to_string(),
    }
}

pub(crate) fn create(path: &Path) -> Result<BufWriter<File>> {
    File::create(path).map(BufWriter::new).map_err(|source| {
        ErrorKind::Io {
            path: path.into(),
            source,
        }
        .into()
    })
}

pub(crate) fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| {
        ErrorKind::Io {
            path: path.into(),
            source,
        }
        .into()
    }
}

/// Writes a dataset folder that [`load_dataset`](super::load_dataset) reads back to an equal dataset: skills by
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
        .filter(|p| !crate::dataset::is_removed(p))
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
