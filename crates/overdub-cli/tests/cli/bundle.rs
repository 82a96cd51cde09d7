//! `overdub bundle`: the example's CLAP wrapper built, bundled as `<name>.clap` (static) or `<name>-hot.clap`
//! (hot), and loadable as a plugin; the hot plugin built in release, following dev builds of the logic; the
//! VST3 wrapper bundled and installed as `<name>.vst3`; a missing or broken wrapper explained. (A new
//! scaffold's own wrapper is bundled in `new.rs`.)

#[cfg(target_os = "linux")]
use crate::common::{elf_exports, printed_path, repo, target_dir};
use crate::common::{run, scaffold, stderr};
#[cfg(target_os = "linux")]
use overdub_bench::clap_host::ClapHost;
#[cfg(target_os = "linux")]
use overdub_testkit::{cargo, run_build, test_deadline};
use std::path::Path;

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

#[cfg(target_os = "linux")]
#[test]
fn hot_bundle_is_a_release_build_of_the_wrapper_that_reloads_dev_builds_of_the_logic() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "hot-release-fx");
    // A release profile that aborts on panic, as plugins often ship: the hot plugin must still unwind as the
    // dev build of the logic does, or the loader would refuse every build.
    let manifest = krate.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}\n[profile.release]\npanic = \"abort\"\n")).unwrap();
    let bundle = printed_path(&run(&["bundle"], &krate));
    // The bundle is the wrapper as the release profile built it: its loader runs optimised.
    let release = target_dir().join("release").join("libhot_release_fx_clap.so");
    assert_eq!(
        std::fs::read(&bundle).unwrap(),
        std::fs::read(&release).unwrap(),
        "the bundle is {release:?}"
    );
    assert!(!target_dir().join("debug").join("libhot_release_fx_clap.so").exists(), "no dev build of it");
    // The logic it loads is the dev build, the one `cargo build` rewrites.
    let logic = target_dir().join("debug").join("libhot_release_fx.so");
    assert!(logic.is_file(), "the dev build of the logic, {}, was not built", logic.display());

    let mut plugin = ClapHost::start(&bundle, 48_000.0, 64);
    assert_eq!(plugin.block(0.8), 0.8, "the scaffold at level 1; log: {:?}", plugin.log());
    let running = format!("running {} (hot)", logic.display());
    assert!(plugin.log().iter().any(|line| line.contains(&running)), "{running:?} not in {:?}", plugin.log());

    let lib = krate.join("src/lib.rs");
    let source = std::fs::read_to_string(&lib).unwrap();
    let (find, replace) = ("*sample *= level;", "*sample *= level * 0.25;");
    assert!(source.contains(find), "the scaffold no longer has the line this test edits: {find}");
    std::fs::write(&lib, source.replace(find, replace)).unwrap();
    let mut build = cargo();
    build.args(["build", "--lib", "--manifest-path"]).arg(krate.join("Cargo.toml"));
    build.env("CARGO_TARGET_DIR", target_dir());
    run_build(build, "the edited logic, in the dev profile");

    // Blocks about every millisecond, as a host plays, until the new code is heard and its reload logged.
    let deadline = test_deadline();
    let reloaded = |log: Vec<String>| log.into_iter().find(|line| line.contains("new build running"));
    let reload = loop {
        let heard = (plugin.block(0.8) - 0.2).abs() < 1e-6;
        match reloaded(plugin.log()) {
            Some(line) if heard => break line,
            _ => deadline.check(|| format!("the edit was not heard and logged; log: {:?}", plugin.log())),
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    let log = plugin.log();
    assert!(!log.iter().any(|line| line.contains("rejected")), "{log:?}");
    for phase in ["settle", "load", "prepare", "swap"] {
        assert!(reload.contains(phase), "the reload line gives the {phase} phase: {reload}");
    }
}

#[test]
fn a_crate_without_a_clap_wrapper_is_told_how_to_add_one() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "plain-fx");
    without_wrapper(&krate, "clap");
    let output = run(&["bundle", "plain-fx"], dir.path());
    let text = stderr(&output);
    assert!(!output.status.success(), "should have failed; stderr: {text}");
    for words in ["has no CLAP wrapper crate", "clap/Cargo.toml", "export_clap!", "examples/gain/clap"] {
        assert!(text.contains(words), "stderr lacks `{words}`:\n{text}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn release_vst3_bundle_of_the_gain_example_installs_a_shared_object_exporting_get_plugin_factory() {
    let home = tempfile::tempdir().unwrap();
    let gain = repo().join("examples/gain");
    let mut command = crate::common::overdub();
    command
        .args(["bundle", "--release", "--format", "vst3", "--install"])
        .arg(&gain)
        .env("HOME", home.path());
    let output = overdub_testkit::output_within(&mut command, test_deadline());
    let installed = printed_path(&output);
    assert_eq!(
        installed,
        home.path().join(".vst3").join("overdub-example-gain.vst3"),
        "in the user's folder"
    );
    let made = target_dir().join("bundle").join("overdub-example-gain.vst3");
    let arch = format!("{}-linux", std::env::consts::ARCH);
    for bundle in [&made, &installed] {
        let binary = bundle.join("Contents").join(&arch).join("overdub-example-gain.so");
        assert!(binary.is_file(), "{} is missing", binary.display());
        let exports = elf_exports(&binary);
        for symbol in ["GetPluginFactory", "ModuleEntry", "ModuleExit"] {
            assert!(exports.iter().any(|e| e == symbol), "no {symbol} among {exports:?}");
        }
        assert!(!exports.iter().any(|e| e == "clap_entry"), "a VST3 plugin only");
    }
}

#[test]
fn a_crate_without_a_vst3_wrapper_is_told_how_to_add_one() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "clap-only-fx");
    without_wrapper(&krate, "vst3");
    let output = run(&["bundle", "--format", "vst3", "clap-only-fx"], dir.path());
    let text = stderr(&output);
    assert!(!output.status.success(), "should have failed; stderr: {text}");
    for words in ["has no VST3 wrapper crate", "vst3/Cargo.toml", "export_vst3!", "examples/gain/vst3"] {
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

/// Makes the scaffold `krate` a crate as it was before `overdub new` scaffolded the `wrapper` crate: no
/// directory, no workspace member.
fn without_wrapper(krate: &Path, wrapper: &str) {
    std::fs::remove_dir_all(krate.join(wrapper)).unwrap();
    let manifest = krate.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let members = "members = [\"clap\", \"vst3\"]";
    assert!(text.contains(members), "the scaffold's workspace has changed:\n{text}");
    let kept = if wrapper == "clap" { "vst3" } else { "clap" };
    std::fs::write(&manifest, text.replace(members, &format!("members = [\"{kept}\"]"))).unwrap();
}
