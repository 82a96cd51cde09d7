//! The dev build path: every rebuild of `overdub dev` either runs the rustc command cargo last ran for the
//! logic crate (the fast path: no cargo start, lock, fingerprint or build-script check, only the cdylib), or
//! goes through cargo, which records that command again.
//!
//! The fast path is taken only when it gives what cargo would: a command was recorded by the cargo build
//! that last compiled the crate (in this session or an earlier one, whose record is kept beside the library;
//! cargo finding the crate fresh means nothing it builds from changed since), the crate has no build script, no changed file is build configuration (a manifest, the lock
//! file, a build script, cargo configuration, a toolchain pin), and nothing else the build reads changed
//! since cargo's run (see [`inputs`]). Anything else, and a fast build that fails, goes through cargo: its
//! messages are the ones shown, and a library is loaded only from a build that succeeded.

pub mod cargo;
pub mod inputs;
pub mod record;
pub mod replay;

use crate::error::CliError;
use crate::logic_crate::LogicCrate;
use inputs::Inputs;
use record::Invocation;
pub use replay::Emit;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How `overdub dev` builds.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The release profile instead of dev.
    pub release: bool,
    /// The logic crate's own opt-level (dependencies keep the profile's), e.g. `"1"`.
    pub opt_level: Option<String>,
    /// Whether rebuilds may take the fast path.
    pub policy: Policy,
    /// What the fast path emits.
    pub emit: Emit,
}

/// Which rebuilds may skip cargo.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Policy {
    /// The fast path whenever it gives what cargo would, cargo otherwise.
    #[default]
    Auto,
    /// Always cargo.
    Cargo,
}

/// The way one build went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The recorded rustc command, run directly.
    Fast,
    /// Through cargo, and why.
    Cargo(CargoReason),
}

impl Route {
    /// `fast` or `cargo`, for tools.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Fast => "fast",
            Self::Cargo(_) => "cargo",
        }
    }
}

/// Why a build went through cargo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CargoReason {
    /// No rustc command of the crate's was recorded yet (it was last compiled by a cargo without this
    /// recorder, or never).
    NotRecorded,
    /// `--build cargo`.
    Asked,
    /// The crate has a build script, which cargo reruns when any of its inputs changes.
    BuildScript,
    /// A manifest, lock file, build script, cargo configuration or toolchain file was saved.
    Configuration(PathBuf),
    /// Something the build reads besides the crate's sources changed (a dependency, the compiler, a file
    /// outside the watched directory).
    InputChanged(PathBuf),
    /// The fast build failed; cargo shows its messages.
    FastFailed,
}

impl fmt::Display for CargoReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotRecorded => write!(f, "no rustc command recorded yet"),
            Self::Asked => write!(f, "--build cargo"),
            Self::BuildScript => write!(f, "the crate has a build script"),
            Self::Configuration(path) => write!(f, "{} changed", path.display()),
            Self::InputChanged(path) => write!(f, "{} changed since cargo's last build", path.display()),
            Self::FastFailed => write!(f, "the direct rustc build failed"),
        }
    }
}

/// One finished rebuild.
#[derive(Debug)]
#[must_use = "a build's outcome says whether a new library landed"]
pub struct Rebuilt {
    /// The way it finally went.
    pub route: Route,
    /// Whether it gave a library.
    pub ok: bool,
    /// From start to finish, every route tried.
    pub duration: Duration,
}

/// What the fast path holds after a cargo build recorded the command.
struct Recorded {
    invocation: Invocation,
    inputs: Inputs,
    build_script: bool,
}

/// Builds the logic crate for the dev host, each rebuild by the fastest route that gives what cargo would.
pub struct DevBuilder {
    krate: LogicCrate,
    options: BuildOptions,
    record_dir: tempfile::TempDir,
    library: Option<PathBuf>,
    recorded: Option<Recorded>,
}

impl DevBuilder {
    /// A builder for `krate`; nothing is built yet.
    pub fn new(krate: &LogicCrate, options: BuildOptions) -> Result<Self, CliError> {
        let record_dir = tempfile::Builder::new()
            .prefix("overdub-build-")
            .tempdir()
            .map_err(CliError::io("create a directory in", std::env::temp_dir()))?;
        Ok(Self { krate: krate.clone(), options, record_dir, library: None, recorded: None })
    }

    /// Builds with cargo (recording its rustc command when it runs one); returns the library.
    pub fn build_with_cargo(&mut self) -> Result<(PathBuf, Duration), CliError> {
        let record = self.record_dir.path().join("rustc.json");
        let _ = std::fs::remove_file(&record);
        let run = cargo::run(self.cargo_command(&record), &self.krate.manifest)?;
        let persisted = persisted_path(&run.library);
        let invocation = match Invocation::read(&record) {
            Ok(invocation) => {
                // Kept beside the library, for the next session and for tools (the save→sound benchmark
                // replays it as bare rustc).
                let _ = invocation.write(&persisted);
                Some(invocation)
            }
            // cargo found the crate fresh: nothing it builds from changed since it last compiled it, so the
            // command that compiled it (recorded then, in this session or an earlier one) still describes
            // its build.
            Err(_) => {
                self.recorded.take().map(|r| r.invocation).or_else(|| Invocation::read(&persisted).ok())
            }
        };
        self.recorded = invocation.map(|invocation| Recorded {
            inputs: Inputs::stamp(&invocation, &self.krate.manifest, &run.units),
            build_script: run.ran_own_build_script || invocation.env_var("OUT_DIR").is_some(),
            invocation,
        });
        self.library = Some(run.library.clone());
        Ok((run.library, run.duration))
    }

    /// Rebuilds after `changed` were saved; `starting` hears each route as it starts (a failed fast build is
    /// followed by cargo).
    pub fn rebuild(&mut self, changed: &[PathBuf], mut starting: impl FnMut(&Route)) -> Rebuilt {
        let started = Instant::now();
        let route = self.route(changed);
        starting(&route);
        if route == Route::Fast
            && let (Some(recorded), Some(library)) = (&self.recorded, &self.library)
        {
            if replay::run(&recorded.invocation, self.options.emit, library).is_ok() {
                return Rebuilt { route, ok: true, duration: started.elapsed() };
            }
            let fallback = Route::Cargo(CargoReason::FastFailed);
            starting(&fallback);
            let ok = self.build_with_cargo().is_ok();
            return Rebuilt { route: fallback, ok, duration: started.elapsed() };
        }
        let ok = self.build_with_cargo().is_ok();
        Rebuilt { route, ok, duration: started.elapsed() }
    }

    /// Whether `changed` can change the build: not when every file is an input cargo's last build stamped
    /// and it still holds (the lock file cargo itself rewrote while building, say).
    pub fn needs_build(&self, changed: &[PathBuf]) -> bool {
        let Some(recorded) = &self.recorded else { return true };
        !changed.iter().all(|path| recorded.inputs.holds(path))
    }

    /// The route a rebuild after `changed` takes.
    pub fn route(&self, changed: &[PathBuf]) -> Route {
        if self.options.policy == Policy::Cargo {
            return Route::Cargo(CargoReason::Asked);
        }
        let Some(recorded) = self.recorded.as_ref().filter(|_| self.library.is_some()) else {
            return Route::Cargo(CargoReason::NotRecorded);
        };
        let configuration = |p: &&PathBuf| inputs::is_build_configuration(p) && !recorded.inputs.holds(p);
        if let Some(path) = changed.iter().find(configuration) {
            return Route::Cargo(CargoReason::Configuration(path.clone()));
        }
        if recorded.build_script {
            return Route::Cargo(CargoReason::BuildScript);
        }
        match recorded.inputs.first_changed() {
            Some(path) => Route::Cargo(CargoReason::InputChanged(path.to_owned())),
            None => Route::Fast,
        }
    }

    fn cargo_command(&self, record: &Path) -> Command {
        let mut command = cargo::cargo();
        command.args(["build", "--lib", "--manifest-path"]).arg(&self.krate.manifest);
        let profile = if self.options.release {
            command.arg("--release");
            "release"
        } else {
            "dev"
        };
        if let Some(level) = &self.options.opt_level {
            let value = if level.parse::<u8>().is_ok() { level.clone() } else { format!("{level:?}") };
            command.arg("--config").arg(format!(
                "profile.{profile}.package.{}.opt-level={value}",
                crate::repo::toml_string(&self.krate.package)
            ));
        }
        if let Some(dir) = &self.krate.target_dir {
            command.arg("--target-dir").arg(dir);
        }
        if let Ok(me) = std::env::current_exe() {
            // The slot a caching wrapper of the user's already holds is taken over, and the wrapper chained.
            let slot = match std::env::var_os("RUSTC_WRAPPER").filter(|w| !w.is_empty()) {
                Some(_) => "RUSTC_WRAPPER",
                None => "RUSTC_WORKSPACE_WRAPPER",
            };
            if let Some(inner) = std::env::var_os(slot).filter(|w| !w.is_empty()) {
                command.env(record::INNER_WRAPPER, inner);
            }
            command.env(slot, me).env(record::RECORD_TO, record).env(record::RECORD_CRATE, &self.krate.dir);
        }
        command
    }
}

/// Where the command cargo ran to build `library` is kept for tools: `<profile dir>/.overdub/<name>.rustc.json`.
pub fn persisted_path(library: &Path) -> PathBuf {
    let name = library.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    library.with_file_name(".overdub").join(format!("{name}.rustc.json"))
}

/// The platform's file name for the cdylib `stem` (`libfx.so`).
pub fn cdylib_file_name(stem: &str) -> String {
    format!("{}{stem}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX)
}
