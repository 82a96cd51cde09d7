//! The example plugins built as real `.clap` bundles, once per test run: static builds of every example, and
//! a hot build of the gain wrapper (which the hot tests point at fixture logic libraries).

use overdub_bundle::{BundleSpec, Format, Platform};
use overdub_testkit::{cargo, dylib_file_name, run_build, workspace_root};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The examples with CLAP wrappers.
pub const EXAMPLES: [&str; 3] = ["gain", "delay", "synth"];

/// The `.clap` of `example`, bundled once per test run: tests run side by side, and bundling again would
/// replace a file another test has loaded (or race its removal).
fn bundle(target: &std::path::Path, example: &str, mode: &str) -> PathBuf {
    static BUNDLED: Mutex<Vec<(String, PathBuf)>> = Mutex::new(Vec::new());
    let key = format!("{mode}/{example}");
    let mut bundled = BUNDLED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, path)) = bundled.iter().find(|(done, _)| *done == key) {
        return path.clone();
    }
    let library = target.join("debug").join(dylib_file_name(&format!("{example}_clap")));
    let spec =
        BundleSpec { library: &library, name: &format!("overdub-{example}"), id: example, version: "0.1.0" };
    let path =
        overdub_bundle::bundle(&spec, Format::Clap, &target.join("bundle").join(mode), Platform::current()).expect("bundle");
    bundled.push((key, path.clone()));
    path
}

/// The static `.clap` of `example`.
pub fn static_plugin(example: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let target = BUILT.get_or_init(|| {
        let target = workspace_root().join("target").join("plugin-tests").join("static");
        let mut command = cargo();
        command.arg("build").current_dir(workspace_root()).arg("--target-dir").arg(&target);
        for example in EXAMPLES {
            command.arg("-p").arg(format!("overdub-example-{example}-clap"));
        }
        run_build(command, "the static example plugins");
        target
    });
    bundle(target, example, "static")
}

/// The hot `.clap` of the gain wrapper.
pub fn hot_plugin() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let target = BUILT.get_or_init(|| {
        let target = workspace_root().join("target").join("plugin-tests").join("hot");
        let mut command = cargo();
        command
            .arg("build")
            .current_dir(workspace_root())
            .args(["-p", "overdub-example-gain-clap", "--no-default-features", "--features", "hot"])
            .arg("--target-dir")
            .arg(&target);
        run_build(command, "the hot gain plugin");
        target
    });
    bundle(target, "gain", "hot")
}
