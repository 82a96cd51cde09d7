//! Everything a build of the logic crate reads besides the crate's own sources, stamped when cargo last
//! built it: while every stamp holds, running the recorded rustc command again gives what cargo would.
//!
//! Stamped: the crate's and the workspace's manifests, the lock file, cargo configuration and toolchain files
//! from the workspace and the working directory up and in `CARGO_HOME` (present or absent), the compiler, every artifact of every other
//! unit of the build graph (the rlibs and proc macros it links or runs), and every source file of every local
//! (path) dependency, as its dep-info lists them. Downloaded packages never change in place, so their sources
//! are not stamped (their artifacts are).

use super::cargo::Unit;
use super::record::Invocation;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Files whose change means the cargo path, named however deep they are: manifests, lock files, build
/// scripts, cargo configuration and toolchain pins.
pub fn is_build_configuration(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let in_cargo_dir = path.parent().and_then(Path::file_name).is_some_and(|dir| dir == ".cargo");
    matches!(
        name.as_ref(),
        "Cargo.toml" | "Cargo.lock" | "build.rs" | "rust-toolchain" | "rust-toolchain.toml"
    ) || (in_cargo_dir && matches!(name.as_ref(), "config" | "config.toml"))
}

/// A file's identity at one moment: absent, or its length and modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp(Option<(u64, SystemTime)>);

impl Stamp {
    fn of(path: &Path) -> Self {
        Self(std::fs::metadata(path).ok().map(|m| (m.len(), m.modified().unwrap_or(SystemTime::UNIX_EPOCH))))
    }
}

/// The stamps taken after a cargo build.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    stamps: Vec<(PathBuf, Stamp)>,
}

impl Inputs {
    /// Stamps what a build of `invocation` (the crate of `manifest`) reads beside its own sources, from the
    /// `units` of the cargo run that recorded it.
    pub fn stamp(invocation: &Invocation, manifest: &Path, units: &[Unit]) -> Self {
        let mut files = vec![manifest.to_owned(), invocation.program.clone()];
        let workspace = &invocation.cwd;
        files.extend([workspace.join("Cargo.toml"), workspace.join("Cargo.lock")]);
        // cargo reads its configuration from the directory it runs in and up, and from CARGO_HOME.
        let here = std::env::current_dir().unwrap_or_else(|_| workspace.clone());
        let mut homes: Vec<PathBuf> =
            workspace.ancestors().chain(here.ancestors()).map(Path::to_owned).collect();
        if let Some(home) = invocation.env_var("CARGO_HOME") {
            homes.push(PathBuf::from(home));
        }
        for dir in homes {
            for name in [
                ".cargo/config",
                ".cargo/config.toml",
                "config.toml",
                "rust-toolchain",
                "rust-toolchain.toml",
            ] {
                files.push(dir.join(name));
            }
        }
        for unit in units {
            files.extend(unit.filenames.iter().cloned());
            if unit.is_local() {
                for artifact in &unit.filenames {
                    files.extend(dep_info_of(artifact).map(|d| sources_in(&d)).unwrap_or_default());
                }
            }
        }
        files.sort();
        files.dedup();
        Self { stamps: files.into_iter().map(|f| (Stamp::of(&f), f)).map(|(s, f)| (f, s)).collect() }
    }

    /// The first stamped file that changed since, if any.
    pub fn first_changed(&self) -> Option<&Path> {
        self.stamps.iter().find(|(path, stamp)| Stamp::of(path) != *stamp).map(|(path, _)| path.as_path())
    }

    /// Whether `path` is stamped and unchanged since (a lock file cargo itself rewrote during its build, say).
    pub fn holds(&self, path: &Path) -> bool {
        self.stamps.iter().any(|(stamped, stamp)| stamped == path && Stamp::of(path) == *stamp)
    }
}

/// The dep-info file rustc wrote beside a library artifact: `deps/libname-hash.rlib` → `deps/name-hash.d`.
fn dep_info_of(artifact: &Path) -> Option<PathBuf> {
    let stem = artifact.file_stem()?.to_str()?;
    let stem = stem.strip_prefix("lib").unwrap_or(stem);
    let dep_info = artifact.with_file_name(format!("{stem}.d"));
    dep_info.is_file().then_some(dep_info)
}

/// The files a make-style dep-info file lists as prerequisites.
pub fn sources_in(dep_info: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(dep_info) else { return Vec::new() };
    let mut sources = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((_, prerequisites)) = split_rule(line) else { continue };
        let mut current = String::new();
        let mut chars = prerequisites.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => current.extend(chars.next()),
                ' ' => sources.extend(take_path(&mut current)),
                c => current.push(c),
            }
        }
        sources.extend(take_path(&mut current));
    }
    sources
}

/// A rule line's target and prerequisites, split at its first unescaped `: `.
fn split_rule(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    (0..bytes.len().saturating_sub(1))
        .find(|&i| bytes[i] == b':' && bytes[i + 1] == b' ' && (i == 0 || bytes[i - 1] != b'\\'))
        .map(|i| (&line[..i], &line[i + 2..]))
}

fn take_path(current: &mut String) -> Option<PathBuf> {
    let path = std::mem::take(current);
    (!path.is_empty()).then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_configuration_is_told_from_sources() {
        for path in
            ["/c/Cargo.toml", "/c/Cargo.lock", "/c/build.rs", "/c/.cargo/config.toml", "/rust-toolchain"]
        {
            assert!(is_build_configuration(Path::new(path)), "{path}");
        }
        for path in ["/c/src/lib.rs", "/c/src/config.toml", "/c/src/build.rs.bak", "/c/README.md"] {
            assert!(!is_build_configuration(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn dep_info_prerequisites_are_read_with_escaped_spaces() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.d");
        std::fs::write(&file, "/t/libx.rlib: /s/lib.rs /s/my\\ dsp.rs\n\n/s/lib.rs:\n# env-dep:X=1\n")
            .unwrap();
        assert_eq!(sources_in(&file), [PathBuf::from("/s/lib.rs"), PathBuf::from("/s/my dsp.rs")]);
    }

    #[test]
    fn a_changed_or_removed_input_is_named_and_an_untouched_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("Cargo.lock");
        std::fs::write(&lock, "version = 4\n").unwrap();
        let invocation = Invocation { cwd: dir.path().to_owned(), ..Invocation::of(&[]) };
        let inputs = Inputs::stamp(&invocation, &dir.path().join("Cargo.toml"), &[]);
        assert!(inputs.first_changed().is_none());
        assert!(inputs.holds(&lock) && !inputs.holds(&dir.path().join("src/lib.rs")));
        std::fs::write(&lock, "version = 4\n# more\n").unwrap();
        assert!(!inputs.holds(&lock));
        assert_eq!(inputs.first_changed(), Some(lock.as_path()));
        std::fs::remove_file(&lock).unwrap();
        std::fs::write(dir.path().join("rust-toolchain.toml"), "").unwrap();
        assert!(inputs.first_changed().is_some());
    }
}
