//! Operating-system file events for one library path, surviving its directory being deleted and recreated.
//!
//! The watch is on the library's directory (a linker replaces the file, so watching the file itself would
//! lose it), non-recursive. When that directory disappears (`cargo clean`), the deepest ancestor that still
//! exists is watched instead, and the watch moves back down as directories reappear.

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

/// Messages the worker thread receives.
pub(crate) enum Message {
    /// A file-system event.
    Fs(Event),
    /// The watcher's own thread has dropped its handler (it has stopped).
    WatcherGone,
    /// Stop.
    Shutdown,
    /// Something outside (a new shell, an activation) wants the worker to look at its shells again.
    Wake,
}

/// What a file event means for the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Signal {
    /// The file was completed: closed after writing, created (a link or a rename lands whole), or renamed
    /// into place. Worth loading now.
    Complete,
    /// The file's bytes are changing; a completing event should follow.
    Writing,
    /// The file is gone.
    Removed,
    /// A directory on the way to the file appeared or vanished: the watch may have to move.
    Structure,
    /// Nothing that concerns the library (reads, metadata, other files).
    Irrelevant,
}

/// Sends [`Message::WatcherGone`] when the watcher drops its handler, so shutdown can wait for its thread.
struct GoneSignal(Sender<Message>);

impl Drop for GoneSignal {
    fn drop(&mut self) {
        let _ = self.0.send(Message::WatcherGone);
    }
}

/// A watch that follows the library's directory, and the directory of its target when the library path is
/// a symlink (a new build renamed over the target must be noticed too).
pub(crate) struct LibraryWatch {
    watcher: RecommendedWatcher,
    library: PathBuf,
    /// Where the library path leads when it is a symlink.
    target: Option<PathBuf>,
    /// The directories watched, each with its identity: a directory deleted and recreated under the same
    /// path is a new one, and a watch on the old one hears nothing.
    watched: Vec<(PathBuf, Option<(u64, u64)>)>,
}

/// Device and inode of a directory (none where the platform has no such notion).
fn identity(dir: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// The deepest existing directory on the way to `file`.
fn deepest_existing_dir(file: &Path) -> Option<PathBuf> {
    file.ancestors().skip(1).find(|dir| dir.is_dir()).map(Path::to_owned)
}

/// The file a symlinked `library` leads to, or none when it is not a symlink (or leads nowhere yet).
fn symlink_target(library: &Path) -> Option<PathBuf> {
    let is_link = std::fs::symlink_metadata(library).is_ok_and(|m| m.file_type().is_symlink());
    is_link.then(|| std::fs::canonicalize(library).ok()).flatten()
}

impl LibraryWatch {
    /// Starts watching for `library`, forwarding events to `tx`.
    pub(crate) fn start(library: &Path, tx: Sender<Message>) -> notify::Result<Self> {
        let gone = GoneSignal(tx.clone());
        let watcher = notify::recommended_watcher(move |result: notify::Result<Event>| {
            let _keep_until_the_handler_drops = &gone;
            if let Ok(event) = result {
                let _ = tx.send(Message::Fs(event));
            }
        })?;
        let mut watch = Self { watcher, library: library.to_owned(), target: None, watched: Vec::new() };
        watch.follow();
        Ok(watch)
    }

    /// Moves the watch to the deepest existing directory on the way to the library and to its symlink target
    /// (or renews it on a directory recreated under the same path); returns whether it moved.
    pub(crate) fn follow(&mut self) -> bool {
        self.target = symlink_target(&self.library);
        let mut wanted: Vec<(PathBuf, Option<(u64, u64)>)> = Vec::with_capacity(2);
        for file in std::iter::once(&self.library).chain(&self.target) {
            if let Some(dir) = deepest_existing_dir(file) {
                let id = identity(&dir);
                if !wanted.iter().any(|(d, i)| *d == dir || (id.is_some() && *i == id)) {
                    wanted.push((dir, id));
                }
            }
        }
        if wanted == self.watched {
            return false;
        }
        for (old, _) in self.watched.drain(..) {
            let _ = self.watcher.unwatch(&old);
        }
        for (dir, id) in wanted {
            match self.watcher.watch(&dir, RecursiveMode::NonRecursive) {
                Ok(()) => self.watched.push((dir, id)),
                Err(error) => log::warn!("cannot watch {}: {error}", dir.display()),
            }
        }
        true
    }

    /// Watches the way to the library afresh, even if the path looks unchanged: the directory may have been
    /// recreated with the old one's inode number.
    pub(crate) fn renew(&mut self) {
        for (old, _) in self.watched.drain(..) {
            let _ = self.watcher.unwatch(&old);
        }
        self.follow();
    }

    /// Whether the library's own directory is watched (not an ancestor standing in for it).
    pub(crate) fn watches_library_dir(&self) -> bool {
        self.watched.iter().any(|(dir, _)| Some(dir.as_path()) == self.library.parent())
    }

    /// Whether `path` is the library or, for a symlinked library, the file it leads to.
    fn is_library(&self, path: &Path) -> bool {
        path == self.library || self.target.as_deref() == Some(path)
    }

    /// What `event` means for the library.
    pub(crate) fn classify(&self, event: &Event) -> Signal {
        let touches_library = event.paths.iter().any(|p| self.is_library(p));
        let touches_ancestor = event.paths.iter().any(|p| {
            !self.is_library(p)
                && (self.library.starts_with(p) || self.target.as_deref().is_some_and(|t| t.starts_with(p)))
        });
        if touches_ancestor {
            return Signal::Structure;
        }
        if !touches_library {
            return Signal::Irrelevant;
        }
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) | EventKind::Create(_) => {
                Signal::Complete
            }
            // A rename inside the watched directory is reported three times (from, to, and both): the "to"
            // half already said it.
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => Signal::Irrelevant,
            EventKind::Modify(ModifyKind::Name(_)) if self.library.exists() => Signal::Complete,
            EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => Signal::Removed,
            // Link-count and permission changes (our own staging links among them) are not new bytes.
            EventKind::Modify(ModifyKind::Metadata(_)) | EventKind::Access(_) => Signal::Irrelevant,
            EventKind::Modify(_) | EventKind::Any | EventKind::Other => Signal::Writing,
        }
    }
}
