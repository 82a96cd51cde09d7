//! The build script of a plugin wrapper crate (CLAP or VST3): the plugin's description and the logic library's
//! path, learnt from the logic crate's manifest without compiling the logic.

use crate::manifest::{ManifestError, PluginManifest};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use toml_edit::DocumentMut;

/// The file [`clap_wrapper`] and [`vst3_wrapper`] write into `OUT_DIR`, which `overdub_clap::export_clap!` and
/// `overdub_vst3::export_vst3!` include.
pub const DESCRIPTION_FILE: &str = "overdub_plugin.rs";

/// The environment variable naming the cargo profile whose build of the logic a hot wrapper loads, when it
/// is not the wrapper's own (`dev`, `release` or a custom profile's name): `overdub bundle` builds the hot
/// wrapper in release, so its loader runs optimised, and sets this to `dev`, so the plugin follows the
/// developer's own `cargo build` of the logic.
pub const LOGIC_PROFILE_ENV: &str = "OVERDUB_LOGIC_PROFILE";

/// Runs as a CLAP wrapper crate's whole `build.rs`; see [`vst3_wrapper`], which does the same for a VST3
/// wrapper.
pub fn clap_wrapper() {
    plugin_wrapper();
}

/// Runs as a VST3 wrapper crate's whole `build.rs`: the description and the library path are the same for
/// every format, so a plugin is described once, in the logic's manifest.
pub fn vst3_wrapper() {
    plugin_wrapper();
}

/// A wrapper crate's build script, whatever the format: finds the logic crate (the path dependency whose
/// manifest has `[package.metadata.overdub]`), writes the plugin's description for `export_clap!` and records
/// where a hot build finds the logic library (`OVERDUB_LOGIC_PATH`: the logic's cdylib in the same target
/// directory, in the wrapper's own profile directory, `<target>/<profile>/` three levels above `OUT_DIR`, or
/// in that of the profile [`LOGIC_PROFILE_ENV`] names).
///
/// # Panics
/// With the reason, when the logic crate cannot be found or names no plugin: that fails the build, which is
/// how a build script reports.
fn plugin_wrapper() {
    let env =
        |key: &str| std::env::var_os(key).unwrap_or_else(|| panic!("cargo sets {key} for build scripts"));
    let wrapper = PathBuf::from(env("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let out_dir = PathBuf::from(env("OUT_DIR"));
    let logic = logic_crate_of(&wrapper).unwrap_or_else(|error| panic!("overdub: {error}"));
    let (prefix, suffix) = match std::env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("macos" | "ios") => ("lib", ".dylib"),
        Ok("windows") => ("", ".dll"),
        _ => ("lib", ".so"),
    };
    let profile_dir = out_dir.ancestors().nth(3).expect("OUT_DIR is <target>/<profile>/build/<package>/out");
    let logic_dir = match std::env::var(LOGIC_PROFILE_ENV) {
        Ok(profile) => profile_dir.with_file_name(
            profile_dir_name(&profile)
                .unwrap_or_else(|problem| panic!("overdub: {LOGIC_PROFILE_ENV}: {problem}")),
        ),
        Err(_) => profile_dir.to_owned(),
    };
    let library = logic_dir.join(format!("{prefix}{}{suffix}", logic.lib_name));
    let description = out_dir.join(DESCRIPTION_FILE);
    std::fs::write(&description, description_source(&logic))
        .unwrap_or_else(|error| panic!("overdub: cannot write {}: {error}", description.display()));
    println!("cargo:rustc-env=OVERDUB_LOGIC_PATH={}", library.display());
    println!("cargo:rerun-if-changed={}", logic.path.display());
    println!("cargo:rerun-if-changed={}", wrapper.display());
    println!("cargo:rerun-if-env-changed={LOGIC_PROFILE_ENV}");
}

/// The directory cargo builds `profile` into, under the target directory: `debug` for `dev`, the profile's
/// own name for any other.
fn profile_dir_name(profile: &str) -> Result<&str, String> {
    let plain = profile.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match profile {
        "dev" | "debug" => Ok("debug"),
        _ if plain && !profile.is_empty() => Ok(profile),
        _ => Err(format!("{profile:?} is not a cargo profile name (such as dev or release)")),
    }
}

/// The manifest of the logic crate a wrapper crate wraps: among the wrapper's path dependencies, the one
/// that names a plugin.
pub fn logic_crate_of(wrapper_manifest: &Path) -> Result<PluginManifest, ManifestError> {
    let text = std::fs::read_to_string(wrapper_manifest)
        .map_err(|source| ManifestError::Read { path: wrapper_manifest.to_owned(), source })?;
    let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| ManifestError::Parse {
        path: wrapper_manifest.to_owned(),
        message: e.to_string(),
    })?;
    let dir = wrapper_manifest.parent().unwrap_or(Path::new("."));
    let mut tried = Vec::new();
    if let Some(deps) = doc.get("dependencies").and_then(|d| d.as_table_like()) {
        for (_, dep) in deps.iter() {
            let Some(path) = dep.get("path").and_then(|p| p.as_str()) else { continue };
            let manifest = dir.join(path).join("Cargo.toml");
            match PluginManifest::read(&manifest) {
                Ok(logic) => return Ok(logic),
                Err(error) => tried.push(error.to_string()),
            }
        }
    }
    Err(ManifestError::Invalid {
        path: wrapper_manifest.to_owned(),
        problem: format!(
            "no path dependency names a plugin{}",
            if tried.is_empty() { String::new() } else { format!(" ({})", tried.join("; ")) }
        ),
    })
}

/// The Rust expression of the plugin's `overdub_shell::Description`, as [`clap_wrapper`] writes it. Its type
/// names are unqualified: each export macro includes it where its own crate's re-exports are in scope.
pub fn description_source(logic: &PluginManifest) -> String {
    let mut features = String::new();
    for feature in &logic.features {
        let _ = write!(features, "c{feature:?}, ");
    }
    format!(
        "// The plugin as `[package.metadata.overdub]` of {manifest} describes it; written by overdub-build.\n\
         Description {{\n    \
             id: {id:?},\n    \
             name: {name:?},\n    \
             vendor: {vendor:?},\n    \
             version: ::core::env!(\"CARGO_PKG_VERSION\"),\n    \
             description: {description:?},\n    \
             features: &[{features}],\n    \
             audio: AudioLayout {{ inputs: {inputs}, outputs: {outputs} }},\n    \
             note_input: {notes},\n\
         }}\n",
        manifest = logic.path.display(),
        id = logic.id,
        name = logic.name,
        vendor = logic.vendor,
        description = logic.description,
        inputs = logic.inputs,
        outputs = logic.outputs,
        notes = logic.instrument,
    )
}

#[cfg(test)]
mod tests {
    use super::profile_dir_name;

    #[test]
    fn the_dev_profile_builds_into_debug_and_any_other_into_its_own_name() {
        assert_eq!(profile_dir_name("dev"), Ok("debug"));
        assert_eq!(profile_dir_name("debug"), Ok("debug"));
        assert_eq!(profile_dir_name("release"), Ok("release"));
        assert_eq!(profile_dir_name("fast-dev"), Ok("fast-dev"));
    }

    #[test]
    fn a_path_or_an_empty_name_is_not_a_profile() {
        for bad in ["", "../release", "release/", "dev profile"] {
            let problem = profile_dir_name(bad).unwrap_err();
            assert!(problem.contains("is not a cargo profile name"), "{bad:?}: {problem}");
        }
    }
}
