//! Snapshots: a built [`Engine`] saved to one file and opened again, without the records or
//! the compilation.
//!
//! A snapshot holds the engine's primary state: the configuration and limits, a fingerprint of
//! the reference data, the opportunities, the network, each profile's node (whose key is the
//! profile's) and the compiled profile arrays. What is derived from those (the postings, the
//! group lists, the hosts' network searches, the opportunity side, the key table) is built
//! again on opening, so an opened engine is consistent by construction and answers exactly as
//! the saved one did.
//!
//! | file | what |
//! |---|---|
//! | `format.rs` | the file: header, sections, checksums, reading and writing values |
//! | `opportunities.rs` | the opportunities' section |
//!
//! The network's, the profile nodes' and the store's sections are written and read beside those
//! types (`network/snapshot.rs`, `engine/profile_nodes.rs`, `index/store/snapshot.rs`).

pub(crate) mod format;
mod opportunities;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use crate::dataset::{Dataset, Reference};
use crate::engine::{Engine, ProfileNodes, assemble};
use crate::error::{ErrorKind, Result};
use crate::index::ProfileStore;
use crate::limits::Limits;
use crate::network::Network;
use crate::score::MatchConfig;

use format::{In, Out, Tag, error};

/// A fingerprint of reference data: FNV-1a over every skill key, country code and language
/// code, in id order. An engine opens only over the reference data it was saved with (ids
/// would name other skills, countries or languages otherwise).
pub(crate) fn fingerprint(r: &Reference) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0xFF]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
    };
    for i in 0..r.taxonomy.len() {
        eat(r.taxonomy.key(crate::id::SkillId::new(i as u32)));
    }
    for i in 0..r.regions.len() {
        eat(r.regions.code(crate::id::RegionId::new(i as u32)));
    }
    for i in 0..r.languages.len() {
        eat(r.languages.code(crate::id::LanguageId::new(i as u32)));
    }
    h
}

impl Engine {
    /// Saves the engine to a file (written beside it first, then renamed, so a crash never
    /// leaves half a snapshot under the name). [`Engine::open`] reads it back.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use diaspora_match::{io, Engine};
    /// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    /// let reference = Arc::new(io::load_reference(format!("{dir}/reference"))?);
    /// let engine = Engine::builder(io::load_dataset(format!("{dir}/sample"), reference.clone())?).build()?;
    /// let path = std::env::temp_dir().join(format!("doc-{}.snapshot", std::process::id()));
    /// engine.save(&path)?;
    /// let opened = Engine::open(&path, reference)?;
    /// let o = engine.opportunity_id("o-0001").unwrap();
    /// assert_eq!(opened.candidates(o, 10)?, engine.candidates(o, 10)?);
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".partial");
        let tmp = std::path::PathBuf::from(tmp);
        let io = |p: &Path, source| ErrorKind::Io {
            path: p.to_path_buf(),
            source,
        };
        let file = std::fs::File::create(&tmp).map_err(|e| io(&tmp, e))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        // One section in memory at a time.
        let mut write = || -> std::io::Result<()> {
            format::write_header(&mut w, Tag::ALL.len())?;
            for tag in Tag::ALL {
                let mut out = Out::default();
                match tag {
                    Tag::Meta => self.write_meta(&mut out),
                    Tag::Opportunities => opportunities::write(&self.opportunities, &mut out),
                    Tag::Network => self.network.write(&mut out),
                    Tag::Nodes => self.profile_nodes.write(&mut out),
                    Tag::Store => self.index.store.write(&mut out),
                }
                format::write_section(&mut w, tag, &out.0)?;
            }
            w.flush()?;
            w.get_ref().sync_all()
        };
        write().map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
        Ok(())
    }

    fn write_meta(&self, out: &mut Out) {
        out.u64(fingerprint(&self.reference));
        out.u32(self.first);
        // Both serialise without fail: plain numbers and flags.
        out.str(&serde_json::to_string(&self.config).unwrap_or_default());
        out.str(&serde_json::to_string(&self.limits).unwrap_or_default());
    }

    /// Opens an engine saved by [`Engine::save`], over the reference data it was built with.
    /// Queries, explanations and updates on it answer as on the engine that was saved.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the file cannot be read; [`ErrorKind::Snapshot`] naming the
    /// part of the file when it is not a snapshot, of another format version, truncated,
    /// corrupted (every section has a checksum), or saved over other reference data; the
    /// configuration's or the records' own errors when they are refused as the builder would.
    pub fn open(path: impl AsRef<Path>, reference: Arc<Reference>) -> Result<Engine> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| ErrorKind::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Engine::from_snapshot(path, &bytes, reference)
    }

    /// [`Engine::open`] over a snapshot's bytes already in memory (read from object storage,
    /// say); errors name the file `<snapshot>`.
    ///
    /// # Errors
    ///
    /// As [`Engine::open`].
    pub fn open_bytes(bytes: &[u8], reference: Arc<Reference>) -> Result<Engine> {
        Engine::from_snapshot(Path::new("<snapshot>"), bytes, reference)
    }

    fn from_snapshot(path: &Path, bytes: &[u8], reference: Arc<Reference>) -> Result<Engine> {
        let s = format::sections(path, bytes)?;
        let input = |i: usize| In::new(s[i], path, Tag::ALL[i]);
        let (first, config, limits) = read_meta(&mut input(0), &reference)?;
        let opportunities = opportunities::read(&mut input(1))?;
        let network = Network::read(&mut input(2))?;
        let nodes = ProfileNodes::read(&mut input(3), &network)?;
        let store = ProfileStore::read(&mut input(4), &reference, &network, &nodes)?;
        let dataset = Dataset {
            reference,
            profiles: Vec::new(),
            opportunities,
            network,
        };
        dataset.check_opportunities()?;
        within_limits(&dataset, &store, &limits)?;
        if u32::try_from(nodes.len())
            .ok()
            .and_then(|n| n.checked_add(first))
            .is_none_or(|end| end > crate::id::ProfileId::MAX.as_u32())
        {
            return Err(error(path, "section `meta`", "ids past u32::MAX"));
        }
        assemble(dataset, (config, limits, first), nodes, store)
    }
}

/// Every profile and opportunity within the saved limits, as the builder and the updates
/// keep them.
fn within_limits(dataset: &Dataset, store: &ProfileStore, limits: &Limits) -> Result<()> {
    for i in 0..store.len() {
        let at = || crate::error::Location::default().index(i);
        limits.check_skills(store.view(i).skills.len(), at)?;
    }
    for (i, o) in dataset.opportunities.iter().enumerate() {
        let at = || crate::error::Location::default().index(i).key(&o.key);
        limits.check_requirements(o.requirements.len(), at)?;
    }
    Ok(())
}

fn read_meta(input: &mut In<'_>, reference: &Reference) -> Result<(u32, MatchConfig, Limits)> {
    if input.u64()? != fingerprint(reference) {
        return Err(input.bad("saved over other reference data than the one given"));
    }
    let first = input.u32()?;
    let config: MatchConfig =
        serde_json::from_str(input.str()?).map_err(|e| input.bad(format!("configuration: {e}")))?;
    let limits: Limits =
        serde_json::from_str(input.str()?).map_err(|e| input.bad(format!("limits: {e}")))?;
    input.end()?;
    config.validate()?;
    limits.validate()?;
    if config.network_max_hops > limits.hops {
        return Err(input.bad("more hops than the limits allow"));
    }
    Ok((first, config, limits))
}
