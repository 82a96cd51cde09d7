//! Release builds of the libraries the benchmarks load, in a target directory of their own (the cargo running
//! the benchmark holds the workspace's).

use overdub_testkit::Build;
use overdub_testkit::{Deadline, cargo, dylib_file_name, output_within, run_build, workspace_root};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// Size of a large debug build: a peer's debug plugin is 148 MiB.
const DEBUG_SIZE: usize = 120 << 20;

/// Longest a build may take, even cold on a loaded two-core machine.
const BUILD_BUDGET: Duration = Duration::from_secs(20 * 60);

/// A library shaped like a large debug build: the `heavy` fixture (a dev build whose mapped part, 12 MiB of
/// tables beside its code, is about 11 % of the file, as in the debug builds here), grown to 120 MiB with
/// data after everything it maps, where a debug build's DWARF lies.
pub fn debug_size_build() -> Build {
    debug_size_build_of("heavy")
}

/// [`debug_size_build`] of another build of the heavy logic, such as `heavy_v2` (the same with a bias).
pub fn debug_size_build_of(fixture: &str) -> Build {
    let bytes = std::fs::read(overdub_testkit::fixture(fixture)).expect("read the heavy fixture");
    Build::new(bytes).padded(DEBUG_SIZE)
}

/// The hot `.clap` of `example` exactly as a plugin author gets it: `overdub bundle` (the release binary) run
/// on `examples/<example>`, building into the benchmarks' target directory; returns the bundle's path.
pub fn hot_bundle(example: &str) -> PathBuf {
    let root = workspace_root();
    let mut command = Command::new(release_binary("overdub-cli", "overdub"));
    command.arg("bundle").arg(root.join("examples").join(example)).env("CARGO_TARGET_DIR", target_dir());
    let output = output_within(&mut command, Deadline::after(BUILD_BUDGET));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "overdub bundle of the {example} example failed:\n{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    PathBuf::from(stdout.lines().last().expect("overdub bundle prints the bundle's path").trim())
}

/// Builds a workspace package's cdylib in release mode; returns the library path.
pub fn release_library(package: &str, lib_name: &str) -> PathBuf {
    build(package, &[]).join(dylib_file_name(lib_name))
}

/// Builds one binary of a workspace package in release mode; returns its path.
pub fn release_binary(package: &str, bin: &str) -> PathBuf {
    build(package, &["--bin", bin]).join(format!("{bin}{}", std::env::consts::EXE_SUFFIX))
}

/// Runs the release build; returns the directory the artifacts land in.
fn build(package: &str, extra: &[&str]) -> PathBuf {
    let root = workspace_root();
    let target = target_dir();
    let mut command = cargo();
    command
        .args(["build", "--release", "--quiet", "-p", package])
        .args(extra)
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target);
    run_build(command, package);
    target.join("release")
}

/// The benchmarks' own target directory.
fn target_dir() -> PathBuf {
    workspace_root().join("target").join("bench")
}
