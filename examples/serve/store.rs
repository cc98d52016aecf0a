//! The service's database: profiles, opportunities, network nodes and ties in SQLite, one row
//! each, the records in the crate's own JSON form (`io::ProfileRecord`,
//! `io::OpportunityRecord`).
//!
//! The tables mirror a dataset folder: `profiles` (`profiles.jsonl`), `opportunities`
//! (`opportunities.json`, in their order), `nodes` (`nodes.csv`: the nodes that are not
//! profiles) and `ties` (`ties.csv`). Every profile is also a node of the network, as the
//! folder loader makes it. The database is opened in WAL mode with `synchronous = FULL`, so a
//! change is on disk when its transaction commits, and with `secure_delete`, so an erased
//! person's rows are overwritten rather than left in free pages. Every change also counts one
//! more `generation` in the table `meta`, in its own transaction: the saved engine beside the
//! database (`start.rs`) is used only at the generation it was saved at.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use diaspora_match::io::{Loader, OpportunityRecord, ProfileRecord, ResolutionReport};
use diaspora_match::{Dataset, Limits, Network, NodeKind, Profile, Reference, Tie};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// The database, as one connection: the service writes through one writer at a time.
pub struct Store {
    conn: Connection,
    /// The engine saved beside the database, while it holds the database's generation: the
    /// first change removes it (it would otherwise keep an erased person's data).
    saved: Option<PathBuf>,
}

/// A failure of the database or of its rows.
pub type StoreResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS profiles (key TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS opportunities (
    position INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes (
    key TEXT PRIMARY KEY, kind TEXT NOT NULL, intermediary INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ties (
    a TEXT NOT NULL, b TEXT NOT NULL, kind TEXT NOT NULL, strength REAL NOT NULL);
CREATE INDEX IF NOT EXISTS ties_a ON ties (a);
CREATE INDEX IF NOT EXISTS ties_b ON ties (b);
";

impl Store {
    /// Opens (or creates) the database at `path`.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store { conn, saved: None })
    }

    /// Whether a dataset has been imported (the database was filled once).
    pub fn is_filled(&self) -> StoreResult<bool> {
        let source: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE name = 'source'", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(source.is_some())
    }

    /// Writes a whole dataset in one transaction: all of it or, on an error, none.
    pub fn import(&mut self, dataset: &Dataset, source: &str) -> StoreResult<()> {
        let r = &dataset.reference;
        let network = &dataset.network;
        let tx = self.conn.transaction()?;
        {
            let mut put = tx.prepare("INSERT INTO profiles (key, record) VALUES (?1, ?2)")?;
            for p in &dataset.profiles {
                put.execute(params![p.key, json(&ProfileRecord::from_profile(p, r))?])?;
            }
            let mut put = tx
                .prepare("INSERT INTO opportunities (position, key, record) VALUES (?1, ?2, ?3)")?;
            for (i, o) in dataset.opportunities.iter().enumerate() {
                let record = OpportunityRecord::from_opportunity(o, r, network);
                put.execute(params![i as i64, o.key, json(&record)?])?;
            }
            let profiles: HashSet<&str> = dataset.profiles.iter().map(|p| p.key.as_str()).collect();
            let mut put =
                tx.prepare("INSERT INTO nodes (key, kind, intermediary) VALUES (?1, ?2, ?3)")?;
            for n in network.nodes() {
                let key = network.key(n);
                if profiles.contains(key) {
                    continue;
                }
                let kind = network.kind(n).map_or("person", NodeKind::as_str);
                put.execute(params![key, kind, network.is_intermediary(n)])?;
            }
            let mut put =
                tx.prepare("INSERT INTO ties (a, b, kind, strength) VALUES (?1, ?2, ?3, ?4)")?;
            for (a, b, tie) in network.all_ties() {
                put.execute(params![
                    network.key(a),
                    network.key(b),
                    tie.kind.as_str(),
                    f64::from(tie.strength)
                ])?;
            }
        }
        tx.execute(
            "INSERT INTO meta (name, value) VALUES ('source', ?1)",
            params![source],
        )?;
        tx.commit()?;
        // The whole import went through the log: fold it into the database and empty it.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Reads the whole database back into a dataset, checked as the folder loader checks a
    /// folder (the same conversions, the same errors, naming the table and the row's key).
    pub fn dataset(&self, reference: Arc<Reference>, limits: Limits) -> StoreResult<Dataset> {
        let loader = Loader::new(reference.clone()).limits(limits);
        let mut report = ResolutionReport::default();
        let mut dataset = Dataset::new(reference);
        dataset.network.set_limits(limits);
        for (i, (key, text)) in self.rows("SELECT key, record FROM profiles ORDER BY rowid")? {
            let profile = loader
                .profile_json(&text, i, &mut report)
                .map_err(|e| format!("table profiles, row {i} ({key}): {e}"))?;
            dataset.profiles.push(profile);
        }
        for p in &dataset.profiles {
            dataset
                .network
                .add_node(&p.key, NodeKind::Person, p.intermediary)?;
        }
        self.read_network(&mut dataset.network)?;
        let sql = "SELECT key, record FROM opportunities ORDER BY position";
        for (i, (key, text)) in self.rows(sql)? {
            let o = loader
                .opportunity_json(&text, i, &dataset.network, &mut report)
                .map_err(|e| format!("table opportunities, row {i} ({key}): {e}"))?;
            dataset.opportunities.push(o);
        }
        dataset.validate()?;
        Ok(dataset)
    }

    fn rows(&self, sql: &str) -> StoreResult<impl Iterator<Item = (usize, (String, String))>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows.into_iter().enumerate())
    }

    fn read_network(&self, network: &mut Network) -> StoreResult<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, kind, intermediary FROM nodes ORDER BY rowid")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let key: String = row.get(0)?;
            let kind: String = row.get(1)?;
            let kind: NodeKind = kind
                .parse()
                .map_err(|()| format!("table nodes ({key}): unknown kind {kind:?}"))?;
            network.add_node(&key, kind, row.get(2)?)?;
        }
        let mut stmt = self
            .conn
            .prepare("SELECT a, b, kind, strength FROM ties ORDER BY rowid")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (a, b): (String, String) = (row.get(0)?, row.get(1)?);
            let node = |k: &str| {
                network
                    .node(k)
                    .ok_or_else(|| format!("table ties: no node has the key {k:?}"))
            };
            let (na, nb) = (node(&a)?, node(&b)?);
            let kind: String = row.get(2)?;
            let kind = kind
                .parse()
                .map_err(|()| format!("table ties ({a}, {b}): unknown kind {kind:?}"))?;
            let strength: f64 = row.get(3)?;
            let tie = Tie {
                kind,
                strength: strength as f32,
            };
            network.add_tie(na, nb, tie)?;
        }
        Ok(())
    }

    /// The stored record of profile `key`, if there is one.
    pub fn profile_record(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT record FROM profiles WHERE key = ?1",
                params![key],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Writes a profile (new or replaced) and commits it: once this returns, the change
    /// survives a crash.
    pub fn put_profile(&mut self, profile: &Profile, reference: &Reference) -> StoreResult<()> {
        let record = json(&ProfileRecord::from_profile(profile, reference))?;
        self.put_profile_text(&profile.key, &record)
    }

    /// Writes a profile's record text as it is (to restore one after a refused change).
    pub fn put_profile_text(&mut self, key: &str, record: &str) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO profiles (key, record) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET record = excluded.record",
            params![key, record],
        )?;
        bump(&tx)?;
        tx.commit()?;
        self.changed();
        Ok(())
    }

    /// Erases profile `key`: its row and every tie of its node, in one committed
    /// transaction, then checkpoints the log, so that no copy of the rows is left in either
    /// file. Returns what was removed, to put it back if the engine refuses.
    pub fn erase_profile(&mut self, key: &str) -> StoreResult<Erased> {
        let tx = self.conn.transaction()?;
        let erased = erased_rows(&tx, key)?;
        tx.execute("DELETE FROM profiles WHERE key = ?1", params![key])?;
        tx.execute("DELETE FROM ties WHERE a = ?1 OR b = ?1", params![key])?;
        bump(&tx)?;
        tx.commit()?;
        self.changed();
        // The log still holds the rows' earlier pages: fold it into the database (where
        // `secure_delete` has zeroed them) and empty it.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(erased)
    }

    /// Puts back what [`Store::erase_profile`] removed.
    pub fn restore(&mut self, erased: &Erased) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        if let Some(record) = &erased.record {
            tx.execute(
                "INSERT INTO profiles (key, record) VALUES (?1, ?2)",
                params![erased.key, record],
            )?;
        }
        for (a, b, kind, strength) in &erased.ties {
            tx.execute(
                "INSERT INTO ties (a, b, kind, strength) VALUES (?1, ?2, ?3, ?4)",
                params![a, b, kind, strength],
            )?;
        }
        bump(&tx)?;
        tx.commit()?;
        self.changed();
        Ok(())
    }

    /// Removes a profile's row (to undo an add the engine refused).
    pub fn delete_profile_row(&mut self, key: &str) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM profiles WHERE key = ?1", params![key])?;
        bump(&tx)?;
        tx.commit()?;
        self.changed();
        Ok(())
    }

    /// The number of changes committed since the import (0 before any).
    pub fn generation(&self) -> StoreResult<i64> {
        Ok(self.meta("generation")?.unwrap_or(0))
    }

    /// The generation the saved engine beside the database was built at, if one was saved.
    pub fn saved_generation(&self) -> StoreResult<Option<i64>> {
        self.meta("saved_generation")
    }

    /// Records that the engine saved at `path` holds generation `g`.
    pub fn set_saved(&mut self, path: &Path, g: i64) -> StoreResult<()> {
        self.conn.execute(
            "INSERT INTO meta (name, value) VALUES ('saved_generation', ?1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![g.to_string()],
        )?;
        self.saved = Some(path.to_path_buf());
        Ok(())
    }

    /// Removes the saved engine once the database has changed (called after each commit). A
    /// file that cannot be removed is only reported: the change is committed, and the saved
    /// engine, at an older generation, is never opened again; the next start replaces it.
    fn changed(&mut self) {
        if let Some(path) = self.saved.take()
            && let Err(e) = std::fs::remove_file(&path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            eprintln!(
                "warning: {}: {e} (replaced at the next start)",
                path.display()
            );
        }
    }

    fn meta(&self, name: &str) -> StoreResult<Option<i64>> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .optional()?;
        value
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("table meta: {name} is {v:?}").into())
            })
            .transpose()
    }
}

/// The rows an erasure removed.
pub struct Erased {
    key: String,
    record: Option<String>,
    ties: Vec<(String, String, String, f64)>,
}

fn erased_rows(tx: &Transaction<'_>, key: &str) -> StoreResult<Erased> {
    let record = tx
        .query_row(
            "SELECT record FROM profiles WHERE key = ?1",
            params![key],
            |r| r.get(0),
        )
        .optional()?;
    let mut stmt = tx.prepare("SELECT a, b, kind, strength FROM ties WHERE a = ?1 OR b = ?1")?;
    let ties = stmt
        .query_map(params![key], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Erased {
        key: key.to_string(),
        record,
        ties,
    })
}

/// Counts one more change in the transaction that makes it.
fn bump(tx: &Transaction<'_>) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO meta (name, value) VALUES ('generation', '1')
         ON CONFLICT (name) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [],
    )?;
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    Ok(serde_json::to_string(value)?)
}
