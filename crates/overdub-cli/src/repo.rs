//! Where the overdub repository this binary was built from is, so scaffolds and the demo can depend on its
//! crates by path and build offline.
//!
//! The location is the compile-time `CARGO_MANIFEST_DIR` of this crate: right for `cargo run` and
//! `cargo install --path` from a checkout; a binary moved away from its checkout finds no repository and
//! falls back to published versions.

use std::path::{Path, PathBuf};

/// The repository root, when the checkout this binary was built from still exists.
pub fn root() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2)?;
    root.join("crates/overdub/Cargo.toml").is_file().then(|| root.to_owned())
}

/// The path of the repository's crate `name` (e.g. `"overdub"`), when the repository exists.
pub fn crate_dir(name: &str) -> Option<PathBuf> {
    root().map(|root| root.join("crates").join(name)).filter(|dir| dir.join("Cargo.toml").is_file())
}

/// The version of the overdub crates this binary belongs to.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How a generated `Cargo.toml` names an overdub crate: by path into the repository when there is one,
/// otherwise by version.
pub fn dependency(name: &str) -> String {
    match crate_dir(name) {
        Some(dir) => format!("{{ path = {} }}", toml_string(&dir.to_string_lossy())),
        None => format!("\"{VERSION}\""),
    }
}

/// A TOML basic string holding `text`.
pub fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
