//! `overdub new`: a scaffold passes its own test, and its CLAP wrapper bundles with no edits.

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
fn release_bundle_of_a_new_effect_and_instrument_exports_clap_entry() {
    use crate::common::{elf_exports, printed_path};
    let dir = tempfile::tempdir().unwrap();
    for (name, instrument) in [("bundled-fx", false), ("bundled-synth", true)] {
        let krate = new(dir.path(), name, instrument);
        let started = std::time::Instant::now();
        let output = run(&["bundle", "--release"], &krate);
        let bundle = printed_path(&output);
        eprintln!("{name}: bundled in {:.1} s", started.elapsed().as_secs_f64());
        assert_eq!(bundle, target_dir().join("bundle").join(format!("{name}.clap")));
        assert!(bundle.is_file(), "{} is missing", bundle.display());
        let exports = elf_exports(&bundle);
        assert!(exports.iter().any(|e| e == "clap_entry"), "{name}: no clap_entry among {exports:?}");
        // The description names the plugin as the logic does.
        let bytes = std::fs::read(&bundle).unwrap();
        let id = format!("com.example.{name}");
        assert!(bytes.windows(id.len()).any(|w| w == id.as_bytes()), "{name}: the plugin lacks the id {id}");
    }
}
