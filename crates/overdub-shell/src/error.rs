//! What can go wrong when a shell drives its logic.

use crate::saved_state::StateFormatError;
use overdub_abi::{Message, StateError};
use thiserror::Error;

/// An error from a shell operation; the logic and its state are left as they were unless stated.
#[derive(Debug, Error, PartialEq)]
pub enum ShellError {
    /// The author's code panicked; the instance is now faulted.
    #[error("the logic panicked in {call}: {message}")]
    Panicked {
        /// The logic method that panicked.
        call: &'static str,
        /// The panic's message and location.
        message: Message,
    },
    /// The instance panicked earlier and is not called again until a new build replaces it.
    #[error("the logic is faulted (it panicked in {call}: {message}); fix the code and rebuild to revive it")]
    Faulted {
        /// The logic method that panicked.
        call: &'static str,
        /// The panic's message and location.
        message: Message,
    },
    /// The saved bytes are not a valid state for this plugin; nothing was changed.
    #[error("cannot load the saved state: {0}")]
    StateFormat(#[from] StateFormatError),
    /// The logic's `load_state` refused its bytes; parameter values were not changed.
    #[error("the logic refused its saved state: {0}")]
    LogicState(StateError),
    /// The shell is active already: its processor was handed out and not handed back.
    #[error("the plugin is active already; deactivate it first")]
    AlreadyActive,
    /// No parameter has this id.
    #[error("no parameter has id {0}")]
    UnknownParam(u32),
}
