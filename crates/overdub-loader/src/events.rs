//! What the reload pipeline tells the developer: a typed stream the CLI and the CLAP shell display.

use crate::cost::LoadCost;
use std::path::PathBuf;
use std::time::Duration;

/// What became of the logic's own state when a new build took over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateOutcome {
    /// Same layout: the new code runs on the very same state memory (delay lines keep ringing, voices keep
    /// sounding).
    Kept,
    /// Layout changed: saved by the old build and loaded into the new one.
    Migrated {
        /// Bytes carried.
        bytes: usize,
    },
    /// The new build starts from fresh state, for the reason given.
    Reset {
        /// Why the state could not be carried.
        reason: String,
    },
}

/// How long each phase of a reload took.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReloadTimings {
    /// From the file event that completed the library to the start of loading (settling).
    pub settle: Duration,
    /// Staging, checking, mapping and verifying the library.
    pub load: Duration,
    /// Creating, resetting and warming up the new instance, and carrying state.
    pub prepare: Duration,
    /// From publishing the prepared instance to the audio thread's first block with it.
    pub swap: Duration,
}

impl ReloadTimings {
    /// From the file event to the first block of new code.
    pub fn total(&self) -> Duration {
        self.settle + self.load + self.prepare + self.swap
    }
}

/// One thing that happened in the reload pipeline.
#[derive(Clone, Debug)]
pub enum ReloadEvent {
    /// The library file changed on disk.
    Detected {
        /// The library path.
        path: PathBuf,
    },
    /// The file changed but holds the bytes already running: nothing to do.
    Unchanged {
        /// The library path.
        path: PathBuf,
    },
    /// The new library loaded and passed the canary and the probe.
    Loaded {
        /// The library path.
        path: PathBuf,
        /// What loading it cost.
        cost: LoadCost,
    },
    /// The new build was refused; the running build keeps running.
    Rejected {
        /// The library path.
        path: PathBuf,
        /// Why, in words a plugin author can act on.
        reason: String,
    },
    /// The library file was deleted (and did not come back at once, as it does when cargo relinks it); the
    /// running build keeps playing, and the file is loaded when it returns.
    Removed {
        /// The library path.
        path: PathBuf,
    },
    /// An instance now runs the new build.
    Swapped {
        /// Which shell instance.
        instance: u64,
        /// Phase timings, from the file event to the first block.
        timings: ReloadTimings,
        /// What became of the logic's state.
        state: StateOutcome,
        /// Whether the parameter list changed (a host must rescan it).
        params_changed: bool,
        /// Whether old and new output were crossfaded.
        crossfaded: bool,
    },
    /// An instance's logic panicked; it outputs silence or its input until a new build revives it.
    Faulted {
        /// Which shell instance.
        instance: u64,
        /// The logic method that panicked.
        call: &'static str,
        /// The panic's message and location.
        message: String,
    },
    /// A new build panicked within moments of switching in; the build before it runs again.
    RolledBack {
        /// Which shell instance.
        instance: u64,
        /// Why, with the panic's message.
        reason: String,
    },
    /// The logic's `process` allocated on the audio thread (counted in debug builds of the logic).
    Allocated {
        /// Which shell instance.
        instance: u64,
        /// Allocations since the build started running.
        count: u64,
    },
}
