//! Loading the network files of a dataset: `nodes.csv` (people who are not profiles, and
//! organisations, with their consent to relay) and `ties.csv`.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, ErrorKind, Location, Result};
use crate::id::NodeId;
use crate::limits::Limits;
use crate::network::{Network, NodeKind, Tie, TieKind};

use super::read::records_within;

pub(crate) fn load_nodes(path: &Path, network: &mut Network, limits: &Limits) -> Result<()> {
    for (line, r) in records_within(path, &["key", "kind", "intermediary"], limits)? {
        let at = || Location::file(path).line(line).key(&r[0]);
        let kind: NodeKind = r[1].parse().map_err(|()| {
            Error::field(at(), "kind", "expected person or organisation")
                .with_value(Some(r[1].into()), None)
        })?;
        let intermediary = parse_bool(&r[2]).ok_or_else(|| {
            Error::field(at(), "intermediary", "expected true or false")
                .with_value(Some(r[2].into()), None)
        })?;
        network
            .add_node(&r[0], kind, intermediary)
            .map_err(|e| match e.into_kind() {
                ErrorKind::DuplicateKey { key, .. } => ErrorKind::DuplicateKey {
                    at: at(),
                    key,
                    first: None,
                }
                .into(),
                ErrorKind::Argument { reason, .. } => Error::field(at(), "key", reason),
                other => other.into(),
            })?;
    }
    Ok(())
}

pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" | "" => Some(false),
        _ => None,
    }
}

pub(crate) fn load_ties(path: &Path, network: &mut Network, limits: &Limits) -> Result<()> {
    let mut degree: HashMap<NodeId, usize> = HashMap::new();
    for (line, r) in records_within(path, &["from", "to", "kind", "strength"], limits)? {
        let at = || Location::file(path).line(line);
        let node = |i: usize, f: &str| {
            network.node(&r[i]).ok_or_else(|| {
                Error::field(at(), f, "no profile or node has this key")
                    .with_value(Some(r[i].into()), None)
            })
        };
        let (a, b) = (node(0, "from")?, node(1, "to")?);
        let kind: TieKind = r[2].parse().map_err(|()| {
            Error::field(
                at(),
                "kind",
                "expected family, community, alumni, colleague, mentor or organisational",
            )
            .with_value(Some(r[2].into()), None)
        })?;
        let strength: f32 = r[3]
            .parse()
            .ok()
            .filter(|s: &f32| *s > 0.0 && *s <= 1.0)
            .ok_or_else(|| {
                Error::field(at(), "strength", "must be a number in (0, 1]")
                    .with_value(Some(r[3].into()), None)
            })?;
        if a == b {
            return Err(
                Error::field(at(), "to", "a tie must join two different nodes")
                    .with_value(Some(r[1].into()), None),
            );
        }
        for n in [a, b] {
            let d = degree.entry(n).or_default();
            *d += 1;
            if *d > limits.ties_per_node {
                return Err(Limits::exceeded(
                    "ties_per_node",
                    limits.ties_per_node as u64,
                    at().key(network.key(n)),
                ));
            }
        }
        network.add_tie(a, b, Tie { kind, strength })?;
    }
    Ok(())
}
