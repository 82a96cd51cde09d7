//! A new build prepared off the audio thread, ready to be switched in at a block boundary.

use crate::events::{ReloadTimings, StateOutcome};
use crate::instance::Instance;
use crate::library::LoadedLibrary;
use overdub_abi::LogicInfo;
use overdub_shell::{Engine, ParamSet};
use std::sync::Arc;

/// How the new build takes over.
pub(crate) enum Change {
    /// Same state layout: the new code (the candidate's library) adopts the running instance's memory.
    /// `info` and `params` are the new build's (after the switch, the old build's).
    Adopt {
        /// The new build's identity and parameters.
        info: LogicInfo,
        /// The new build's parameter list (values carried at the switch).
        params: ParamSet,
    },
    /// A new instance, reset and loaded with the migrated state (after the switch, the old engine, which
    /// may still be fading out).
    Replace {
        /// The prepared engine.
        engine: Box<Engine<Instance>>,
    },
}

/// A prepared build on its way to the audio thread, and afterwards the old pieces on their way back.
pub(crate) struct Candidate {
    /// Publication order; a candidate only switches in once the worker has released its generation.
    pub generation: u64,
    /// The build.
    pub library: Arc<LoadedLibrary>,
    /// How it takes over.
    pub change: Change,
    /// What happens to the state, for the report.
    pub state: StateOutcome,
    /// Whether the parameter list differs from the running build's.
    pub params_changed: bool,
    /// Phase timings so far (settle, load, prepare).
    pub timings: ReloadTimings,
    /// When it was published to the audio thread (nanoseconds since `link::epoch`).
    pub published_at: u64,
    /// The host steady time at which to switch (`link::NO_TIME`: at the next block), so that every instance
    /// of a host switches in the same processing cycle.
    pub swap_at: u64,
    /// When the audio thread switched to it (nanoseconds since `link::epoch`).
    pub swapped_at: u64,
    /// Whether the switch crossfaded old and new output (set by the audio thread).
    pub crossfaded: bool,
    /// The audio thread could not switch to it (adoption no longer sound, or prepared for an earlier
    /// activation): prepare again.
    pub refused: bool,
}
