//! The example plugins built as real `.vst3` bundles, once per test run: static builds of every example, and
//! a hot build of the gain wrapper (which the hot tests point at fixture logic libraries). They build into
//! the target directories the CLAP tests use, so what both share (the logic, the shell, the loader) is built
//! once for both.

use overdub_bundle::{BundleSpec, Format, Platform};
use overdub_testkit::{cargo, dylib_file_name, run_build, workspace_root};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The examples with VST3 wrappers.
pub const EXAMPLES: [&str; 3] = ["gain", "delay", "synth"];

/// The `.vst3` of `example`, bundled once per test run: tests run side by side, and bundling again would
/// replace a file another test has loaded.
fn bundle(target: &Path, example: &str, mode: &str) -> PathBuf {
    static BUNDLED: Mutex<Vec<(String, PathBuf)>> = Mutex::new(Vec::new());
    let key = format!("{mode}/{example}");
    let mut bundled = BUNDLED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, path)) = bundled.iter().find(|(done, _)| *done == key) {
        return path.clone();
    }
    let library = target.join("debug").join(dylib_file_name(&format!("{example}_vst3")));
    let spec =
        BundleSpec { library: &library, name: &format!("overdub-{example}"), id: example, version: "0.1.0" };
    let out = target.join("bundle").join(mode);
    let path = overdub_bundle::bundle(&spec, Format::Vst3, &out, Platform::current()).expect("bundle");
    bundled.push((key, path.clone()));
    path
}

/// The static `.vst3` of `example`.
pub fn static_plugin(example: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let target = BUILT.get_or_init(|| {
        let target = workspace_root().join("target").join("plugin-tests").join("static");
        let mut command = cargo();
        command.arg("build").current_dir(workspace_root()).arg("--target-dir").arg(&target);
        for example in EXAMPLES {
            command.arg("-p").arg(format!("overdub-example-{example}-vst3"));
        }
        run_build(command, "the static example VST3 plugins");
        target
    });
    bundle(target, example, "static")
}

/// The hot `.vst3` of the gain wrapper.
pub fn hot_plugin() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let target = BUILT.get_or_init(|| {
        let target = workspace_root().join("target").join("plugin-tests").join("hot");
        let mut command = cargo();
        command
            .arg("build")
            .current_dir(workspace_root())
            .args(["-p", "overdub-example-gain-vst3", "--no-default-features", "--features", "hot"])
            .arg("--target-dir")
            .arg(&target);
        run_build(command, "the hot gain VST3 plugin");
        target
    });
    bundle(target, "gain", "hot")
}
