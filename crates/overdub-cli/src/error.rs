//! What can go wrong, in words a plugin author can act on. Every variant ends the command with a non-zero exit.

use std::path::PathBuf;
use thiserror::Error;

/// A command failed; the message says what to do about it.
#[derive(Debug, Error)]
pub enum CliError {
    /// No `Cargo.toml` in the directory or any parent.
    #[error(
        "no Cargo.toml in {dir} or any parent: run this inside a logic crate, pass its directory, or create one \
         with `overdub new NAME`"
    )]
    NoManifest {
        /// Where the search started.
        dir: PathBuf,
    },
    /// The crate found is not an overdub logic crate.
    #[error("{manifest} is not an overdub logic crate: {reason}")]
    NotALogicCrate {
        /// The crate's manifest.
        manifest: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// `cargo build` failed; cargo has already printed its messages.
    #[error(
        "cargo build failed for {manifest} (cargo's messages are above); the running build keeps playing"
    )]
    BuildFailed {
        /// The crate's manifest.
        manifest: PathBuf,
    },
    /// The logic crate has no wrapper crate for the format asked for beside its sources.
    #[error(
        "{logic_dir} has no {format} wrapper crate (expected {expected}): add one there, a `cdylib` crate that \
         depends on `{wrapper_crate}` and on this crate as an optional dependency, has a `static` (default) \
         and a `hot` feature, and invokes `{export_macro}` with this crate's logic; the overdub repository's \
         examples/gain/{dir} is one to copy{scaffolded}"
    )]
    NoWrapper {
        /// The format's name.
        format: &'static str,
        /// The logic crate's directory.
        logic_dir: PathBuf,
        /// Where the wrapper's `Cargo.toml` was looked for.
        expected: PathBuf,
        /// The crate the wrapper depends on.
        wrapper_crate: &'static str,
        /// The macro it invokes.
        export_macro: &'static str,
        /// The wrapper's directory beside the logic.
        dir: &'static str,
        /// Whether `overdub new` scaffolds one, in words.
        scaffolded: &'static str,
    },
    /// `cargo build` of a plugin failed; cargo has already printed its messages.
    #[error("cargo build failed for {manifest}; cargo's messages are above, no plugin was bundled")]
    BundleBuildFailed {
        /// The manifest of the crate that failed to build.
        manifest: PathBuf,
    },
    /// `cargo metadata` could not describe a crate.
    #[error("cannot read the package information of {manifest} with `cargo metadata`: {reason}")]
    Metadata {
        /// The crate's manifest.
        manifest: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// The built plugin could not be bundled or installed.
    #[error("bundling the plugin failed: {0}")]
    Bundle(#[from] overdub_bundle::BundleError),
    /// A file could not be read, written or created.
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
    /// A WAV file could not be read or written.
    #[error("{path} is not a usable WAV file: {reason}")]
    Wav {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A WAV file to play is at another sample rate than the sound card, and the dev host does not resample.
    #[error(
        "{path} is at {file_rate} Hz but the sound card plays at {device_rate} Hz, and overdub dev does not \
         resample (the file would play at the wrong speed and pitch): convert the file to {device_rate} Hz, or \
         play it on the null device with `--device null`, which runs at the file's rate"
    )]
    SampleRateMismatch {
        /// The file.
        path: PathBuf,
        /// The file's sample rate.
        file_rate: u32,
        /// The sound card's sample rate.
        device_rate: u32,
    },
    /// A MIDI file could not be read.
    #[error("{path} is not a usable MIDI file: {reason}")]
    Midi {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// `--param` named no parameter of the logic.
    #[error("unknown parameter `{name}`; {logic} has: {valid}")]
    UnknownParam {
        /// The name given.
        name: String,
        /// The logic's name.
        logic: String,
        /// Every valid parameter with its range.
        valid: String,
    },
    /// `--param` was not `NAME=VALUE` or its value is not a number.
    #[error("--param expects NAME=VALUE with a number as VALUE (a unit may follow it), got `{0}`")]
    BadParam(String),
    /// The logic library could not be loaded.
    #[error("cannot load the logic library: {0}")]
    Load(String),
    /// The logic refused a call (it panicked, or rejected a value).
    #[error("the logic failed: {0}")]
    Logic(#[from] overdub_shell::ShellError),
    /// `overdub new` would overwrite something.
    #[error("{path} already exists: choose another name or remove it")]
    Exists {
        /// The existing path.
        path: PathBuf,
    },
    /// `overdub new` got a name cargo cannot use.
    #[error("`{0}` is not a valid crate name: use letters, digits, `-` and `_`, starting with a letter")]
    BadName(String),
    /// The overdub repository is not where this binary was built from.
    #[error("{0}")]
    NoRepository(String),
    /// The demo could not complete a step.
    #[error("demo: {0}")]
    Demo(String),
}

impl CliError {
    /// An I/O failure on `path` while doing `action`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { action, path, source }
    }
}
