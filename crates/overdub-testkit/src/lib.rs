//! Real logic libraries for tests: the fixture crates under `fixtures/` built with cargo once per test run
//! (every test binary shares the build; cargo's lock on the target directory serialises concurrent callers),
//! and helpers to place a library where a shell watches it the way a linker does.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

#[cfg(target_os = "linux")]
pub mod editor;
mod plugins;
mod process;
mod skew;
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
pub mod syscalls;
mod variant;
mod wait;
#[cfg(target_os = "linux")]
pub mod x11;

pub use plugins::{EXAMPLES, WrapperKind, example_bundle, target_dir as plugin_target_dir};
pub use process::{ChildGuard, output_within, run_shell};
pub use skew::abi_skew_library;
pub use tempfile::TempDir;
pub use variant::Build;
pub use wait::{Deadline, EventLog, TEST_BUDGET, test_deadline};

/// The repository root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the test kit lives at crates/overdub-testkit")
        .to_owned()
}

/// The platform's file name for a cdylib named `crate_name`.
pub fn dylib_file_name(crate_name: &str) -> String {
    format!("{}{crate_name}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX)
}

/// A `cargo` command that builds independently of the cargo running the tests.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        // The outer cargo's per-package variables would leak into the nested build.
        if key.starts_with("CARGO_") && key != "CARGO_HOME" && !key.starts_with("CARGO_NET") {
            command.env_remove(key.as_ref());
        }
    }
    command
}

/// Longest a fixture build may take, even cold on a loaded two-core machine.
const BUILD_BUDGET: std::time::Duration = std::time::Duration::from_secs(20 * 60);

/// Runs a cargo build and panics with cargo's own output if it fails.
pub fn run_build(mut command: Command, what: &str) {
    let output = output_within(&mut command, Deadline::after(BUILD_BUDGET));
    assert!(output.status.success(), "building {what} failed:\n{}", String::from_utf8_lossy(&output.stderr));
}

/// The built fixture library `name` (a directory under `fixtures/`, e.g. `"tone"`).
pub fn fixture(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        let root = workspace_root();
        let target = root.join("target").join("fixtures");
        let mut command = cargo();
        command
            .arg("build")
            .arg("--workspace")
            .arg("--manifest-path")
            .arg(root.join("fixtures").join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target);
        run_build(command, "the fixture logic crates");
        target.join("debug")
    });
    let path = dir.join(dylib_file_name(&format!("fixture_{name}")));
    assert!(path.exists(), "no fixture library {}", path.display());
    path
}

/// Puts `library` at `dest` the way a linker does: written beside it, then renamed over it (a new file,
/// never a rewrite of the old one).
pub fn install_like_linker(library: &Path, dest: &Path) {
    let temp = dest.with_extension("linking");
    std::fs::copy(library, &temp).expect("copy library beside its destination");
    std::fs::rename(&temp, dest).expect("rename library into place");
}

/// A fresh directory for one test, removed when dropped.
pub fn scratch_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("overdub-test-").tempdir().expect("create a scratch directory")
}

/// Files in `dir` and below, for checking that nothing was left behind.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}
