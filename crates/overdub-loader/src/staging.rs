//! Private, uniquely named copies of a library file.
//!
//! The dynamic loader maps a file; if that file is later overwritten, the running code changes under the
//! process and crashes it. So each load maps a private name no writer knows: a hard link when the writer is
//! known to replace files (a linker writes a new inode on every build, so the link keeps the old bytes; it
//! costs nothing), otherwise a copy. Names carry the process id and a per-process sequence number and are
//! created exclusively, so two instances or two processes never write each other's files. The private name
//! is removed as soon as the library is mapped, and files left by a process that died are swept.

use crate::error::LoadError;
use crate::hash;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// How a staged file was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageMethod {
    /// A hard link to the writer's file: no bytes copied.
    Linked,
    /// A full copy.
    Copied,
}

/// A library file under a private name, removed when dropped.
#[derive(Debug)]
pub struct Staged {
    path: PathBuf,
    /// How it was made.
    pub method: StageMethod,
    /// Content hash.
    pub hash: u64,
    /// Size in bytes.
    pub len: u64,
}

impl Staged {
    /// The private path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Err(error) = fs::remove_file(&self.path)
            && error.kind() != io::ErrorKind::NotFound
        {
            log::warn!("could not remove staged library {}: {error}", self.path.display());
        }
    }
}

const STAGING_DIR: &str = ".overdub-staging";
const MARKER: &str = "overdub";

/// Stages `source` under a fresh private name, linking when `link` is allowed and possible.
pub fn stage(source: &Path, link: bool) -> Result<Staged, LoadError> {
    let dir = staging_dir(source)?;
    loop {
        let dest = dir.join(unique_name(source));
        if link {
            match fs::hard_link(source, &dest) {
                Ok(()) => {
                    let mut staged = Staged { path: dest, method: StageMethod::Linked, hash: 0, len: 0 };
                    let file = File::open(&staged.path).map_err(io_error("read", &staged.path))?;
                    (staged.hash, staged.len) = hash::hash_reader(file).map_err(io_error("read", source))?;
                    return Ok(staged);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(missing(source)),
                // Another filesystem, or links not supported: copy instead.
                Err(_) => {}
            }
        }
        let mut dest_file = match OpenOptions::new().write(true).create_new(true).open(&dest) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error("create", &dest)(e)),
        };
        let mut staged = Staged { path: dest, method: StageMethod::Copied, hash: 0, len: 0 };
        let mut source_file = File::open(source).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => missing(source),
            _ => io_error("read", source)(e),
        })?;
        (staged.hash, staged.len) =
            hash::copy_and_hash(&mut source_file, &mut dest_file).map_err(io_error("copy", source))?;
        return Ok(staged);
    }
}

fn missing(source: &Path) -> LoadError {
    LoadError::Missing { path: source.to_owned() }
}

pub(crate) fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> LoadError {
    let path = path.to_owned();
    move |source| LoadError::Io { action, path, source }
}

fn unique_name(source: &Path) -> String {
    static SEQUENCE: AtomicU64 = AtomicU64::new(0);
    let sequence = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("logic");
    let ext = source.extension().and_then(|e| e.to_str()).unwrap_or("so");
    format!("{stem}.{MARKER}-{}-{sequence}.{ext}", std::process::id())
}

/// The staging directory beside the library (same filesystem, so hard links work), or under the system's
/// temporary directory when that is not writable. Stale files are swept the first time a directory is used.
fn staging_dir(source: &Path) -> Result<PathBuf, LoadError> {
    let beside = source.parent().map(|p| p.join(STAGING_DIR));
    let fallback = std::env::temp_dir().join(STAGING_DIR);
    for dir in beside.iter().chain([&fallback]) {
        if fs::create_dir_all(dir).is_ok() {
            sweep_once(dir);
            return Ok(dir.clone());
        }
    }
    fs::create_dir_all(&fallback).map_err(io_error("create staging directory", &fallback))?;
    Ok(fallback)
}

fn sweep_once(dir: &Path) {
    static SWEPT: OnceLock<Mutex<Vec<PathBuf>>> = OnceLock::new();
    let swept = SWEPT.get_or_init(Default::default);
    let mut swept = swept.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if swept.iter().any(|d| d == dir) {
        return;
    }
    swept.push(dir.to_owned());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner_pid) else {
            continue;
        };
        if !process_alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process id in a staged file's name (`stem.overdub-PID-SEQ.ext`).
fn owner_pid(name: &str) -> Option<u32> {
    let rest = &name[name.find(&format!(".{MARKER}-"))? + MARKER.len() + 2..];
    rest.split('-').next()?.parse().ok()
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Without a cheap liveness check, assume alive: never delete a file another process may be loading.
#[cfg(not(target_os = "linux"))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_pid_is_read_back_from_a_unique_name() {
        let name = unique_name(Path::new("/x/libgain.so"));
        assert_eq!(owner_pid(&name), Some(std::process::id()));
        assert!(name.starts_with("libgain.overdub-") && name.ends_with(".so"), "{name}");
        assert_eq!(owner_pid("libgain.so"), None);
    }

    #[test]
    fn unique_names_do_not_repeat() {
        let a = unique_name(Path::new("lib.so"));
        let b = unique_name(Path::new("lib.so"));
        assert_ne!(a, b);
    }
}
