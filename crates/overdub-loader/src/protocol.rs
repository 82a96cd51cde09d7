//! The reload protocol between a library's worker thread and the audio thread of each hot shell of it: every
//! message, both of its ends, and what each side promises. A reader follows this file, not a round trip.
//!
//! - **Outbound, a [`Candidate`]** (worker → audio thread, through [`Link::pending`]): a new build prepared off
//!   the audio thread (loaded, warmed up, its instance reset for the shell's activation, state adopted or
//!   migrated). The worker promises it is complete and that nothing but the audio thread touches it until it
//!   comes back; a newer candidate displaces an untaken one, which the worker then drops.
//! - **Inbound, a [`Retired`]** (audio thread → worker, through [`Link::retired`]): every candidate the audio
//!   thread took comes back exactly once, holding what the switch replaced (the old build and, for a
//!   replaced engine, the old engine) and its [`Outcome`]: switched (with the time, for the report), or
//!   refused (adoption no longer sound, or prepared for another activation: the worker prepares it again).
//!   The audio thread promises to drop nothing it received: every box it lets go of goes back this way, so
//!   memory is only freed on the worker.
//! - **A state snapshot** ([`Snapshot`], worker → audio thread → worker, through [`Link::snapshot_request`] and
//!   [`Link::snapshot_reply`]): when a new build cannot adopt the running memory, the worker asks for it in a
//!   buffer it allocated; the audio thread writes into that buffer without growing it and answers at its next
//!   block.
//! - **Reports** (audio thread → worker): faults through the shell's fault mailbox, the steady time of the
//!   last block and the logic's allocation count through atomics.
//!
//! The audio thread never blocks, allocates or frees on any of these paths: slots are single atomic swaps,
//! the retired queue is a wait-free ring sized so it is never full in practice (if it is, the shell keeps the
//! one box until there is room).

use crate::events::{ReloadEvent, ReloadTimings, StateOutcome};
use crate::instance::Instance;
use crate::library::LoadedLibrary;
use overdub_abi::{LogicInfo, Message};
use overdub_shell::{Engine, FaultRecord, ParamSet, ProcessConfig, Shared, Slot};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

/// Retired candidates the audio thread can hand back before the worker drains them; more than a few means
/// the worker is stuck, and the audio thread then keeps the extra one until there is room.
pub(crate) const RETIRE_CAPACITY: usize = 16;

/// "No steady time" and "switch without waiting for a time".
pub(crate) const NO_TIME: u64 = u64::MAX;

/// How a new build takes over.
pub(crate) enum Change {
    /// Same state layout: the new code adopts the running instance's memory. `info` and `params` are the new
    /// build's (after the switch, the old build's).
    Adopt {
        /// The new build's identity and parameters.
        info: LogicInfo,
        /// The new build's parameter list (values carried at the switch).
        params: ParamSet,
        /// The new build, for the instance to keep mapped (after the switch, the build it ran before).
        keep: Arc<LoadedLibrary>,
    },
    /// A new instance, reset and loaded with the migrated state (after the switch, the old engine, which may
    /// still be fading out).
    Replace {
        /// The prepared engine.
        engine: Box<Engine<Instance>>,
    },
}

/// A prepared build on its way to the audio thread.
pub(crate) struct Candidate {
    /// The build (after the switch, the build it replaced: none when the shell had no build yet).
    pub library: Option<Arc<LoadedLibrary>>,
    /// How it takes over.
    pub change: Change,
    /// What happens to the state, for the report.
    pub state: StateOutcome,
    /// Whether the parameter list differs from the running build's.
    pub params_changed: bool,
    /// Phase timings so far (settle, load, prepare).
    pub timings: ReloadTimings,
    /// When it was published (nanoseconds since [`epoch`]).
    pub published_at: u64,
    /// The host steady time at which to switch ([`NO_TIME`]: at the next block), so that every instance of a
    /// host switches in the same processing cycle.
    pub swap_at: u64,
}

/// What became of a candidate the audio thread took.
pub(crate) enum Outcome {
    /// It runs now.
    Switched {
        /// When the audio thread switched to it (nanoseconds since [`epoch`]).
        at: u64,
        /// Whether the old and new output were crossfaded.
        crossfaded: bool,
    },
    /// The shell could not switch to it: prepare it again against what the shell runs now.
    Refused,
}

/// A candidate on its way back to the worker, holding what it replaced.
pub(crate) struct Retired {
    /// The candidate, its `library` and `change` now the replaced ones (or, refused, its own).
    pub candidate: Box<Candidate>,
    /// What happened.
    pub outcome: Outcome,
}

/// A state snapshot the worker asks the audio thread for, in a buffer the worker allocated.
pub(crate) struct Snapshot {
    /// The state bytes, written without growing the buffer.
    pub bytes: Vec<u8>,
    /// The audio thread's answer: the size the state needs (more than the capacity: incomplete), or why there
    /// is no state.
    pub outcome: Result<usize, Message>,
}

/// Non-real-time facts about a shell, under a lock the audio thread never takes.
pub(crate) struct Control {
    /// How the shell was last activated.
    pub config: Option<ProcessConfig>,
    /// The build the shell runs (as far as the worker has published).
    pub library: Option<Arc<LoadedLibrary>>,
    /// Where the shell's reload events go.
    pub events: Option<Sender<ReloadEvent>>,
    /// Called after events were sent, from the worker's thread: tells the shell's owner to look at them.
    pub wake: Option<Arc<dyn Fn() + Send + Sync>>,
    /// A fault the worker reported, until the shell's control takes it.
    pub fault: Option<FaultRecord>,
    /// Project state a host gave the shell while it had no build: the first build starts from its values.
    pub kept_state: Option<Vec<u8>>,
}

/// What one hot shell shares with its library's worker.
pub(crate) struct Link {
    /// Identifies the shell in events.
    pub id: u64,
    /// A prepared build waiting for the audio thread.
    pub pending: Slot<Candidate>,
    /// Candidates coming back from the audio thread.
    pub retired: Mutex<rtrb::Consumer<Retired>>,
    /// A state snapshot the worker asked for.
    pub snapshot_request: Slot<Snapshot>,
    /// The audio thread's answer to it.
    pub snapshot_reply: Slot<Snapshot>,
    /// Whether a processor runs (an inactive shell answers no snapshot).
    pub active: AtomicBool,
    /// The steady time of the shell's last block, or [`NO_TIME`].
    pub steady_time: AtomicU64,
    /// Allocations the running logic's `process` made, as last read by the audio thread.
    pub allocations: AtomicU64,
    /// Faults and latency from the shell's processor.
    pub shared: Arc<Shared>,
    /// Non-real-time facts.
    control: Mutex<Control>,
}

impl Link {
    pub(crate) fn new(
        id: u64,
        library: Option<Arc<LoadedLibrary>>,
        shared: Arc<Shared>,
        retired: rtrb::Consumer<Retired>,
    ) -> Self {
        Self {
            id,
            pending: Slot::new(),
            retired: Mutex::new(retired),
            snapshot_request: Slot::new(),
            snapshot_reply: Slot::new(),
            active: AtomicBool::new(false),
            steady_time: AtomicU64::new(NO_TIME),
            allocations: AtomicU64::new(0),
            shared,
            control: Mutex::new(Control {
                config: None,
                library,
                events: None,
                wake: None,
                fault: None,
                kept_state: None,
            }),
        }
    }

    /// The non-real-time facts (never taken on the audio thread).
    pub(crate) fn control(&self) -> MutexGuard<'_, Control> {
        self.control.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sends an event to the shell's listener, if it has one, and wakes its owner. The wake-up runs under the
    /// control's lock, so once a shell has withdrawn it ([`Link::withdraw`]) it is never called again.
    pub(crate) fn emit(&self, event: ReloadEvent) {
        let control = self.control();
        if let Some(events) = &control.events {
            let _ = events.send(event);
        }
        if let Some(wake) = &control.wake {
            wake();
        }
    }

    /// Stops events and wake-ups for a shell that is going away (its owner's handle may die with it).
    pub(crate) fn withdraw(&self) {
        let mut control = self.control();
        control.events = None;
        control.wake = None;
    }
}

/// A fixed instant that real-time timestamps are counted from, so they fit in an atomic.
pub(crate) fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Now, as nanoseconds since [`epoch`] (a vDSO clock read: no system call, no allocation).
pub(crate) fn now_nanos() -> u64 {
    epoch().elapsed().as_nanos() as u64
}
