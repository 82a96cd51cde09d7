//! `overdub bundle`: the example's CLAP wrapper built, bundled as `<name>.clap` (static) or `<name>-hot.clap`
//! (hot), and loadable as a plugin; a
//! missing or broken wrapper explained. (A new scaffold's own wrapper is bundled in `new.rs`.)

#[cfg(target_os = "linux")]
use crate::common::{elf_exports, printed_path, repo, target_dir};
use crate::common::{run, scaffold, stderr};

#[cfg(target_os = "linux")]
#[test]
fn release_bundle_of_the_gain_example_is_a_shared_object_exporting_clap_entry() {
    let dir = tempfile::tempdir().unwrap();
    let gain = repo().join("examples/gain");
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
    let output = run(&["bundle"], &gain);
    let bundle = printed_path(&output);
    assert_eq!(bundle, target_dir().join("bundle").join("overdub-example-gain-hot.clap"), "named apart");
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
    let krate = scaffold(dir.path(), "plain-fx");
    // A crate as it was before `overdub new` scaffolded a wrapper: no `clap/`, no workspace member.
    std::fs::remove_dir_all(krate.join("clap")).unwrap();
    let manifest = krate.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("members = [\"clap\"]\n"), "the scaffold's workspace has changed:\n{text}");
    std::fs::write(&manifest, text.replace("members = [\"clap\"]\n", "")).unwrap();
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
    std::fs::write(krate.join("clap/src/lib.rs"), "compile_error!(\"wrapper broken on purpose\");\n")
        .unwrap();
    let output = run(&["bundle", "--release", "broken-fx"], dir.path());
    let text = stderr(&output);
    assert!(!output.status.success(), "should have failed; stderr: {text}");
    for words in ["wrapper broken on purpose", "cargo build failed", "no plugin was bundled"] {
        assert!(text.contains(words), "stderr lacks `{words}`:\n{text}");
    }
}
