//! `overdub new`: a scaffold passes its own test, and its CLAP and VST3 wrappers bundle with no edits.

use crate::common::{run, stderr, target_dir};
use overdub_cli::logic_crate::cargo;
use std::path::{Path, PathBuf};

/// A new crate named `name` in `dir`: an instrument with `instrument`, else an effect.
fn new(dir: &Path, name: &str, instrument: bool) -> PathBuf {
    let mut args = vec!["new", name];
    if instrument {
        args.push("--instrument");
    }
    let output = run(&args, dir);
    assert!(output.status.success(), "overdub new failed: {}", stderr(&output));
    dir.join(name)
}

#[test]
fn a_new_effect_and_instrument_pass_their_own_cargo_test() {
    let dir = tempfile::tempdir().unwrap();
    for (name, instrument) in [("tested-fx", false), ("tested-synth", true)] {
        let krate = new(dir.path(), name, instrument);
        let output = overdub_testkit::output_within(
            cargo().arg("test").env("CARGO_TARGET_DIR", target_dir()).current_dir(&krate),
            overdub_testkit::test_deadline(),
        );
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "cargo test of {name} failed:\n{text}\n{}", stderr(&output));
        assert!(text.contains("test result: ok. 1 passed"), "{name} ran no test:\n{text}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn release_bundles_of_a_new_effect_and_instrument_export_clap_entry_and_get_plugin_factory() {
    use crate::common::elf_exports;
    let dir = tempfile::tempdir().unwrap();
    let arch = format!("{}-linux", std::env::consts::ARCH);
    for (name, instrument) in [("bundled-fx", false), ("bundled-synth", true)] {
        let krate = new(dir.path(), name, instrument);
        let started = std::time::Instant::now();
        let output = run(&["bundle", "--release", "--format", "all"], &krate);
        assert!(output.status.success(), "bundle failed: {}", stderr(&output));
        eprintln!("{name}: bundled in {:.1} s", started.elapsed().as_secs_f64());
        let printed: Vec<PathBuf> =
            String::from_utf8_lossy(&output.stdout).lines().map(|line| PathBuf::from(line.trim())).collect();
        let bundles = target_dir().join("bundle");
        let (clap, vst3) = (bundles.join(format!("{name}.clap")), bundles.join(format!("{name}.vst3")));
        assert_eq!(printed, [clap.clone(), vst3.clone()], "both bundles, where they were made");
        let vst3_binary = vst3.join("Contents").join(&arch).join(format!("{name}.so"));
        let id = format!("com.example.{name}");
        for (binary, entry) in [(&clap, "clap_entry"), (&vst3_binary, "GetPluginFactory")] {
            assert!(binary.is_file(), "{} is missing", binary.display());
            let exports = elf_exports(binary);
            assert!(exports.iter().any(|e| e == entry), "{name}: no {entry} among {exports:?}");
            // The description names the plugin as the logic does.
            let bytes = std::fs::read(binary).unwrap();
            assert!(
                bytes.windows(id.len()).any(|w| w == id.as_bytes()),
                "{name}: {binary:?} lacks the id {id}"
            );
        }
    }
}
