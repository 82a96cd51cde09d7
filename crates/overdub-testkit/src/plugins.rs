//! The example plugins as real bundles for the format tests, built with cargo and bundled once per test run:
//! every example's static wrapper, and the gain example's hot one (which tests point at fixture logic
//! libraries). Both formats build into the same two target directories, so what their wrappers share (the
//! logic, the shell, the loader) is built once for both.

use crate::{cargo, dylib_file_name, run_build, workspace_root};
use overdub_bundle::{BundleSpec, Format, Platform};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The examples every format wraps.
pub const EXAMPLES: [&str; 3] = ["gain", "delay", "synth"];

/// A wrapper's format: its crates are `overdub-example-<example>-<suffix>`, its libraries
/// `<example>_<suffix>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrapperKind {
    /// The `clap/` wrappers.
    Clap,
    /// The `vst3/` wrappers.
    Vst3,
}

impl WrapperKind {
    fn suffix(self) -> &'static str {
        self.format().extension()
    }

    fn format(self) -> Format {
        match self {
            Self::Clap => Format::Clap,
            Self::Vst3 => Format::Vst3,
        }
    }
}

/// The bundle of `example`'s `kind` plugin, static or (for the gain example) hot, as
/// `<target>/bundle/<static|hot>/overdub-<example>.<clap|vst3>`.
pub fn example_bundle(kind: WrapperKind, example: &str, hot: bool) -> PathBuf {
    let mode = if hot { "hot" } else { "static" };
    bundle_once(&format!("{}/{mode}/{example}", kind.suffix()), || {
        let library = example_plugin_library(kind, example, hot);
        let name = format!("overdub-{example}");
        let spec = BundleSpec { library: &library, name: &name, id: example, version: "0.1.0" };
        let out = target_dir(hot).join("bundle").join(mode);
        overdub_bundle::bundle(&spec, kind.format(), &out, Platform::current()).expect("bundle")
    })
}

/// The built library of `example`'s `kind` wrapper: static, or (for the gain example) hot. Built once per
/// test run and kind.
fn example_plugin_library(kind: WrapperKind, example: &str, hot: bool) -> PathBuf {
    // One build per kind and mode; the static and the hot builds run side by side.
    static BUILT: [OnceLock<()>; 4] = [const { OnceLock::new() }; 4];
    let target = target_dir(hot);
    BUILT[kind as usize * 2 + usize::from(hot)].get_or_init(|| {
        let mut command = cargo();
        command.arg("build").current_dir(workspace_root()).arg("--target-dir").arg(&target);
        let crate_of = |example: &str| format!("overdub-example-{example}-{}", kind.suffix());
        if hot {
            command.args(["-p", &crate_of("gain"), "--no-default-features", "--features", "hot"]);
        } else {
            for example in EXAMPLES {
                command.arg("-p").arg(crate_of(example));
            }
        }
        let what = format!("the {} {} example plugins", if hot { "hot" } else { "static" }, kind.suffix());
        run_build(command, &what);
    });
    target.join("debug").join(dylib_file_name(&format!("{example}_{}", kind.suffix())))
}

/// Where the static or the hot wrappers are built.
pub fn target_dir(hot: bool) -> PathBuf {
    workspace_root().join("target").join("plugin-tests").join(if hot { "hot" } else { "static" })
}

/// `make()`'s bundle for `key`, made once per test run: tests run side by side, and bundling again would
/// replace a file another test has loaded (or race its removal).
fn bundle_once(key: &str, make: impl FnOnce() -> PathBuf) -> PathBuf {
    static BUNDLED: Mutex<Vec<(String, PathBuf)>> = Mutex::new(Vec::new());
    let mut bundled = BUNDLED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, path)) = bundled.iter().find(|(done, _)| done == key) {
        return path.clone();
    }
    let path = make();
    bundled.push((key.to_owned(), path.clone()));
    path
}
