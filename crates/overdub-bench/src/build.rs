//! Release builds of the libraries the benchmarks load, in a target directory of their own (the cargo running
//! the benchmark holds the workspace's).

use crate::variant::Build;
use overdub_testkit::{cargo, dylib_file_name, run_build, workspace_root};
use std::path::PathBuf;

/// Size of a large debug build: a peer's debug plugin is 148 MiB.
const DEBUG_SIZE: usize = 120 << 20;

/// A library shaped like a large debug build: the `heavy` fixture (a dev build whose mapped part, 12 MiB of
/// tables beside its code, is about 11 % of the file, as in the debug builds here), grown to 120 MiB with
/// data after everything it maps, where a debug build's DWARF lies.
pub fn debug_size_build() -> Build {
    let bytes = std::fs::read(overdub_testkit::fixture("heavy")).expect("read the heavy fixture");
    Build::new(bytes).padded(DEBUG_SIZE)
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
    let target = root.join("target").join("bench");
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
