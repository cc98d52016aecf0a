//! One shared engine and its database. Reads take the engine's read lock; a change is
//! converted and checked, committed to the database, and only then applied to the engine under
//! its write lock, so an acknowledged change survives a crash. Writers take the database in
//! turn; queries go on while a change is written.

use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use diaspora_match::io::{Loader, ProfileRecord, ResolutionReport};
use diaspora_match::{Engine, Limits, Profile, ProfileId, Reference};
use serde_json::json;

use crate::errors::ApiError;
use crate::store::Store;

/// The state every request shares.
pub struct Service {
    engine: RwLock<Engine>,
    store: Mutex<Store>,
    reference: Arc<Reference>,
    loader: Loader,
    limits: Limits,
}

impl Service {
    /// The service around a built engine and the database it was built from.
    pub fn new(engine: Engine, store: Store, limits: Limits) -> Service {
        let reference = engine.reference().clone();
        Service {
            loader: Loader::new(reference.clone()).limits(limits),
            engine: RwLock::new(engine),
            store: Mutex::new(store),
            reference,
            limits,
        }
    }

    /// The engine, for a query.
    pub fn read(&self) -> Result<RwLockReadGuard<'_, Engine>, ApiError> {
        self.engine
            .read()
            .map_err(|_| ApiError::internal("the engine's lock is poisoned"))
    }

    fn write(&self) -> Result<RwLockWriteGuard<'_, Engine>, ApiError> {
        self.engine
            .write()
            .map_err(|_| ApiError::internal("the engine's lock is poisoned"))
    }

    fn store(&self) -> Result<MutexGuard<'_, Store>, ApiError> {
        self.store
            .lock()
            .map_err(|_| ApiError::internal("the database's lock is poisoned"))
    }

    /// The limits requests are checked against.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The reference data the engine was built on.
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// A profile record (a request body) converted and checked as the folder loader does.
    fn convert(&self, body: &str, index: usize) -> Result<Profile, ApiError> {
        let mut report = ResolutionReport::default();
        Ok(self.loader.profile_json(body, index, &mut report)?)
    }

    /// The id of profile `key`, or 404.
    pub fn profile_id(engine: &Engine, key: &str) -> Result<ProfileId, ApiError> {
        engine
            .profile_id(key)
            .ok_or_else(|| ApiError::unknown("profile", key))
    }

    /// A profile's record as the engine holds it.
    pub fn profile_record(&self, key: &str) -> Result<String, ApiError> {
        let engine = self.read()?;
        let profile = engine.profile(Self::profile_id(&engine, key)?)?;
        to_json(&ProfileRecord::from_profile(&profile, &self.reference))
    }

    /// Adds a profile: 201 with its id and key.
    pub fn add_profile(&self, body: &str) -> Result<String, ApiError> {
        let index = self.read()?.profile_count();
        let profile = self.convert(body, index)?;
        let key = profile.key.clone();
        let mut store = self.store()?;
        if self.read()?.profile_id(&key).is_some() {
            return Err(ApiError::conflict(
                "key",
                format!("the key {key:?} is in use"),
            ));
        }
        store
            .put_profile(&profile, &self.reference)
            .map_err(ApiError::internal)?;
        let added = self.write()?.add_profile(profile);
        match added {
            Ok(id) => to_json(&json!({"profile": id, "profile_key": key})),
            Err(e) => {
                store.delete_profile_row(&key).map_err(ApiError::internal)?;
                Err(e.into())
            }
        }
    }

    /// Replaces profile `key`'s data (the body's key must be `key`).
    pub fn update_profile(&self, key: &str, body: &str) -> Result<String, ApiError> {
        let id = Self::profile_id(&*self.read()?, key)?;
        let profile = self.convert(body, id.index())?;
        if profile.key != key {
            return Err(ApiError::bad(
                "key",
                "the body's key differs from the path's; an update keeps the key",
            ));
        }
        let mut store = self.store()?;
        let old = store
            .profile_record(key)
            .map_err(ApiError::internal)?
            .ok_or_else(|| ApiError::unknown("profile", key))?;
        store
            .put_profile(&profile, &self.reference)
            .map_err(ApiError::internal)?;
        let updated = self.write()?.update_profile(id, profile);
        match updated {
            Ok(()) => to_json(&json!({"profile": id, "profile_key": key})),
            Err(e) => {
                store
                    .put_profile_text(key, &old)
                    .map_err(ApiError::internal)?;
                Err(e.into())
            }
        }
    }

    /// Erases profile `key`: its rows leave the database, then the engine.
    pub fn remove_profile(&self, key: &str) -> Result<String, ApiError> {
        let mut store = self.store()?;
        let id = {
            let engine = self.read()?;
            let id = Self::profile_id(&engine, key)?;
            if let Some(o) = hosted_by(&engine, key) {
                return Err(ApiError::conflict(
                    "key",
                    format!("the profile hosts opportunity {o}; remove that first"),
                ));
            }
            id
        };
        let erased = store.erase_profile(key).map_err(ApiError::internal)?;
        let removed = self.write()?.remove_profile(id);
        match removed {
            Ok(()) => to_json(&json!({"profile": id, "profile_key": key, "erased": true})),
            Err(e) => {
                store.restore(&erased).map_err(ApiError::internal)?;
                Err(e.into())
            }
        }
    }
}

/// The key of an opportunity that profile `key` hosts, if any.
fn hosted_by(engine: &Engine, key: &str) -> Option<String> {
    let node = engine.network().node(key)?;
    engine
        .opportunities()
        .iter()
        .find(|o| o.host == node)
        .map(|o| o.key.clone())
}

/// Any serialisable value as JSON text (fields in their written order), or 500.
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(ApiError::internal)
}
