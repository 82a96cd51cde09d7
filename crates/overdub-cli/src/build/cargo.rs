//! One `cargo build` of a crate's library, its progress and messages shown as cargo shows them, and what its
//! JSON messages say it built: the cdylib, and every unit of the build graph (fresh ones too).

use crate::error::CliError;
use serde::Deserialize;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A unit cargo reported (a library, proc macro or build script of some package).
#[derive(Clone, Debug, Deserialize)]
pub struct Unit {
    /// cargo's package id: `path+file://…` for a package on disk, `registry+…` for a downloaded one.
    pub package_id: String,
    /// The package's manifest.
    pub manifest_path: PathBuf,
    /// The files the unit produced.
    #[serde(default)]
    pub filenames: Vec<PathBuf>,
}

impl Unit {
    /// Whether its sources are files someone may edit (a path dependency), not a downloaded package.
    pub fn is_local(&self) -> bool {
        self.package_id.starts_with("path+")
    }
}

/// What one cargo run built.
#[derive(Clone, Debug)]
pub struct CargoRun {
    /// The crate's cdylib.
    pub library: PathBuf,
    /// Every other unit of the build.
    pub units: Vec<Unit>,
    /// Whether cargo ran a build script of the crate itself.
    pub ran_own_build_script: bool,
    /// How long cargo took.
    pub duration: Duration,
}

/// Runs `command` (a `cargo build` of the crate of `manifest`; the JSON message format is added here), its
/// messages shown on stderr as usual. A failed build is [`CliError::BuildFailed`].
pub fn run(mut command: Command, manifest: &Path) -> Result<CargoRun, CliError> {
    let started = Instant::now();
    command.arg("--message-format=json-render-diagnostics").stdout(Stdio::piped()).stderr(Stdio::inherit());
    let mut child = command.spawn().map_err(CliError::io("run", "cargo"))?;
    let stdout = child.stdout.take().expect("stdout was piped");
    let mut library = None;
    let mut units = Vec::new();
    let mut ran_own_build_script = false;
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(CliError::io("read the output of", "cargo"))?;
        match Message::parse(&line) {
            Some(Message::Artifact(unit)) if unit.manifest_path == manifest => {
                let cdylib = unit.filenames.iter().find(|f| is_cdylib(f));
                library = cdylib.cloned().or(library);
            }
            Some(Message::Artifact(unit)) => units.push(unit),
            Some(Message::BuildScript { manifest_path }) => ran_own_build_script |= manifest_path == manifest,
            None => {}
        }
    }
    let status = child.wait().map_err(CliError::io("wait for", "cargo"))?;
    if !status.success() {
        return Err(CliError::BuildFailed { manifest: manifest.to_owned() });
    }
    let library = library.ok_or_else(|| CliError::NotALogicCrate {
        manifest: manifest.to_owned(),
        reason: "cargo built no cdylib for it".to_owned(),
    })?;
    Ok(CargoRun { library, units, ran_own_build_script, duration: started.elapsed() })
}

/// The JSON messages read.
enum Message {
    Artifact(Unit),
    BuildScript { manifest_path: PathBuf },
}

impl Message {
    fn parse(line: &str) -> Option<Self> {
        #[derive(Deserialize)]
        struct Any {
            reason: String,
        }
        #[derive(Deserialize)]
        struct Script {
            package_id: String,
        }
        match serde_json::from_str::<Any>(line).ok()?.reason.as_str() {
            "compiler-artifact" => serde_json::from_str(line).ok().map(Message::Artifact),
            "build-script-executed" => {
                let script: Script = serde_json::from_str(line).ok()?;
                Some(Message::BuildScript { manifest_path: manifest_of(&script.package_id)? })
            }
            _ => None,
        }
    }
}

/// The manifest of a local package from its id (`path+file:///dir#name@0.1.0`).
fn manifest_of(package_id: &str) -> Option<PathBuf> {
    let dir = package_id.strip_prefix("path+file://")?.split('#').next()?;
    Some(Path::new(dir).join("Cargo.toml"))
}

fn is_cdylib(file: &Path) -> bool {
    file.to_string_lossy().ends_with(std::env::consts::DLL_SUFFIX)
}

/// A `cargo` command that builds independently of any cargo that started this process.
///
/// The outer cargo's per-package variables (`cargo run`, `cargo test`) would otherwise leak into the nested
/// build; `CARGO_TARGET_DIR`, `CARGO_HOME` and the user's build settings are kept.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    const LEAKED: [&str; 7] = [
        "CARGO_PKG_",
        "CARGO_MANIFEST_",
        "CARGO_CRATE_",
        "CARGO_BIN_",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_TMPDIR",
        "CARGO_RUSTC_CURRENT_DIR",
    ];
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        if LEAKED.iter().any(|prefix| name.starts_with(prefix)) {
            command.env_remove(&key);
        }
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_and_build_scripts_are_read_from_cargo_s_messages() {
        let artifact = r#"{"reason":"compiler-artifact","package_id":"path+file:///w/overdub#0.1.0","manifest_path":"/w/overdub/Cargo.toml","filenames":["/t/deps/liboverdub-1.rlib"],"fresh":true}"#;
        let Some(Message::Artifact(unit)) = Message::parse(artifact) else { panic!("not read") };
        assert!(unit.is_local());
        assert_eq!(unit.filenames, [PathBuf::from("/t/deps/liboverdub-1.rlib")]);
        let script =
            r#"{"reason":"build-script-executed","package_id":"path+file:///w/fx#0.1.0","linked_libs":[]}"#;
        let Some(Message::BuildScript { manifest_path }) = Message::parse(script) else { panic!("not read") };
        assert_eq!(manifest_path, Path::new("/w/fx/Cargo.toml"));
        assert!(Message::parse(r#"{"reason":"build-finished","success":true}"#).is_none());
        assert!(Message::parse("not json").is_none());
    }
}
