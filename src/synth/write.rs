//! Writing a population straight to a dataset folder, chunk by chunk, byte for byte what
//! [`io::write_dataset`](crate::io::write_dataset) writes for the same dataset.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::id::RegionId;
use crate::io::{OpportunityRecord, ProfileRecord};
use crate::model::Opportunity;

use super::config::{BATCH, CHUNK, ORGANISATIONS_RELAY, Progress, Stage, TIE_CHUNK};
use super::population::{Attrs, Population};
use super::ties::Groups;
use crate::util::map_chunks;

impl<'a> Population<'a> {
    /// Streams the population to `dir` as `profiles.jsonl`, `opportunities.json`,
    /// `nodes.csv` and `ties.csv`, byte for byte what [`io::write_dataset`](crate::io::write_dataset)
    /// writes for [`Population::generate`]'s dataset. `progress` is called after every chunk;
    /// returning `false` cancels (the files written so far are left as they are).
    ///
    /// # Errors
    ///
    /// A file that cannot be written, or [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled).
    ///
    /// # Complexity
    ///
    /// Memory holds three numbers per person, the grouping of people for ties, and
    /// 32 chunks of output in flight; never the whole population.
    pub fn write(
        &self,
        dir: impl AsRef<std::path::Path>,
        mut progress: impl FnMut(Progress) -> bool,
    ) -> Result<()> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let mut cancel = |p: Progress| {
            if progress(p) {
                Ok(())
            } else {
                Err(Error::from(crate::error::ErrorKind::Cancelled))
            }
        };
        let attrs = self.write_profiles(dir, &mut cancel)?;
        let contacts = self.contacts();
        let first_org = (attrs.len() + contacts.len()) as u32;
        let (opportunities, orgs) = self.opportunities(first_org);
        let key = |n: u32| node_key(n, attrs.len(), first_org, &contacts, &orgs);
        self.write_opportunities(dir, &opportunities, &key, &mut cancel)?;
        write_nodes(dir, &contacts, &orgs)?;
        let groups = self.groups(&attrs, &contacts, &orgs);
        self.write_ties(dir, &groups, &key, &mut cancel)
    }

    /// Writes `profiles.jsonl`, a batch of chunks at a time, serialised in parallel, written
    /// in order; returns every person's attributes, for the ties.
    fn write_profiles(
        &self,
        dir: &Path,
        cancel: &mut impl FnMut(Progress) -> Result<()>,
    ) -> Result<Vec<Attrs>> {
        let r = &*self.reference;
        let path = dir.join("profiles.jsonl");
        let mut w = create(&path, 1 << 20)?;
        let mut attrs: Vec<Attrs> = Vec::with_capacity(self.config.profiles);
        let total = self.config.profiles as u64;
        let chunks = self.chunks();
        for first in (0..chunks).step_by(BATCH) {
            let batch = map_chunks(first..(first + BATCH).min(chunks), |c| {
                let mut buf = Vec::with_capacity(CHUNK * 600);
                let mut a = Vec::with_capacity(CHUNK);
                for (p, at) in self.profile_chunk(c) {
                    if serde_json::to_writer(&mut buf, &ProfileRecord::from_profile(&p, r)).is_ok()
                    {
                        buf.push(b'\n');
                    }
                    a.push(at);
                }
                (buf, a)
            });
            for (buf, a) in batch {
                w.write_all(&buf).map_err(|e| io_error(&path, e))?;
                attrs.extend(a);
            }
            cancel(Progress {
                stage: Stage::Profiles,
                done: attrs.len() as u64,
                total,
            })?;
        }
        w.flush().map_err(|e| io_error(&path, e))?;
        Ok(attrs)
    }

    /// Writes `opportunities.json`, hosts named by `key`.
    fn write_opportunities(
        &self,
        dir: &Path,
        opportunities: &[Opportunity],
        key: &impl Fn(u32) -> String,
        cancel: &mut impl FnMut(Progress) -> Result<()>,
    ) -> Result<()> {
        let r = &*self.reference;
        let path = dir.join("opportunities.json");
        let recs: Vec<OpportunityRecord> = opportunities
            .iter()
            .map(|o| OpportunityRecord::with_host_key(o, r, &key(o.host.as_u32())))
            .collect();
        let mut w = create(&path, 8 << 10)?;
        serde_json::to_writer_pretty(&mut w, &recs).map_err(|e| io_error(&path, e.into()))?;
        writeln!(w)
            .and_then(|()| w.flush())
            .map_err(|e| io_error(&path, e))?;
        cancel(Progress {
            stage: Stage::Opportunities,
            done: recs.len() as u64,
            total: recs.len() as u64,
        })
    }

    /// Writes `ties.csv`, a batch of chunks at a time, nodes named by `key`.
    fn write_ties(
        &self,
        dir: &Path,
        groups: &Groups,
        key: &(impl Fn(u32) -> String + Sync),
        cancel: &mut impl FnMut(Progress) -> Result<()>,
    ) -> Result<()> {
        let path = dir.join("ties.csv");
        let mut w = create(&path, 1 << 20)?;
        w.write_all(b"from,to,kind,strength\n")
            .map_err(|e| io_error(&path, e))?;
        let tie_chunks = self.config.ties.div_ceil(TIE_CHUNK);
        let mut done = 0u64;
        for first in (0..tie_chunks).step_by(BATCH) {
            let batch = map_chunks(first..(first + BATCH).min(tie_chunks), |c| {
                let rows = self.tie_chunk(groups, c);
                let mut buf = String::with_capacity(rows.len() * 40);
                for (a, b, kind, s) in &rows {
                    buf.push_str(&format!("{},{},{},{s}\n", key(*a), key(*b), kind.as_str()));
                }
                (buf, rows.len())
            });
            for (buf, n) in batch {
                w.write_all(buf.as_bytes())
                    .map_err(|e| io_error(&path, e))?;
                done += n as u64;
            }
            cancel(Progress {
                stage: Stage::Ties,
                done,
                total: self.config.ties as u64,
            })?;
        }
        w.flush().map_err(|e| io_error(&path, e))
    }
}

/// Writes `nodes.csv`: the contacts who are not profiles, with their consent, and the
/// organisations.
fn write_nodes(
    dir: &Path,
    contacts: &[(String, bool, RegionId)],
    orgs: &[(String, RegionId)],
) -> Result<()> {
    let path = dir.join("nodes.csv");
    let mut w = create(&path, 8 << 10)?;
    let mut text = String::from("key,kind,intermediary\n");
    for (key, consent, _) in contacts {
        text.push_str(&format!("{key},person,{consent}\n"));
    }
    for (key, _) in orgs {
        text.push_str(&format!("{key},organisation,{ORGANISATIONS_RELAY}\n"));
    }
    w.write_all(text.as_bytes())
        .and_then(|()| w.flush())
        .map_err(|e| io_error(&path, e))
}

/// A buffered writer to a new file.
fn create(path: &Path, capacity: usize) -> Result<BufWriter<File>> {
    let file = File::create(path).map_err(|e| io_error(path, e))?;
    Ok(BufWriter::with_capacity(capacity, file))
}

pub(crate) fn node_key(
    n: u32,
    profiles: usize,
    first_org: u32,
    contacts: &[(String, bool, RegionId)],
    orgs: &[(String, RegionId)],
) -> String {
    let i = n as usize;
    if i < profiles {
        format!("p-{i:06}")
    } else if n < first_org {
        contacts[i - profiles].0.clone()
    } else {
        orgs[i - first_org as usize].0.clone()
    }
}

pub(crate) fn io_error(path: &std::path::Path, source: std::io::Error) -> Error {
    crate::error::ErrorKind::Io {
        path: path.to_path_buf(),
        source,
    }
    .into()
}
