//! The reload worker: one thread per library path per process, shared by every hot shell of that path. It
//! watches the file, loads each new build once, warms it up, prepares a candidate for every shell, and drops
//! what the audio threads hand back.

use crate::candidate::Candidate;
use crate::error::LoadError;
use crate::events::{ReloadEvent, ReloadTimings};
use crate::library::LoadedLibrary;
use crate::link::{Link, NO_TIME, Snapshot, now_nanos};
use crate::loader::{LoadOutcome, Loader};
use crate::prepare::{DEFAULT_CONFIG, prepare, same_plugin, warm_up};
use crate::watch::{LibraryWatch, Message, Signal};
use overdub_abi::LogicInfo;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a file must stay unwritten after a plain write event before it is loaded. Linkers announce the
/// end of their work with a close or a rename, which is acted on at once; this only covers writers that
/// do not (and a truncated read of a file still being written, retried once after it).
const QUIET: Duration = Duration::from_millis(30);

/// How often to look at the shells while a swap is outstanding (to report it promptly).
const SWAP_TICK: Duration = Duration::from_millis(2);

/// How often to look at the shells otherwise (faults, allocation counts, retired instances).
const IDLE_TICK: Duration = Duration::from_millis(100);

/// How long the audio thread may take to answer a state snapshot before the state is reset instead.
const SNAPSHOT_WAIT: Duration = Duration::from_millis(250);

/// How long the library may be gone before that is reported: cargo removes the old file and links the new
/// one within microseconds.
const REMOVAL_GRACE: Duration = Duration::from_millis(100);

/// A build that panics this soon after switching in is rolled back to the one before it.
const ROLLBACK_WINDOW: Duration = Duration::from_secs(2);

/// First guess at a state's size; a larger state is asked for again with the size it reported.
const SNAPSHOT_CAPACITY: usize = 64 * 1024;

/// Blocks ahead of the latest steady time at which all instances switch: far enough that every instance's
/// next block has not started yet.
const SWAP_LEAD_BLOCKS: u64 = 2;

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
/// shell loaded, which a new worker treats as current.
pub(crate) fn attach(
    path: &Path,
    link: &Arc<Link>,
    running: &Arc<LoadedLibrary>,
) -> notify::Result<Arc<Worker>> {
    let mut workers = WORKERS.lock().unwrap_or_else(PoisonError::into_inner);
    workers.retain(|worker| worker.strong_count() > 0);
    let existing = workers.iter().filter_map(Weak::upgrade).find(|worker| worker.path == path);
    let worker = match existing {
        Some(worker) => worker,
        None => {
            let worker = Arc::new(Worker::start(path, Arc::clone(running))?);
            workers.push(Arc::downgrade(&worker));
            worker
        }
    };
    worker.links.lock().unwrap_or_else(PoisonError::into_inner).push(Arc::downgrade(link));
    worker.wake();
    Ok(worker)
}

impl Worker {
    fn start(path: &Path, running: Arc<LoadedLibrary>) -> notify::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let watch = LibraryWatch::start(path, tx.clone())?;
        let links = Links::default();
        let pipeline = Pipeline {
            loader: Loader::new(path),
            path: path.to_owned(),
            current: running,
            links: Arc::clone(&links),
            watch,
            generation: 0,
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
    current: Arc<LoadedLibrary>,
    links: Links,
    watch: LibraryWatch,
    generation: u64,
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
    recent_swaps: HashMap<u64, (u64, Arc<LoadedLibrary>)>,
}

impl Pipeline {
    fn run(mut self, rx: Receiver<Message>) {
        loop {
            match rx.recv_timeout(self.timeout()) {
                Ok(Message::Fs(event)) => match self.watch.classify(&event) {
                    Signal::Complete => {
                        // A symlinked library may now lead elsewhere.
                        self.watch.follow();
                        self.detect();
                        self.attempt(false);
                    }
                    Signal::Writing => {
                        self.detect();
                        self.last_write = Some(Instant::now());
                    }
                    Signal::Structure => {
                        if self.watch.follow() && self.watch.watches_library_dir() && self.path.exists() {
                            self.detect();
                            self.attempt(false);
                        }
                    }
                    Signal::Removed => self.mark_missing(),
                    Signal::Irrelevant => {}
                },
                Ok(Message::Wake | Message::WatcherGone) => {}
                Ok(Message::Shutdown) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => self.on_quiet(),
            }
            self.recheck_missing();
            self.service();
        }
        self.stop(&rx);
    }

    /// Drops the watcher and waits until its thread has let go of its event handler, so no thread outlives
    /// the last shell.
    fn stop(self, rx: &Receiver<Message>) {
        drop(self.watch);
        let deadline = Instant::now() + Duration::from_secs(2);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(Message::WatcherGone) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }

    fn timeout(&self) -> Duration {
        let now = Instant::now();
        let tick = if self.outstanding > 0 { SWAP_TICK } else { IDLE_TICK };
        [self.last_write.map(|at| at + QUIET), self.retry_at, self.removed_at.map(|at| at + REMOVAL_GRACE)]
            .into_iter()
            .flatten()
            .map(|at| at.saturating_duration_since(now))
            .fold(tick, Duration::min)
    }

    fn on_quiet(&mut self) {
        let now = Instant::now();
        if self.last_write.is_some_and(|at| now >= at + QUIET) {
            self.attempt(false);
        } else if self.retry_at.is_some_and(|at| now >= at) {
            self.attempt(true);
        }
    }

    /// Notes that the library is gone; it is reported once it has stayed gone for [`REMOVAL_GRACE`].
    fn mark_missing(&mut self) {
        if !self.missing {
            self.missing = true;
            self.removed_at = Some(Instant::now());
        }
    }

    /// While the library is gone, looks again at the way to it on every tick: the deletion of a watched
    /// directory itself is not reliably reported (it was not, here, through notify's inotify backend), so
    /// after `cargo clean` the watch could stay on a deleted directory. A few `stat`s every 100 ms, only while
    /// the file is missing.
    fn recheck_missing(&mut self) {
        if !self.missing {
            return;
        }
        // The watch may be on a directory that was deleted and recreated (not every backend reports that, and
        // a new directory can even reuse the old one's inode number), so look at the file itself; a file
        // already read is skipped by `attempt`.
        if !self.path.exists() {
            self.watch.follow();
            if self.removed_at.is_some_and(|at| at.elapsed() >= REMOVAL_GRACE) {
                self.removed_at = None;
                self.emit_all(&ReloadEvent::Removed { path: self.path.clone() });
            }
            return;
        }
        self.watch.renew();
        self.missing = false;
        self.removed_at = None;
        self.detect();
        self.attempt(false);
    }

    fn live_links(&self) -> Vec<Arc<Link>> {
        let mut links = self.links.lock().unwrap_or_else(PoisonError::into_inner);
        links.retain(|link| link.strong_count() > 0);
        links.iter().filter_map(Weak::upgrade).collect()
    }

    fn emit_all(&self, event: &ReloadEvent) {
        for link in self.live_links() {
            link.emit(event.clone());
        }
    }

    /// Notes when the change being handled began (for the settle timing).
    fn detect(&mut self) {
        self.detected.get_or_insert_with(Instant::now);
    }

    /// Loads the file if its bytes are new. `last_chance` reports a failure that might be transient; every
    /// read that is not retried ends in exactly one report (unchanged, rejected, or a roll-out).
    fn attempt(&mut self, last_chance: bool) {
        let detected = self.detected.take().unwrap_or_else(Instant::now);
        let started = Instant::now();
        self.last_write = None;
        self.retry_at = None;
        if self.loader.seen_already() {
            // Another event about a file already read (a rename reported twice, a recheck racing an event).
            return;
        }
        if !last_chance {
            self.emit_all(&ReloadEvent::Detected { path: self.path.clone() });
        }
        let outcome = self.loader.load_if_changed(Some(self.current.hash()));
        match outcome {
            Ok(LoadOutcome::Unchanged) => self.emit_all(&ReloadEvent::Unchanged { path: self.path.clone() }),
            Ok(LoadOutcome::Loaded(library)) => {
                if let Some((_, reason)) = self.rejected.as_ref().filter(|(hash, _)| *hash == library.hash())
                {
                    let reason = format!("these are the bytes of a build rejected before: {reason}");
                    return self.emit_all(&ReloadEvent::Rejected { path: self.path.clone(), reason });
                }
                self.emit_all(&ReloadEvent::Loaded { path: self.path.clone(), cost: *library.cost() });
                let timings = ReloadTimings {
                    settle: started - detected,
                    load: started.elapsed(),
                    ..ReloadTimings::default()
                };
                self.roll_out(library, timings);
            }
            Err(error) if error.is_transient() && !last_chance => {
                self.detected = Some(detected);
                self.retry_at = Some(Instant::now() + QUIET);
            }
            Err(LoadError::Missing { .. }) => {
                self.loader.settle();
                self.mark_missing();
            }
            Err(error) => {
                self.loader.settle();
                self.emit_all(&ReloadEvent::Rejected { path: self.path.clone(), reason: error.to_string() })
            }
        }
    }

    /// Refuses `library` for `reason`: reported, and not tried again should the same bytes return.
    fn reject(&mut self, library: &LoadedLibrary, reason: String) {
        self.rejected = Some((library.hash(), reason.clone()));
        self.emit_all(&ReloadEvent::Rejected { path: self.path.clone(), reason });
    }

    /// Warms the new build up once, prepares a candidate for every shell, and publishes them together.
    fn roll_out(&mut self, library: Arc<LoadedLibrary>, timings: ReloadTimings) {
        let links = self.live_links();
        let config = links.iter().find_map(|link| link.control().config).unwrap_or(DEFAULT_CONFIG);
        let info = match warm_up(&library, config).and_then(|info| same_plugin(&self.current, info)) {
            Ok(info) => info,
            Err(reason) => return self.reject(&library, reason),
        };
        self.current = Arc::clone(&library);
        let prepared: Vec<_> = links
            .iter()
            .filter_map(|link| {
                self.prepare_for(link, &library, info, timings, true).map(|candidate| (link, candidate))
            })
            .collect();
        let swap_at = swap_time(&links);
        for (link, candidate) in prepared {
            self.publish(link, candidate, swap_at);
        }
    }

    fn prepare_for(
        &self,
        link: &Link,
        library: &Arc<LoadedLibrary>,
        info: LogicInfo,
        timings: ReloadTimings,
        allow_adopt: bool,
    ) -> Option<Box<Candidate>> {
        let (config, running) = {
            let control = link.control();
            (control.config, Arc::clone(&control.library))
        };
        let mut state = || snapshot(link);
        match prepare(library, info, &running, allow_adopt, config, &mut state, timings) {
            Ok(candidate) => Some(Box::new(candidate)),
            Err(reason) => {
                link.emit(ReloadEvent::Rejected { path: self.path.clone(), reason });
                None
            }
        }
    }

    fn publish(&mut self, link: &Link, mut candidate: Box<Candidate>, swap_at: u64) {
        self.generation += 1;
        candidate.generation = self.generation;
        candidate.swap_at = swap_at;
        candidate.published_at = now_nanos();
        link.control().library = Arc::clone(&candidate.library);
        self.outstanding += 1;
        if link.pending.put(candidate).is_some() {
            // A build the audio thread never took: superseded, dropped here.
            self.outstanding -= 1;
        }
    }

    /// Drops what the audio threads handed back, reports swaps, faults and allocations.
    fn service(&mut self) {
        for link in self.live_links() {
            let retired: Vec<Box<Candidate>> = {
                let mut queue = link.retired.lock().unwrap_or_else(PoisonError::into_inner);
                std::iter::from_fn(|| queue.pop().ok()).collect()
            };
            for candidate in retired {
                self.outstanding = self.outstanding.saturating_sub(1);
                self.handle_retired(&link, candidate);
            }
            if let Some(fault) = link.fault_report.take() {
                let message = fault.message.to_string();
                link.emit(ReloadEvent::Faulted {
                    instance: link.id,
                    call: fault.call,
                    message: message.clone(),
                });
                drop(link.fault_blank.put(fault));
                self.roll_back_if_new(&link, message);
            }
            let count = link.allocations.load(std::sync::atomic::Ordering::Relaxed);
            let reported = self.reported_allocations.entry(link.id).or_default();
            if count > *reported {
                *reported = count;
                link.emit(ReloadEvent::Allocated { instance: link.id, count });
            }
        }
    }

    /// A build that panics within [`ROLLBACK_WINDOW`] of switching in is taken back out: the build it replaced
    /// runs again (on the same state when the layouts match), and the faulty bytes are not loaded again.
    fn roll_back_if_new(&mut self, link: &Arc<Link>, message: String) {
        let Some((swapped_at, previous)) = self.recent_swaps.remove(&link.id) else { return };
        if Duration::from_nanos(now_nanos().saturating_sub(swapped_at)) > ROLLBACK_WINDOW {
            return;
        }
        let Some(info) = previous.info() else { return };
        let faulty = Arc::clone(&link.control().library);
        self.rejected = Some((faulty.hash(), format!("it panicked right after switching in: {message}")));
        link.emit(ReloadEvent::RolledBack {
            instance: link.id,
            reason: format!("the new build panicked right after switching in: {message}"),
        });
        if let Some(candidate) = self.prepare_for(link, &previous, info, ReloadTimings::default(), true) {
            self.publish(link, candidate, NO_TIME);
        }
    }

    fn handle_retired(&mut self, link: &Arc<Link>, candidate: Box<Candidate>) {
        if !candidate.refused {
            self.recent_swaps.insert(link.id, (candidate.swapped_at, Arc::clone(&candidate.library)));
            let swap = Duration::from_nanos(candidate.swapped_at.saturating_sub(candidate.published_at));
            link.emit(ReloadEvent::Swapped {
                instance: link.id,
                timings: ReloadTimings { swap, ..candidate.timings },
                state: candidate.state.clone(),
                params_changed: candidate.params_changed,
                crossfaded: candidate.crossfaded,
            });
            return;
        }
        // The shell ran another build than the one this candidate adopts from: prepare it again with
        // the state migrated.
        let library = Arc::clone(&candidate.library);
        let timings = candidate.timings;
        drop(candidate);
        if let Some(info) = library.info()
            && let Some(candidate) = self.prepare_for(link, &library, info, timings, false)
        {
            self.publish(link, candidate, NO_TIME);
        }
    }
}

/// The steady time at which every instance switches: a little after the latest block any of them has seen,
/// or at once when there is only one, or when any of them has no steady time.
fn swap_time(links: &[Arc<Link>]) -> u64 {
    if links.len() < 2 {
        // Nothing to keep in step with: the next block switches.
        return NO_TIME;
    }
    let mut latest = 0;
    for link in links {
        let time = link.steady_time.load(std::sync::atomic::Ordering::Acquire);
        let block = link.control().config.map_or(0, |c| c.max_block as u64);
        if time == NO_TIME {
            return NO_TIME;
        }
        latest = latest.max(time + SWAP_LEAD_BLOCKS * block);
    }
    latest
}

/// Asks the audio thread for the running state (it answers at its next block, without allocating, into a
/// buffer allocated here).
fn snapshot(link: &Link) -> Result<Vec<u8>, String> {
    let mut capacity = SNAPSHOT_CAPACITY;
    loop {
        drop(link.snapshot_reply.take());
        let request = Snapshot { bytes: Vec::with_capacity(capacity), outcome: Ok(0) };
        drop(link.snapshot_request.put(Box::new(request)));
        let deadline = Instant::now() + SNAPSHOT_WAIT;
        let reply = loop {
            if let Some(reply) = link.snapshot_reply.take() {
                break reply;
            }
            if Instant::now() >= deadline && link.snapshot_request.take().is_some() {
                return Err("the shell did not process audio to hand over its state; the new build starts \
                            fresh"
                    .into());
            }
            std::thread::sleep(Duration::from_micros(500));
        };
        match reply.outcome {
            Ok(needed) if needed <= reply.bytes.capacity() => return Ok(reply.bytes),
            Ok(needed) => capacity = needed,
            Err(message) => return Err(message.to_string()),
        }
    }
}
