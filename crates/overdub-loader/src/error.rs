//! Why a logic library could not be loaded, in terms a plugin author can act on.

use overdub_abi::Message;
use overdub_abi::canary::CanaryDiff;
use overdub_abi::probe::ProbeMismatch;
use std::path::PathBuf;
use thiserror::Error;

/// A library was not loaded; whatever was running keeps running.
#[derive(Debug, Error)]
pub enum LoadError {
    /// Nothing at the path.
    #[error("no logic library at {path}: build the logic crate first (cargo build)")]
    Missing {
        /// The library path.
        path: PathBuf,
    },
    /// A file operation failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done, e.g. "read".
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// The private image of the library could not be made; the message says where it was being written.
    #[error("cannot copy {path} into its private image ({image}): {source}")]
    Stage {
        /// The library path.
        path: PathBuf,
        /// Where the image was being written.
        image: String,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file changed while it was being copied (a writer still at work): the copy is not used.
    #[error("{path} changed while it was being read; it is read again once its writer is done")]
    Changed {
        /// The library path.
        path: PathBuf,
    },
    /// The file is not a shared library for this machine.
    #[error("{path} is not a loadable library: {reason}")]
    NotALibrary {
        /// The library path.
        path: PathBuf,
        /// What it is instead.
        reason: String,
    },
    /// The file's headers point past its end: cut short (a build still writing it, a full disk) or damaged.
    /// Checked before the dynamic loader sees the file, because mapping such a file can crash the process.
    #[error("{path} is truncated or damaged: {detail}")]
    Truncated {
        /// The library path.
        path: PathBuf,
        /// Which structure is cut short.
        detail: String,
    },
    /// The system's dynamic loader refused the file.
    #[error("the dynamic loader refused {path}: {message}")]
    Open {
        /// The library path.
        path: PathBuf,
        /// The loader's message.
        message: String,
    },
    /// A symbol the export macro emits is absent.
    #[error(
        "{path} does not export `{symbol}`: invoke `overdub::export_logic!(YourLogic)` once in the logic \
         crate's lib.rs and build it as a cdylib"
    )]
    MissingExport {
        /// The library path.
        path: PathBuf,
        /// The missing symbol.
        symbol: &'static str,
    },
    /// The library was built with another compiler, target, panic strategy or ABI crate.
    #[error(
        "{path} was built against a different ABI than this shell; rebuild both with the same toolchain and \
         overdub version. Differing fields:\n{diff}"
    )]
    AbiMismatch {
        /// The library path.
        path: PathBuf,
        /// Every differing canary field with both values.
        diff: CanaryDiff,
    },
    /// The library's trait-object vtable does not match the shell's.
    #[error("{path} failed the vtable probe: {mismatch}")]
    ProbeMismatch {
        /// The library path.
        path: PathBuf,
        /// The first method that answered wrongly.
        mismatch: ProbeMismatch,
    },
    /// The author's `create` (or a method the shell calls right after it) panicked.
    #[error("the logic in {path} panicked in {call}: {message}")]
    Panicked {
        /// The library path.
        path: PathBuf,
        /// The method that panicked.
        call: &'static str,
        /// The panic's message and location.
        message: Message,
    },
}

impl LoadError {
    /// Whether the file may simply not be finished yet (a linker still writing, a directory being
    /// recreated): worth one more try once the writes settle before telling the developer.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Missing { .. }
                | Self::Io { .. }
                | Self::Changed { .. }
                | Self::NotALibrary { .. }
                | Self::Truncated { .. }
        )
    }
}
