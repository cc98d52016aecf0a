//! An HTTP JSON service around one shared engine, its data kept in SQLite: the crate embedded
//! as a service would embed it.
//!
//! ```text
//! cargo run --release --example serve                       # data/sample, http://127.0.0.1:8080
//! cargo run --release --example serve -- --db my.sqlite --import DIR --addr 127.0.0.1:3000
//! ```
//!
//! On its first run with a database file the service imports a dataset folder (`--import`,
//! the sample by default) into it; from then on it starts from the database, and every
//! profile added, updated or erased through the API is committed to the database before the
//! engine sees it. The built engine is saved beside the database (`FILE.engine`) and opened
//! instead of rebuilt while the database has not changed since. The routes are listed in `api.rs`; `GET /` is a page that shows the ranked
//! candidates of an opportunity, their scores and the referral path to the host.

#[path = "../common/mod.rs"]
mod common;

mod api;
mod errors;
mod queries;
mod service;
mod start;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use common::AnyError;
use diaspora_match::{Limits, Reference, io};

use crate::service::Service;
use crate::store::Store;

/// Serves the engine over HTTP: candidates, opportunities for a person, explanations,
/// referral paths, skill names, profile updates and placements, as JSON, and a page.
#[derive(Parser)]
#[command(name = "serve")]
struct Args {
    /// The SQLite database (created on first run).
    #[arg(long, value_name = "FILE", default_value_os_t = default_db())]
    db: PathBuf,
    /// The dataset folder imported into a new database (ignored once the database is filled).
    #[arg(long, value_name = "DIR", default_value_os_t = common::sample_dir())]
    import: PathBuf,
    /// A reference data folder, instead of the reference built into the crate.
    #[arg(long, value_name = "DIR")]
    reference: Option<PathBuf>,
    /// The address to listen on (port 0: any free port; the address taken is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

fn default_db() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/serve.sqlite")
}

fn main() -> ExitCode {
    common::exit(run(common::parse()))
}

/// The reference data: a folder's, or the crate's own (built in with the default feature
/// `bundled-reference`, else read from the crate's `data/reference`).
fn reference(dir: Option<&PathBuf>) -> Result<Arc<Reference>, AnyError> {
    Ok(Arc::new(match dir {
        Some(dir) => io::load_reference(dir)?,
        #[cfg(feature = "bundled-reference")]
        None => Reference::bundled()?,
        #[cfg(not(feature = "bundled-reference"))]
        None => io::load_reference(io::bundled_reference_dir())?,
    }))
}

/// Opens the database, importing `args.import` into it on first run, and builds the service.
fn start(args: &Args) -> Result<Service, AnyError> {
    let t = Instant::now();
    let reference = reference(args.reference.as_ref())?;
    let limits = Limits::default();
    let mut store = Store::open(&args.db).map_err(|e| format!("{}: {e}", args.db.display()))?;
    if !store.is_filled()? {
        let dataset = io::Loader::new(reference.clone())
            .limits(limits)
            .load(&args.import)?
            .dataset;
        store.import(&dataset, &args.import.display().to_string())?;
        println!(
            "imported {} profiles from {} into {}",
            dataset.profiles.len(),
            args.import.display(),
            args.db.display()
        );
    }
    let (engine, how) = start::engine(&mut store, &args.db, reference, limits)?;
    println!(
        "{} profiles, {} opportunities, {} ties from {} in {:.2?} ({how})",
        engine.profile_count(),
        engine.opportunities().len(),
        engine.network().tie_count(),
        args.db.display(),
        t.elapsed()
    );
    Ok(Service::new(engine, store, limits))
}

fn run(args: Args) -> Result<(), AnyError> {
    let service = Arc::new(start(&args)?);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr).await?;
        // The tests and the load client read this line for the port.
        println!("listening on http://{}", listener.local_addr()?);
        axum::serve(listener, api::routes(service)).await?;
        Ok(())
    })
}
