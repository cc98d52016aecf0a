//! A population built into an engine without ever holding its profiles as records: the
//! [skeleton](Population::skeleton) (opportunities and the whole network) first, then the
//! profiles [chunk by chunk](Population::profile_chunks), drawn again from their own random
//! streams, for [`EngineBuilder::build_with_profiles`](crate::EngineBuilder::build_with_profiles).

use crate::dataset::Dataset;
use crate::error::Result;
use crate::model::Profile;
use crate::network::NodeKind;

use super::config::{BUILD_BATCH, CHUNK, Progress, Stage};
use super::population::{Attrs, Population};
use crate::util::map_chunks;

impl<'a> Population<'a> {
    /// The population without its profiles: the opportunities and the whole network, every
    /// profile's node included, the same as [`Population::generate`]'s; `progress` is called
    /// after every batch of profiles and chunk of ties. The profiles are drawn and dropped
    /// here (only three numbers per person are kept, for the ties); give
    /// [`Population::profile_chunks`] to
    /// [`EngineBuilder::build_with_profiles`](crate::EngineBuilder::build_with_profiles) to
    /// build the engine of [`Population::generate`]'s dataset.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use diaspora_match::{io, synth, Engine, OpportunityId};
    /// let dir = io::bundled_reference_dir();
    /// let reference = Arc::new(io::load_reference(&dir)?);
    /// let tables = synth::SourceTables::load(&dir, &reference)?;
    /// let config = synth::SynthConfig { profiles: 9000, opportunities: 5, ties: 9000, seed: 3, ..Default::default() };
    /// let population = synth::Population::new(reference, &tables, config)?;
    /// let skeleton = population.skeleton(|_| {})?;
    /// assert!(skeleton.profiles.is_empty());
    /// let streamed = Engine::builder(skeleton).build_with_profiles(population.profile_chunks().map(Ok))?;
    /// let whole = Engine::builder(population.generate()?).build()?;
    /// let o = OpportunityId::new(2);
    /// assert_eq!(streamed.profile_count(), 9000);
    /// assert_eq!(streamed.candidates(o, 20)?, whole.candidates(o, 20)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Population::generate`].
    pub fn skeleton(&self, progress: impl Fn(Progress) + Sync) -> Result<Dataset> {
        let mut dataset = Dataset::new(self.reference.clone());
        let mut attrs = Vec::with_capacity(self.config.profiles);
        for batch in self.profile_batches() {
            for (p, a) in batch {
                dataset
                    .network
                    .add_node(&p.key, NodeKind::Person, p.intermediary)?;
                attrs.push(a);
            }
            progress(Progress {
                stage: Stage::Profiles,
                done: attrs.len() as u64,
                total: self.config.profiles as u64,
            });
        }
        self.complete(dataset, &attrs, &progress)
    }

    /// The profiles of [`Population::generate`], in order, 16,384 at a time (4 chunks of
    /// 4,096, drawn in parallel).
    pub fn profile_chunks(&self) -> impl Iterator<Item = Vec<Profile>> + '_ {
        self.profile_batches()
            .map(|batch| batch.into_iter().map(|(p, _)| p).collect())
    }

    /// The profiles with what ties need of them, a batch of chunks at a time.
    fn profile_batches(&self) -> impl Iterator<Item = Vec<(Profile, Attrs)>> + '_ {
        let chunks = self.chunks();
        (0..chunks).step_by(BUILD_BATCH).map(move |first| {
            let batch = map_chunks(first..(first + BUILD_BATCH).min(chunks), |c| {
                self.profile_chunk(c)
            });
            let mut out = Vec::with_capacity(BUILD_BATCH * CHUNK);
            out.extend(batch.into_iter().flatten());
            out
        })
    }
}
