//! `overdub bundle`: the example's CLAP wrapper built, bundled as `<name>.clap`, and loadable as a plugin.

use crate::common::{repo, run, scaffold, stderr, target_dir};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Mutex;

/// Held while a test bundles the gain example: the static and hot bundles are written to the same path.
static GAIN_BUNDLE: Mutex<()> = Mutex::new(());

/// The bundle path `overdub bundle` printed on stdout.
fn printed_path(output: &Output) -> PathBuf {
    assert!(output.status.success(), "bundle failed: {}", stderr(output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    PathBuf::from(stdout.lines().last().expect("bundle prints the .clap path").trim())
}

/// The symbols `library` exports, checked to be an ELF shared object.
#[cfg(target_os = "linux")]
fn elf_exports(library: &Path) -> Vec<String> {
    use object::{Object, ObjectKind};
    let bytes = std::fs::read(library).unwrap();
    let file = object::File::parse(&*bytes).expect("the bundle parses as an object file");
    assert_eq!(file.format(), object::BinaryFormat::Elf, "{} is not ELF", library.display());
    assert_eq!(file.kind(), ObjectKind::Dynamic, "{} is not a shared object", library.display());
    file.exports()
        .unwrap()
        .filter_map(|export| match export.expect("the export table reads").name() {
            object::NameOrOrdinal::Name(name) => Some(String::from_utf8_lossy(name).into_owned()),
            object::NameOrOrdinal::Ordinal(_) => None,
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn release_bundle_of_the_gain_example_is_a_shared_object_exporting_clap_entry() {
    let dir = tempfile::tempdir().unwrap();
    let gain = repo().join("examples/gain");
    let _bundling = GAIN_BUNDLE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let output = run(&["bundle", "--release", gain.to_str().unwrap()], dir.path());
    let bundle = printed_path(&output);
    assert_eq!(bundle, target_dir().join("bundle").join("overdub-example-gain.clap"));
    assert!(bundle.is_file(), "{} is missing", bundle.display());
    let exports = elf_exports(&bundle);
    assert!(exports.iter().any(|e| e == "clap_entry"), "no clap_entry among {exports:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn hot_bundle_loads_the_logic_library_it_built_beside_it() {
    let gain = repo().join("examples/gain");
    let _bundling = GAIN_BUNDLE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let output = run(&["bundle"], &gain);
    let bundle = printed_path(&output);
    assert!(bundle.is_file(), "{} is missing", bundle.display());
    assert!(elf_exports(&bundle).iter().any(|e| e == "clap_entry"));
    // The hot plugin has the logic library's path compiled in; that library must have been built.
    let logic = target_dir().join("debug").join("libgain.so");
    assert!(logic.is_file(), "the logic library {} was not built", logic.display());
    let bytes = std::fs::read(&bundle).unwrap();
    let wanted = logic.to_str().unwrap().as_bytes();
    assert!(bytes.windows(wanted.len()).any(|w| w == wanted), "the plugin does not name {}", logic.display());
}

#[test]
fn a_crate_without_a_clap_wrapper_is_told_how_to_add_one() {
    let dir = tempfile::tempdir().unwrap();
    scaffold(dir.path(), "plain-fx");
    let output = run(&["bundle", "plain-fx"], dir.path());
    let text = stderr(&output);
    assert!(!output.status.success(), "should have failed; stderr: {text}");
    for words in ["has no CLAP wrapper crate", "clap/Cargo.toml", "export_clap!", "examples/gain/clap"] {
        assert!(text.contains(words), "stderr lacks `{words}`:\n{text}");
    }
}

#[test]
fn a_failing_plugin_build_shows_cargo_s_message() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "broken-fx");
    let wrapper = krate.join("clap");
    std::fs::create_dir_all(wrapper.join("src")).unwrap();
    std::fs::write(
        wrapper.join("Cargo.toml"),
        "[package]\nname = \"broken-fx-clap\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [lib]\ncrate-type = [\"cdylib\"]\n\n[features]\ndefault = [\"static\"]\nstatic = []\nhot = []\n\n\
         [workspace]\n",
    )
    .unwrap();
    std::fs::write(wrapper.join("src/lib.rs"), "compile_error!(\"wrapper broken on purpose\");\n").unwrap();
    let output = run(&["bundle", "--release", "broken-fx"], dir.path());
    let text = stderr(&output);
    assert!(!output.status.success(), "should have failed; stderr: {text}");
    for words in ["wrapper broken on purpose", "cargo build failed", "no plugin was bundled"] {
        assert!(text.contains(words), "stderr lacks `{words}`:\n{text}");
    }
}
