//! Detection: the worker's event loop. File events are classified, writes waited out, each new file read
//! once, and every read that is not retried ends in exactly one report: unchanged, rejected, removed, or a
//! roll-out of the new build.

use super::Pipeline;
use crate::error::LoadError;
use crate::events::{ReloadEvent, ReloadTimings};
use crate::loader::LoadOutcome;
use crate::watch::{Message, Signal};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a file must stay unwritten after a plain write event before it is loaded. Linkers announce the
/// end of their work with a close or a rename, which is acted on at once; this only covers writers that
/// do not (and a truncated read of a file still being written, retried once after it).
const QUIET: Duration = Duration::from_millis(30);

/// How often to look at the shells while a swap is outstanding (to report it promptly).
const SWAP_TICK: Duration = Duration::from_millis(2);

/// How often to look at the shells otherwise (faults, allocation counts, retired instances).
const IDLE_TICK: Duration = Duration::from_millis(100);

/// How long the library may be gone before that is reported: cargo removes the old file and links the new
/// one within microseconds.
const REMOVAL_GRACE: Duration = Duration::from_millis(100);

impl Pipeline {
    pub(super) fn run(mut self, rx: Receiver<Message>) {
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
        let outcome = self.loader.load_if_changed(self.current.as_ref().map(|library| library.hash()));
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
}
