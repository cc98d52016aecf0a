//! Starting the engine: opened from the engine saved beside the database when that was saved
//! at the database's current generation (no change since), else built from the database and
//! saved again. The saved engine is only a cache: a missing, stale, foreign or damaged file is
//! never used (`Engine::open` refuses every damaged one), and a restart then rebuilds. The
//! first change after the start removes the file (`Store`), so an erased person's data does
//! not stay in it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use diaspora_match::{Engine, Limits, Reference};

use crate::store::{Store, StoreResult};

/// The saved engine's file beside the database: `serve.sqlite` -> `serve.engine`.
pub fn saved_path(db: &Path) -> PathBuf {
    db.with_extension("engine")
}

/// The engine, and how it was had (for the start-up line).
pub fn engine(
    store: &mut Store,
    db: &Path,
    reference: Arc<Reference>,
    limits: Limits,
) -> StoreResult<(Engine, String)> {
    let path = saved_path(db);
    let generation = store.generation()?;
    if store.saved_generation()? == Some(generation) && path.exists() {
        match Engine::open(&path, reference.clone()) {
            Ok(engine) => {
                store.set_saved(&path, generation)?;
                return Ok((engine, format!("opened {}", path.display())));
            }
            Err(e) => eprintln!("warning: {e}; building from the database instead"),
        }
    }
    let dataset = store.dataset(reference, limits)?;
    let engine = Engine::builder(dataset).limits(limits).build()?;
    match save(&engine, &path) {
        Ok(()) => store.set_saved(&path, generation)?,
        Err(e) => eprintln!("warning: the engine was not saved: {e}"),
    }
    Ok((engine, "built from the database".into()))
}

/// Saves the engine under another name, then renames it into place: a crash leaves the old
/// file or the new one, never half of one.
fn save(engine: &Engine, path: &Path) -> StoreResult<()> {
    let part = path.with_extension("engine.part");
    engine.save(&part)?;
    std::fs::rename(&part, path)?;
    Ok(())
}
