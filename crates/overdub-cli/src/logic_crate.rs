//! A plugin author's logic crate: found from a directory, checked to be a logic crate, and built with cargo.

pub use crate::build::cargo::cargo;
use crate::error::CliError;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A crate that builds a logic library (a cdylib invoking `export_logic!`).
#[derive(Clone, Debug)]
pub struct LogicCrate {
    /// The crate's directory.
    pub dir: PathBuf,
    /// Its `Cargo.toml`.
    pub manifest: PathBuf,
    /// The package name.
    pub package: String,
    /// Whether `[package.metadata.overdub]` says `instrument = true`: the dev host then plays notes, not audio.
    pub instrument: bool,
    /// Where cargo builds (default: cargo's own choice, which honours `CARGO_TARGET_DIR`).
    pub target_dir: Option<PathBuf>,
}

/// A finished build's library.
#[derive(Clone, Debug)]
pub struct Built {
    /// The cdylib cargo wrote.
    pub library: PathBuf,
    /// How long `cargo build` took.
    pub duration: Duration,
}

#[derive(Deserialize)]
struct Manifest {
    package: Option<Package>,
    lib: Option<Lib>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
}

#[derive(Deserialize)]
struct Lib {
    #[serde(rename = "crate-type", default)]
    crate_type: Vec<String>,
}

impl LogicCrate {
    /// The logic crate whose `Cargo.toml` is in `start` or its nearest parent.
    pub fn find(start: &Path) -> Result<Self, CliError> {
        let start = start.canonicalize().map_err(CliError::io("open", start))?;
        let manifest = start
            .ancestors()
            .map(|dir| dir.join("Cargo.toml"))
            .find(|manifest| manifest.is_file())
            .ok_or_else(|| CliError::NoManifest { dir: start.clone() })?;
        let text = std::fs::read_to_string(&manifest).map_err(CliError::io("read", &manifest))?;
        let not_logic =
            |reason: &str| CliError::NotALogicCrate { manifest: manifest.clone(), reason: reason.to_owned() };
        let parsed: Manifest =
            toml::from_str(&text).map_err(|e| not_logic(&format!("its Cargo.toml does not parse: {e}")))?;
        let package = parsed.package.ok_or_else(|| {
            not_logic("it has no [package] (a workspace root?): run this inside the logic crate's directory")
        })?;
        let cdylib = parsed.lib.is_some_and(|lib| lib.crate_type.iter().any(|t| t == "cdylib"));
        if !cdylib {
            return Err(not_logic(
                "it builds no library to load: add `[lib] crate-type = [\"cdylib\", \"rlib\"]` to Cargo.toml",
            ));
        }
        let plugin =
            overdub_build::PluginManifest::parse(&text, &manifest).map_err(|e| not_logic(&e.to_string()))?;
        let instrument = plugin.instrument;
        Ok(Self {
            dir: manifest.parent().expect("a manifest path has a parent").to_owned(),
            manifest,
            package: package.name,
            instrument,
            target_dir: None,
        })
    }

    /// Runs `cargo build` on the crate's library, cargo's progress and messages shown on stderr as usual.
    pub fn build(&self, release: bool) -> Result<Built, CliError> {
        build_cdylib(&self.manifest, release, &[], self.target_dir.as_deref())
    }
}

/// Runs `cargo build --lib` on the crate of `manifest` with `extra` arguments (features, say), into
/// `target_dir` when given, and returns the cdylib it wrote. Cargo's progress and messages go to stderr as
/// usual; a failed build is [`CliError::BuildFailed`].
pub fn build_cdylib(
    manifest: &Path,
    release: bool,
    extra: &[&str],
    target_dir: Option<&Path>,
) -> Result<Built, CliError> {
    let mut command = cargo();
    command.args(["build", "--lib", "--manifest-path"]).arg(manifest).args(extra);
    if release {
        command.arg("--release");
    }
    if let Some(dir) = target_dir {
        command.arg("--target-dir").arg(dir);
    }
    let run = crate::build::cargo::run(command, manifest)?;
    Ok(Built { library: run.library, duration: run.duration })
}
