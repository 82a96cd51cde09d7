//! Loads the library at one path, again and again as it is rebuilt.

use crate::error::LoadError;
use crate::library::{self, LoadedLibrary};
use crate::staging::{self, FileVersion};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

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
    /// How the file looked when last read, whatever came of it.
    last_read: Option<FileVersion>,
    /// How the file looked when a read of it was last settled: loaded, found unchanged, or given up on.
    settled: Option<FileVersion>,
}

impl Loader {
    /// A loader for the library file at `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into(), last_read: None, settled: None }
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

    /// Whether the file looks exactly as it did when its last read was settled: another event about it then
    /// brings nothing new.
    pub fn seen_already(&self) -> bool {
        self.settled.is_some() && FileVersion::of(&self.path).ok() == self.settled
    }

    /// Marks the last read as final (its outcome has been reported), so further events about the same file
    /// are [`Loader::seen_already`]. A read that failed while the file may still have been written is not
    /// settled, and its retry reads the file again.
    pub fn settle(&mut self) {
        self.settled = self.last_read;
    }

    /// Loads the library unless its content hash is `running`. A successful read is settled at once.
    pub fn load_if_changed(&mut self, running: Option<u64>) -> Result<LoadOutcome, LoadError> {
        let started = Instant::now();
        self.last_read = FileVersion::of(&self.path).ok();
        let image = staging::stage(&self.path)?;
        self.last_read = Some(image.version);
        self.settle();
        if Some(image.hash) == running {
            return Ok(LoadOutcome::Unchanged);
        }
        if let Some(library) = library::find_loaded(image.hash) {
            return Ok(LoadOutcome::Loaded(library));
        }
        let stage_cost = started.elapsed();
        library::open(&self.path, image, stage_cost).map(LoadOutcome::Loaded)
    }
}
