//! Watches a logic crate's sources and rebuilds it on every save, reporting each build.
//!
//! A save is acted on as soon as the file is complete: when its writer closes it, or renames it into place.
//! Only a file still open for writing is waited for (up to [`WRITING`]); otherwise further events are gathered
//! for [`QUIET`], so a save of several files builds once.

use crate::build::DevBuilder;
use crate::build::inputs::is_build_configuration;
use crate::report::DevEvent;
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long to wait for more events once every changed file is complete.
const QUIET: Duration = Duration::from_millis(2);

/// How long to wait for a file still being written to be closed.
const WRITING: Duration = Duration::from_millis(50);

/// Rebuilds on source changes until dropped (via [`SourceWatcher::stop`]).
pub struct SourceWatcher {
    watcher: notify::RecommendedWatcher,
    thread: JoinHandle<()>,
}

impl SourceWatcher {
    /// Starts watching `dir` (the logic crate's); builds run on a thread of their own through `builder`,
    /// cargo's and rustc's messages on stderr.
    pub fn start(dir: &Path, mut builder: DevBuilder, events: Sender<DevEvent>) -> notify::Result<Self> {
        let (changes, changed) = mpsc::channel::<notify::Result<notify::Event>>();
        let mut watcher = notify::recommended_watcher(changes)?;
        watcher.watch(dir, RecursiveMode::Recursive)?;
        let target = dir.join("target");
        let thread = std::thread::Builder::new()
            .name("overdub-build".to_owned())
            .spawn(move || {
                while let Ok(first) = changed.recv() {
                    let mut save = Save::default();
                    save.add(first, &target);
                    let Some(saved) = save.first_seen else { continue };
                    loop {
                        match changed.recv_timeout(save.window()) {
                            Ok(more) => save.add(more, &target),
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    let changed: Vec<PathBuf> = save.paths.into_iter().collect();
                    if !builder.needs_build(&changed) {
                        continue;
                    }
                    let _ =
                        events.send(DevEvent::Building { changed: changed.clone(), detect: saved.elapsed() });
                    let rebuilt = builder.rebuild(&changed, |route| {
                        let _ = events.send(DevEvent::Compiling { route: route.clone() });
                    });
                    let _ = events.send(DevEvent::Built {
                        ok: rebuilt.ok,
                        duration: rebuilt.duration,
                        route: rebuilt.route,
                    });
                }
            })
            .expect("spawning a thread only fails when the system is out of resources");
        Ok(Self { watcher, thread })
    }

    /// Stops watching and waits for a build under way to finish.
    pub fn stop(self) {
        drop(self.watcher);
        let _ = self.thread.join();
    }
}

/// The files of one save, gathered from their events.
#[derive(Default)]
struct Save {
    paths: BTreeSet<PathBuf>,
    /// Files written to and not yet closed or renamed into place.
    writing: BTreeSet<PathBuf>,
    /// When the first relevant event arrived: the save, as near as this process can tell.
    first_seen: Option<Instant>,
}

impl Save {
    fn add(&mut self, event: notify::Result<notify::Event>, target: &Path) {
        let Ok(event) = event else { return };
        let complete = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => return,
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => false,
            _ => true,
        };
        for path in event.paths.into_iter().filter(|p| is_source(p, target)) {
            self.first_seen.get_or_insert_with(Instant::now);
            if complete {
                self.writing.remove(&path);
            } else {
                self.writing.insert(path.clone());
            }
            self.paths.insert(path);
        }
    }

    fn window(&self) -> Duration {
        if self.writing.is_empty() { QUIET } else { WRITING }
    }
}

/// Rust sources and build configuration (manifests, lock file, build scripts, cargo configuration) outside
/// the target directory.
fn is_source(path: &Path, target: &Path) -> bool {
    if path.starts_with(target) {
        return false;
    }
    path.extension().is_some_and(|e| e == "rs") || is_build_configuration(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, RenameMode};

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn a_save_is_complete_at_its_close_or_rename_and_waited_for_until_then() {
        let target = Path::new("/c/target");
        let mut save = Save::default();
        save.add(event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), "/c/src/lib.rs"), target);
        assert_eq!(save.window(), WRITING, "still being written");
        save.add(event(EventKind::Access(AccessKind::Close(AccessMode::Write)), "/c/src/lib.rs"), target);
        assert_eq!(save.window(), QUIET);
        save.add(event(EventKind::Create(CreateKind::File), "/c/src/dsp.rs"), target);
        save.add(event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), "/c/src/dsp.rs"), target);
        assert_eq!(save.window(), QUIET, "renamed into place");
        assert_eq!(save.paths.len(), 2);
        assert!(save.first_seen.is_some());
    }

    #[test]
    fn only_sources_and_build_configuration_outside_the_target_directory_count() {
        let target = Path::new("/c/target");
        let mut save = Save::default();
        for path in ["/c/target/debug/libfx.so", "/c/README.md", "/c/src/lib.rs.swp"] {
            save.add(event(EventKind::Modify(ModifyKind::Any), path), target);
        }
        save.add(event(EventKind::Access(AccessKind::Read), "/c/src/lib.rs"), target);
        assert!(save.first_seen.is_none() && save.paths.is_empty());
        for path in ["/c/Cargo.lock", "/c/build.rs", "/c/.cargo/config.toml", "/c/src/lib.rs"] {
            save.add(event(EventKind::Modify(ModifyKind::Any), path), target);
        }
        assert_eq!(save.paths.len(), 4);
    }
}
