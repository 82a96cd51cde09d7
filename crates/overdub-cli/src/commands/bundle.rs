//! `overdub bundle`: the CLAP or VST3 plugin, static for release, hot for development.
//!
//! A logic crate gets a plugin from a wrapper crate beside its sources: `clap/` for CLAP, `vst3/` for VST3 (see
//! the overdub repository's `examples/gain/clap` and `examples/gain/vst3`); `--format` picks which (`clap`, the
//! default, `vst3`, or `all`). `--release` builds the wrapper with its `static` feature (the logic compiled
//! in); otherwise with `hot`, after building the logic's own library in the dev profile, which the hot plugin
//! loads and reloads on every rebuild. Both wrappers are built in the release profile: the hot plugin's own
//! machinery (watcher, staging, hashing, checks, loader) runs on every reload, and unoptimised it took 12 to
//! 16 times as long to load each build (8.7 ms instead of 0.7 for a release-size library, 190 ms instead of
//! 12 for a debug-size one); only the logic follows the developer's profile. The release wrapper's artifacts
//! are its own, so nothing it builds is rebuilt by the developer's dev builds of the logic, or the other way
//! round. The built library is bundled into `<target>/bundle/<name>.clap` or `<name>.vst3` (static), or
//! `<name>-hot.clap` / `<name>-hot.vst3` (hot: distinct, so both can be installed side by side), in the
//! platform's layout (see `overdub_bundle`) and, with `--install`, copied into the user's plugin folder. A
//! bundle is replaced by writing a new one and renaming it over the old one, never rewritten in place: a
//! host may have it loaded.
//!
//! The bundle is named after the logic package unless the wrapper's `Cargo.toml` says otherwise:
//!
//! ```toml
//! [package.metadata.overdub]
//! bundle-name = "my-plugin"         # → my-plugin.clap, my-plugin.vst3
//! bundle-id = "com.example.plugin"  # macOS bundle identifier
//! ```

use crate::cli::{BundleArgs, FormatArg};
use crate::error::CliError;
use crate::logic_crate::{LogicCrate, build_cdylib, cargo};
use overdub_bundle::{BundleSpec, Format, Platform};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Builds the plugin in each format asked for, bundles it, installs it when asked, and prints each bundle's
/// path on stdout, one a line.
pub fn run(args: &BundleArgs) -> Result<(), CliError> {
    let logic = LogicCrate::find(args.path.as_deref().unwrap_or(Path::new(".")))?;
    let formats: &[Format] = match args.format {
        FormatArg::Clap => &[Format::Clap],
        FormatArg::Vst3 => &[Format::Vst3],
        FormatArg::All => &[Format::Clap, Format::Vst3],
    };
    for &format in formats {
        let made = bundle(&logic, format, args.release)?;
        eprintln!(
            "bundled {} ({}) in {:.1} s",
            made.package,
            if args.release { "static, release" } else { "hot: plugin in release, logic in dev" },
            made.build_seconds
        );
        if !args.release {
            eprintln!(
                "hot plugin: it loads {} and reloads it whenever `cargo build` rewrites it",
                made.logic_library
                    .as_deref()
                    .map_or_else(|| "the logic library".into(), |p| p.display().to_string())
            );
        }
        let shown = if args.install {
            let dir = overdub_bundle::user_plugin_dir(format, Platform::current())?;
            let installed = overdub_bundle::install(&made.path, &dir)?;
            eprintln!("installed {} into {}", made.path.display(), dir.display());
            installed
        } else {
            made.path
        };
        println!("{}", shown.display());
    }
    Ok(())
}

/// A bundle [`bundle`] made.
#[derive(Clone, Debug)]
pub struct Bundled {
    /// The `.clap` file or the `.vst3` directory.
    pub path: PathBuf,
    /// The wrapper crate's package name.
    pub package: String,
    /// The logic library a hot plugin loads (none for a static one).
    pub logic_library: Option<PathBuf>,
    /// How long the cargo builds took together.
    pub build_seconds: f64,
}

/// Builds the `format` wrapper of `logic` (static with `release`, hot otherwise) and bundles it into
/// `<target>/bundle`, where `<target>` is the logic crate's target directory.
pub fn bundle(logic: &LogicCrate, format: Format, release: bool) -> Result<Bundled, CliError> {
    let wrapper = Wrapper::find(logic, format)?;
    let target_dir = match &logic.target_dir {
        Some(dir) => dir.clone(),
        None => metadata(&logic.manifest)?.target_directory,
    };
    let mut build_seconds = 0.0;
    let mut logic_library = None;
    let hot_settings = hot_wrapper_settings();
    let mut args = vec!["--no-default-features", "--features"];
    if release {
        args.push("static");
    } else {
        let built = build_cdylib(&logic.manifest, false, &[], Some(&target_dir)).map_err(bundle_build)?;
        build_seconds += built.duration.as_secs_f64();
        logic_library = Some(built.library);
        args.push("hot");
        args.extend(hot_settings.iter().flat_map(|setting| ["--config", setting.as_str()]));
    }
    let built = build_cdylib(&wrapper.manifest, true, &args, Some(&target_dir)).map_err(bundle_build)?;
    build_seconds += built.duration.as_secs_f64();
    let name = wrapper.bundle_name.unwrap_or_else(|| logic.package.clone());
    let id = wrapper.bundle_id.unwrap_or_else(|| format!("dev.overdub.plugin.{name}"));
    let (name, id) = if release { (name, id) } else { (format!("{name}-hot"), format!("{id}.hot")) };
    let spec = BundleSpec { library: &built.library, name: &name, id: &id, version: &wrapper.version };
    let path = overdub_bundle::bundle(&spec, format, &target_dir.join("bundle"), Platform::current())?;
    Ok(Bundled { path, package: wrapper.package, logic_library, build_seconds })
}

/// Cargo settings for the release build of a hot wrapper: it records the path of the logic's dev build
/// (see [`overdub_build::LOGIC_PROFILE_ENV`]), and unwinds as the dev build does, whatever the crate's release
/// profile says, since the loader accepts only a library with the shell's panic strategy.
fn hot_wrapper_settings() -> [String; 3] {
    let env = overdub_build::LOGIC_PROFILE_ENV;
    [
        format!("env.{env}.value=\"dev\""),
        format!("env.{env}.force=true"),
        "profile.release.panic=\"unwind\"".to_owned(),
    ]
}

/// A failed build of a plugin, in the words of `overdub bundle`.
fn bundle_build(error: CliError) -> CliError {
    match error {
        CliError::BuildFailed { manifest } => CliError::BundleBuildFailed { manifest },
        other => other,
    }
}

/// A wrapper crate of a logic crate.
struct Wrapper {
    manifest: PathBuf,
    package: String,
    version: String,
    bundle_name: Option<String>,
    bundle_id: Option<String>,
}

impl Wrapper {
    fn find(logic: &LogicCrate, format: Format) -> Result<Self, CliError> {
        let dir = format.extension();
        let expected = logic.dir.join(dir).join("Cargo.toml");
        let manifest = match expected.canonicalize() {
            Ok(path) if path.is_file() => path,
            _ => {
                let (format, wrapper_crate, export_macro, scaffolded) = match format {
                    Format::Clap => (
                        "CLAP",
                        "overdub-clap",
                        "overdub_clap::export_clap!",
                        ", and `overdub new` scaffolds come with one",
                    ),
                    Format::Vst3 => ("VST3", "overdub-vst3", "overdub_vst3::export_vst3!", ""),
                };
                return Err(CliError::NoWrapper {
                    format,
                    logic_dir: logic.dir.clone(),
                    expected,
                    wrapper_crate,
                    export_macro,
                    dir,
                    scaffolded,
                });
            }
        };
        let package =
            metadata(&manifest)?.packages.into_iter().find(|p| p.manifest_path == manifest).ok_or_else(
                || CliError::Metadata {
                    manifest: manifest.clone(),
                    reason: "cargo lists no package for this manifest".to_owned(),
                },
            )?;
        if !package.targets.iter().any(|t| t.crate_types.iter().any(|c| c == "cdylib")) {
            return Err(CliError::NotALogicCrate {
                manifest,
                reason: "this wrapper builds no plugin library: give it `[lib] crate-type = [\"cdylib\"]`"
                    .to_owned(),
            });
        }
        let overdub = package.metadata.and_then(|m| m.overdub);
        Ok(Self {
            manifest,
            package: package.name,
            version: package.version,
            bundle_name: overdub.as_ref().and_then(|o| o.bundle_name.clone()),
            bundle_id: overdub.and_then(|o| o.bundle_id),
        })
    }
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<MetadataPackage>,
    target_directory: PathBuf,
}

#[derive(Deserialize)]
struct MetadataPackage {
    name: String,
    version: String,
    manifest_path: PathBuf,
    #[serde(default)]
    targets: Vec<MetadataTarget>,
    #[serde(default)]
    metadata: Option<PackageMetadata>,
}

#[derive(Deserialize)]
struct MetadataTarget {
    #[serde(default)]
    crate_types: Vec<String>,
}

#[derive(Deserialize)]
struct PackageMetadata {
    overdub: Option<OverdubMetadata>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct OverdubMetadata {
    bundle_name: Option<String>,
    bundle_id: Option<String>,
}

/// `cargo metadata --no-deps` for the crate of `manifest` (its workspace's packages and target directory).
fn metadata(manifest: &Path) -> Result<Metadata, CliError> {
    let output = cargo()
        .args(["metadata", "--no-deps", "--format-version", "1", "--manifest-path"])
        .arg(manifest)
        .output()
        .map_err(CliError::io("run", "cargo"))?;
    let failed = |reason: String| CliError::Metadata { manifest: manifest.to_owned(), reason };
    if !output.status.success() {
        return Err(failed(String::from_utf8_lossy(&output.stderr).trim().to_owned()));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| failed(e.to_string()))
}
