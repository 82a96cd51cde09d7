//! What can stop a CLAP plugin instance from starting, or a bundle from being made.

use std::path::PathBuf;
use thiserror::Error;

/// Why a plugin instance could not be created.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ClapError {
    /// The shell could not start the logic.
    #[error(transparent)]
    Shell(#[from] overdub_shell::ShellError),
    /// The hot shell could not load the logic library.
    #[cfg(feature = "hot")]
    #[error("cannot load the logic library {path}: {source}")]
    Load {
        /// The library path.
        path: PathBuf,
        /// What went wrong, as the loader reports it.
        #[source]
        source: overdub_loader::ReloadError,
    },
}

/// Why a `.clap` bundle could not be made or installed.
#[derive(Debug, Error)]
pub enum BundleError {
    /// The built plugin library is not there.
    #[error("no built plugin library at {0} (build the plugin crate first)")]
    MissingLibrary(PathBuf),
    /// No home directory to install into.
    #[error("cannot find the home directory to install into (HOME is not set)")]
    NoHome,
    /// A file operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}
