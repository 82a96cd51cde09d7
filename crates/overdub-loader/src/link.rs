//! What one hot shell shares with its library's reload worker: lock-free mailboxes the audio thread uses, and
//! a lock only the non-real-time sides take.

use crate::candidate::Candidate;
use crate::events::ReloadEvent;
use crate::library::LoadedLibrary;
use crate::slot::Slot;
use overdub_abi::Message;
use overdub_shell::{FaultRecord, ProcessConfig};
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

/// Retired candidates (old engines) the audio thread can hand back before the worker drains them; more than
/// a few means the worker is stuck, and the audio thread then keeps the extra one until there is room.
pub(crate) const RETIRE_CAPACITY: usize = 16;

/// "No steady time" and "swap without waiting for a time".
pub(crate) const NO_TIME: u64 = u64::MAX;

/// A state snapshot the worker asks the audio thread for, in a buffer the worker allocated.
pub(crate) struct Snapshot {
    /// The state bytes, written without growing the buffer.
    pub bytes: Vec<u8>,
    /// The audio thread's answer: the size the state needs (more than the capacity: incomplete), or why there
    /// is no state.
    pub outcome: Result<usize, Message>,
}

/// Non-real-time facts about the shell, under a lock the audio thread never takes.
pub(crate) struct Control {
    /// How the shell was activated, if it was.
    pub config: Option<ProcessConfig>,
    /// The build the shell runs (as far as the worker has seen it swapped in).
    pub library: Arc<LoadedLibrary>,
    /// Where the shell's reload events go.
    pub events: Option<Sender<ReloadEvent>>,
}

/// Shared between a `HotShell` and its worker.
pub(crate) struct Link {
    /// Identifies the shell in events.
    pub id: u64,
    /// A prepared build waiting for the audio thread.
    pub pending: Slot<Candidate>,
    /// Old engines coming back from the audio thread to be dropped.
    pub retired: Mutex<rtrb::Consumer<Box<Candidate>>>,
    /// A state snapshot the worker asked for.
    pub snapshot_request: Slot<Snapshot>,
    /// The audio thread's answer to it.
    pub snapshot_reply: Slot<Snapshot>,
    /// An empty record the audio thread fills when the logic faults (so reporting allocates nothing there).
    pub fault_blank: Slot<FaultRecord>,
    /// A filled fault record for the worker to report.
    pub fault_report: Slot<FaultRecord>,
    /// The steady time of the shell's last block, or [`NO_TIME`].
    pub steady_time: AtomicU64,
    /// Allocations the running logic's `process` made, as last read by the audio thread.
    pub allocations: AtomicU64,
    /// Non-real-time facts.
    pub control: Mutex<Control>,
}

impl Link {
    pub(crate) fn new(id: u64, library: Arc<LoadedLibrary>, retired: rtrb::Consumer<Box<Candidate>>) -> Self {
        let link = Self {
            id,
            pending: Slot::new(),
            retired: Mutex::new(retired),
            snapshot_request: Slot::new(),
            snapshot_reply: Slot::new(),
            fault_blank: Slot::new(),
            fault_report: Slot::new(),
            steady_time: AtomicU64::new(NO_TIME),
            allocations: AtomicU64::new(0),
            control: Mutex::new(Control { config: None, library, events: None }),
        };
        link.refill_fault_blank();
        link
    }

    /// The non-real-time facts (never called on the audio thread).
    pub(crate) fn control(&self) -> std::sync::MutexGuard<'_, Control> {
        self.control.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes sure the audio thread has an empty record to report a fault in.
    pub(crate) fn refill_fault_blank(&self) {
        if !self.fault_blank.is_full() {
            let blank = FaultRecord { call: "", message: Message::empty() };
            drop(self.fault_blank.put(Box::new(blank)));
        }
    }

    /// Sends an event to the shell's listener, if it has one.
    pub(crate) fn emit(&self, event: ReloadEvent) {
        if let Some(events) = &self.control().events {
            let _ = events.send(event);
        }
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
