//! Release builds of the libraries the benchmarks load, in a target directory of their own (the cargo running
//! the benchmark holds the workspace's).

use overdub_testkit::{cargo, dylib_file_name, run_build, workspace_root};
use std::path::PathBuf;

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
