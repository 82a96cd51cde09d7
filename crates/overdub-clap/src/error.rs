//! What can stop a CLAP plugin instance from starting.

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
        path: std::path::PathBuf,
        /// What went wrong, as the loader reports it.
        #[source]
        source: overdub_loader::ReloadError,
    },
}
