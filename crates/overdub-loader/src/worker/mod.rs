//! The reload worker: one thread per library path per process, shared by every hot shell of that path. It
//! watches the file and loads each new build once ([`detect`]), warms it up, prepares a candidate for every
//! shell, publishes them and takes back what the audio threads retire ([`roll_out`]). This module keeps the
//! registry of workers and the handle that stops one.

mod detect;
mod roll_out;

use crate::library::LoadedLibrary;
use crate::loader::Loader;
use crate::protocol::Link;
use crate::watch::{LibraryWatch, Message};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::Instant;

type Links = Arc<Mutex<Vec<Weak<Link>>>>;

/// A running worker; dropping the last handle stops its thread and its watcher and waits for both.
pub(crate) struct Worker {
    path: PathBuf,
    tx: Sender<Message>,
    links: Links,
    thread: Option<JoinHandle<()>>,
}

/// Every live worker in the process, by library path.
static WORKERS: Mutex<Vec<Weak<Worker>>> = Mutex::new(Vec::new());

/// Registers `link` with the worker for `path`, starting one if the path has none. `running` is the build the
/// shell loaded (none when it has none yet), which a new worker treats as current.
pub(crate) fn attach(
    path: &Path,
    link: &Arc<Link>,
    running: Option<&Arc<LoadedLibrary>>,
) -> notify::Result<Arc<Worker>> {
    let mut workers = WORKERS.lock().unwrap_or_else(PoisonError::into_inner);
    workers.retain(|worker| worker.strong_count() > 0);
    let existing = workers.iter().filter_map(Weak::upgrade).find(|worker| worker.path == path);
    let worker = match existing {
        Some(worker) => worker,
        None => {
            let worker = Arc::new(Worker::start(path, running.cloned())?);
            workers.push(Arc::downgrade(&worker));
            worker
        }
    };
    worker.links.lock().unwrap_or_else(PoisonError::into_inner).push(Arc::downgrade(link));
    worker.wake();
    Ok(worker)
}

impl Worker {
    fn start(path: &Path, running: Option<Arc<LoadedLibrary>>) -> notify::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let watch = LibraryWatch::start(path, tx.clone())?;
        let links = Links::default();
        let pipeline = Pipeline {
            loader: Loader::new(path),
            path: path.to_owned(),
            current: running,
            links: Arc::clone(&links),
            watch,
            detected: None,
            last_write: None,
            retry_at: None,
            rejected: None,
            missing: false,
            removed_at: None,
            outstanding: 0,
            reported_allocations: HashMap::new(),
            recent_swaps: HashMap::new(),
        };
        let thread = std::thread::Builder::new()
            .name("overdub-reload".into())
            .spawn(move || pipeline.run(rx))
            .map_err(notify::Error::io)?;
        Ok(Self { path: path.to_owned(), tx, links, thread: Some(thread) })
    }

    /// Asks the worker to look at its shells now (a new shell, an activation, a non-real-time call).
    pub(crate) fn wake(&self) {
        let _ = self.tx.send(Message::Wake);
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.tx.send(Message::Shutdown);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            log::error!("the reload worker for {} panicked", self.path.display());
        }
    }
}

/// The worker thread's state.
struct Pipeline {
    path: PathBuf,
    loader: Loader,
    /// The newest build rolled out (none while no build has loaded).
    current: Option<Arc<LoadedLibrary>>,
    links: Links,
    watch: LibraryWatch,
    /// When the first event of the change being handled arrived.
    detected: Option<Instant>,
    /// The last plain write, while waiting for the file to go quiet.
    last_write: Option<Instant>,
    /// When to try again a load that failed while the file may still have been written.
    retry_at: Option<Instant>,
    /// The last build rejected and why, not to be tried again when the same bytes come back.
    rejected: Option<(u64, String)>,
    /// The library file was removed and has not come back yet.
    missing: bool,
    /// When the file was found missing, until that is reported (a build that replaces the file by deleting
    /// and relinking it, as cargo does, is not a removal).
    removed_at: Option<Instant>,
    /// Candidates published and not yet handed back.
    outstanding: usize,
    reported_allocations: HashMap<u64, u64>,
    /// Per shell, when it last switched builds and the build it switched from (for a rollback).
    recent_swaps: HashMap<u64, (u64, Option<Arc<LoadedLibrary>>)>,
}

impl Pipeline {
    fn live_links(&self) -> Vec<Arc<Link>> {
        let mut links = self.links.lock().unwrap_or_else(PoisonError::into_inner);
        links.retain(|link| link.strong_count() > 0);
        links.iter().filter_map(Weak::upgrade).collect()
    }

    fn emit_all(&self, event: &crate::events::ReloadEvent) {
        for link in self.live_links() {
            link.emit(event.clone());
        }
    }
}
