//! Loads the library at one path, again and again as it is rebuilt.

use crate::error::LoadError;
use crate::library::{self, LoadedLibrary};
use crate::staging;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Identity of the file behind a path: a writer that replaces the file gives it a new identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileIdentity {
    device: u64,
    inode: u64,
}

/// How the program producing the library writes it, learned by watching.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Writer {
    /// Not known yet: copy, the safe choice.
    Unknown,
    /// Writes a new file each time (every linker, and cargo): hard links are safe.
    Replaces,
    /// Rewrote the same file: a link would let the next write change loaded code, so copy from now on.
    RewritesInPlace,
}

/// The result of asking for a library that may not have changed.
#[derive(Debug)]
pub enum LoadOutcome {
    /// The file holds the same bytes as the library already running.
    Unchanged,
    /// A verified library, freshly loaded or already mapped by another user in this process.
    Loaded(Arc<LoadedLibrary>),
}

/// Loads the library at one path, every time it changes.
#[derive(Debug)]
pub struct Loader {
    path: PathBuf,
    writer: Writer,
    last_identity: Option<FileIdentity>,
    /// How the file looked when it was last loaded or found unchanged.
    last_seen: Option<FileVersion>,
}

/// What a file looks like from outside: while identity, size and modification time stay the same, so do its
/// bytes (every writer moves at least the modification time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileVersion {
    identity: Option<FileIdentity>,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Loader {
    /// A loader for the library file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let writer = if in_cargo_target_dir(&path) { Writer::Replaces } else { Writer::Unknown };
        Self { path, writer, last_identity: None, last_seen: None }
    }

    /// The library path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Loads and verifies the library now.
    pub fn load(&mut self) -> Result<Arc<LoadedLibrary>, LoadError> {
        match self.load_if_changed(None)? {
            LoadOutcome::Loaded(library) => Ok(library),
            LoadOutcome::Unchanged => unreachable!("without a running hash nothing is unchanged"),
        }
    }

    /// Whether the file looks exactly as it did at the last load (or unchanged verdict): another event
    /// about it then brings nothing new to read.
    pub fn seen_already(&self) -> bool {
        self.last_seen.is_some() && version(&self.path).ok() == self.last_seen
    }

    /// Loads the library unless its content hash is `running`.
    pub fn load_if_changed(&mut self, running: Option<u64>) -> Result<LoadOutcome, LoadError> {
        let started = Instant::now();
        let seen = version(&self.path)?;
        let identity = seen.identity;
        let replaced = self.last_identity.is_some_and(|last| Some(last) != identity);
        if replaced && self.writer == Writer::Unknown {
            self.writer = Writer::Replaces;
        }
        let staged = staging::stage(&self.path, self.writer == Writer::Replaces)?;
        self.last_seen = Some(seen);
        if Some(staged.hash) == running {
            return Ok(LoadOutcome::Unchanged);
        }
        if !replaced && self.last_identity.is_some() {
            // Same file, new bytes: written in place.
            self.writer = Writer::RewritesInPlace;
        }
        self.last_identity = identity;
        if let Some(library) = library::find_loaded(staged.hash) {
            return Ok(LoadOutcome::Loaded(library));
        }
        let stage_cost = started.elapsed();
        library::open(&self.path, staged, stage_cost).map(LoadOutcome::Loaded)
    }
}

/// Whether `path` lies in a cargo target directory, which cargo marks with a `CACHEDIR.TAG` naming itself.
/// Cargo never rewrites an output in place (the linker writes a new file and cargo re-links it), so files
/// there can be hard-linked from the first load.
fn in_cargo_target_dir(path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .take(4)
        .any(|dir| std::fs::read_to_string(dir.join("CACHEDIR.TAG")).is_ok_and(|tag| tag.contains("cargo")))
}

fn version(path: &Path) -> Result<FileVersion, LoadError> {
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::Missing { path: path.to_owned() },
        _ => staging::io_error("inspect", path)(e),
    })?;
    #[cfg(unix)]
    let identity = {
        use std::os::unix::fs::MetadataExt;
        Some(FileIdentity { device: metadata.dev(), inode: metadata.ino() })
    };
    #[cfg(not(unix))]
    let identity = None;
    Ok(FileVersion { identity, len: metadata.len(), modified: metadata.modified().ok() })
}
