//! The two crates edited: a fresh `overdub new` scaffold and a copy of the DSP fixture (`fixtures/dsp_chain`),
//! each in a directory of its own under the benchmark's work directory, with the profile of the variant
//! measured written into its manifest.

use overdub_testkit::workspace_root;
use std::path::{Path, PathBuf};

/// A crate the benchmark edits.
#[derive(Clone, Debug)]
pub struct EditedCrate {
    /// Name in the report.
    pub tag: &'static str,
    /// Its directory.
    pub dir: PathBuf,
    /// Its library's name (`lib<name>.so`).
    pub lib: String,
    /// Its manifest as prepared, less any profile.
    manifest: String,
    /// The line of `process` the edits replace, found by this prefix.
    edited_line: &'static str,
    /// The line written for edit `n`.
    edit: fn(usize) -> String,
}

/// How the crate's dev profile is set for a variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Full debug info (`debug = true`) rather than line tables.
    pub full_debug: bool,
    /// Dependencies at opt-level 3.
    pub deps_optimised: bool,
}

impl EditedCrate {
    /// A new scaffold, made by `overdub` in `work`.
    pub fn scaffold(overdub: &Path, work: &Path) -> Self {
        let dir = work.join("bench-fx");
        let _ = std::fs::remove_dir_all(&dir);
        let output = std::process::Command::new(overdub)
            .args(["new", "bench-fx", "--dir"])
            .arg(work)
            .output()
            .expect("run overdub new");
        assert!(output.status.success(), "overdub new: {}", String::from_utf8_lossy(&output.stderr));
        let manifest = without_profiles(&std::fs::read_to_string(dir.join("Cargo.toml")).expect("read"));
        Self {
            tag: "scaffold",
            dir,
            lib: "bench_fx".to_owned(),
            manifest,
            edited_line: "*sample *= level",
            edit: |n| format!("*sample *= level * 0.{:03};", 500 + n),
        }
    }

    /// A copy of the DSP fixture in `work`, naming the overdub crates by absolute path.
    pub fn dsp_fixture(work: &Path) -> Self {
        let root = workspace_root();
        let source = root.join("fixtures/dsp_chain");
        let dir = work.join("dsp_chain");
        let _ = std::fs::remove_dir_all(&dir);
        copy_tree(&source.join("src"), &dir.join("src"));
        std::fs::copy(source.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy the lock file");
        let text = std::fs::read_to_string(source.join("Cargo.toml")).expect("read the fixture's manifest");
        let overdub = root.join("crates/overdub");
        let manifest = without_profiles(&text.replace("\"../../crates/overdub\"", &format!("{:?}", overdub)));
        Self {
            tag: "dsp_fixture",
            dir,
            lib: "dsp_chain".to_owned(),
            manifest,
            edited_line: "let character = ",
            edit: |n| format!("let character = 0.{:03};", 300 + n * 7 % 400),
        }
    }

    /// Writes the manifest with `profile`.
    pub fn set_profile(&self, profile: Profile) {
        let debug = if profile.full_debug { "true" } else { "\"line-tables-only\"" };
        let mut text = format!("{}\n[profile.dev]\ndebug = {debug}\n", self.manifest.trim_end());
        if profile.deps_optimised {
            text += "\n[profile.dev.package.\"*\"]\nopt-level = 3\n";
        }
        std::fs::write(self.dir.join("Cargo.toml"), text).expect("write the manifest");
    }

    /// `src/lib.rs` with the edited line as edit `n` writes it.
    pub fn edited_source(&self, n: usize) -> String {
        let path = self.dir.join("src/lib.rs");
        let source = std::fs::read_to_string(&path).expect("read the source");
        let line = source.lines().find(|l| l.trim_start().starts_with(self.edited_line));
        let line = line.unwrap_or_else(|| panic!("{} has no line `{}…`", path.display(), self.edited_line));
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        source.replacen(line, &format!("{indent}{}", (self.edit)(n)), 1)
    }

    /// The source file edits are written to.
    pub fn source(&self) -> PathBuf {
        self.dir.join("src/lib.rs")
    }
}

/// `manifest` without its `[profile…]` sections.
fn without_profiles(manifest: &str) -> String {
    let mut out = String::new();
    let mut in_profile = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_profile = line.starts_with("[profile");
        }
        if !in_profile {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory");
    for entry in std::fs::read_dir(from).expect("read a directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy a file");
        }
    }
}
