//! Records what must be identical on both sides of the boundary but cannot be read from types: the compiler's
//! full identity, the target, a fingerprint of this crate's source (any edit to the boundary changes it) and
//! the egui version the boundary's editor types come from.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(&rustc)
        .arg("-vV")
        .output()
        .expect("the compiler cargo uses can report its identity with -vV");
    let identity = String::from_utf8_lossy(&output.stdout).trim().replace('\n', "; ");
    println!("cargo:rustc-env=OVERDUB_RUSTC_IDENTITY={identity}");

    let target = std::env::var("TARGET").expect("cargo sets TARGET for build scripts");
    println!("cargo:rustc-env=OVERDUB_TARGET={target}");

    let src = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("src");
    let mut files = Vec::new();
    collect_sources(&src, &mut files);
    files.sort();
    let mut hash = Fnv1a::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("collected under src");
        hash.write(relative.to_string_lossy().replace('\\', "/").as_bytes());
        let text = std::fs::read_to_string(file).expect("ABI source files are UTF-8");
        // Line endings depend on how the source was checked out, not on what it declares.
        hash.write(text.replace('\r', "").as_bytes());
    }
    println!("cargo:rustc-env=OVERDUB_ABI_SOURCE={:016x}", hash.finish());
    println!("cargo:rustc-env=OVERDUB_EGUI_VERSION={}", pinned_egui_version());
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-env-changed=RUSTC");
}

/// The egui version this crate's manifest pins with `=`: exactly the version every build against this crate
/// resolves, so the canary can name it.
fn pinned_egui_version() -> String {
    let manifest = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("Cargo.toml");
    let text = std::fs::read_to_string(manifest).expect("the manifest is readable");
    let line = text.lines().find(|l| l.starts_with("egui ")).expect("the manifest depends on egui");
    let pinned = line.split("version = \"=").nth(1).expect("egui is pinned with `version = \"=`");
    pinned.split('"').next().expect("the version is quoted").to_owned()
}

fn collect_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("src entries are readable").path();
        if path.is_dir() {
            collect_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// FNV-1a: a build-time fingerprint of a few kilobytes, where a hashing dependency would cost more than it saves.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator keeps ("ab","c") and ("a","bc") apart.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
