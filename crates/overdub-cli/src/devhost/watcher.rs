//! Watches a logic crate's sources and rebuilds it on every save, reporting each build.

use crate::logic_crate::LogicCrate;
use crate::report::DevEvent;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long to gather further file events after the first, so one save of several files builds once.
const GATHER: Duration = Duration::from_millis(50);

/// Rebuilds on source changes until dropped (via [`SourceWatcher::stop`]).
pub struct SourceWatcher {
    watcher: notify::RecommendedWatcher,
    thread: JoinHandle<()>,
}

impl SourceWatcher {
    /// Starts watching `krate`'s directory; builds run on a thread of their own, cargo's output on stderr.
    pub fn start(krate: LogicCrate, release: bool, events: Sender<DevEvent>) -> notify::Result<Self> {
        let (changes, changed) = mpsc::channel::<notify::Result<notify::Event>>();
        let mut watcher = notify::recommended_watcher(changes)?;
        watcher.watch(&krate.dir, RecursiveMode::Recursive)?;
        let thread = std::thread::Builder::new()
            .name("overdub-build".to_owned())
            .spawn(move || {
                let target = krate.dir.join("target");
                let relevant = |event: notify::Result<notify::Event>| -> Vec<PathBuf> {
                    let Ok(event) = event else { return Vec::new() };
                    if event.kind.is_access() {
                        return Vec::new();
                    }
                    event.paths.into_iter().filter(|p| is_source(p, &target)).collect()
                };
                while let Ok(first) = changed.recv() {
                    let mut paths = relevant(first);
                    if paths.is_empty() {
                        continue;
                    }
                    loop {
                        match changed.recv_timeout(GATHER) {
                            Ok(more) => paths.extend(relevant(more)),
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    paths.sort();
                    paths.dedup();
                    let _ = events.send(DevEvent::Building { changed: paths });
                    let started = std::time::Instant::now();
                    let ok = krate.build(release).is_ok();
                    let _ = events.send(DevEvent::Built { ok, duration: started.elapsed() });
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

/// Rust sources (build scripts included) and manifests outside the target directory.
fn is_source(path: &Path, target: &Path) -> bool {
    if path.starts_with(target) {
        return false;
    }
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.ends_with(".rs") || name == "Cargo.toml"
}
