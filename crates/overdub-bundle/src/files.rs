//! File operations for bundles: nothing a host may have mapped is rewritten in place.

use crate::BundleError;
use std::fs;
use std::path::{Path, PathBuf};

/// A hidden name beside `dest`, unique to this process, to write a new version under.
pub(crate) fn beside(dest: &Path, purpose: &str) -> PathBuf {
    let name = dest.file_name().map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
    dest.with_file_name(format!(".{name}.{purpose}-{}", std::process::id()))
}

/// Puts `new` where `dest` is: a file by one rename over it (the old inode lives on for whoever maps it);
/// a macOS bundle directory, which a rename cannot replace, after removing the old one.
pub(crate) fn replace(new: &Path, dest: &Path) -> Result<(), BundleError> {
    if new.is_dir() {
        remove(dest)?;
    }
    fs::rename(new, dest).map_err(io("rename into place", dest))
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BundleError {
    let path = path.to_owned();
    move |source| BundleError::Io { action, path, source }
}

pub(crate) fn create_dir(path: &Path) -> Result<(), BundleError> {
    fs::create_dir_all(path).map_err(io("create directory", path))
}

pub(crate) fn copy(from: &Path, to: &Path) -> Result<(), BundleError> {
    fs::copy(from, to).map(drop).map_err(io("copy to", to))
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), BundleError> {
    fs::write(path, text).map_err(io("write", path))
}

pub(crate) fn remove(path: &Path) -> Result<(), BundleError> {
    let result = match fs::symlink_metadata(path) {
        Err(_) => return Ok(()),
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
    };
    result.map_err(io("remove", path))
}

pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<(), BundleError> {
    if !from.is_dir() {
        return copy(from, to);
    }
    create_dir(to)?;
    for entry in fs::read_dir(from).map_err(io("read directory", from))? {
        let entry = entry.map_err(io("read directory", from))?;
        copy_tree(&entry.path(), &to.join(entry.file_name()))?;
    }
    Ok(())
}
