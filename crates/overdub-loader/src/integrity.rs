//! Checks a library file's own structure before the dynamic loader maps it.
//!
//! `dlopen` trusts the headers: a file cut short whose segments point past its end is mapped anyway, and the
//! first touch of a missing page kills the process with SIGBUS. Reading the headers ourselves turns that
//! crash into an error.

use crate::error::LoadError;
use object::{Architecture, Object, ObjectKind, ObjectSection, ObjectSegment};
use std::fs::File;
use std::path::Path;

/// What the check learned about a well-formed library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LibraryShape {
    /// Bytes the loadable segments occupy in memory once mapped.
    pub mapped_bytes: u64,
}

/// Verifies that `file` is a shared library for this machine whose every segment and section lies inside it.
pub fn check(path: &Path, file: &File, len: u64) -> Result<LibraryShape, LoadError> {
    let truncated = |detail: String| LoadError::Truncated { path: path.to_owned(), detail };
    let not_library = |reason: String| LoadError::NotALibrary { path: path.to_owned(), reason };
    if len == 0 {
        return Err(truncated("the file is empty".to_owned()));
    }
    let cache = object::ReadCache::new(file);
    let format = object::FileKind::parse(&cache)
        .map_err(|_| not_library("its first bytes are not an ELF, Mach-O or PE header".to_owned()))?;
    let parsed = object::File::parse(&cache)
        .map_err(|e| truncated(format!("its {format:?} headers do not parse ({e}) in {len} bytes")))?;
    if parsed.kind() != ObjectKind::Dynamic {
        return Err(not_library(format!("it is a {:?} object, not a shared library", parsed.kind())));
    }
    if parsed.architecture() != host_architecture() {
        return Err(not_library(format!(
            "it is built for {:?}, this process runs on {:?}",
            parsed.architecture(),
            host_architecture()
        )));
    }
    let mut mapped_bytes = 0;
    for segment in parsed.segments() {
        let (offset, size) = segment.file_range();
        if offset.checked_add(size).is_none_or(|end| end > len) {
            return Err(truncated(format!(
                "a segment spans bytes {offset}..{} but the file has {len}",
                offset.saturating_add(size)
            )));
        }
        mapped_bytes += segment.size();
    }
    for section in parsed.sections() {
        if let Some((offset, size)) = section.file_range()
            && offset.checked_add(size).is_none_or(|end| end > len)
        {
            let name = section.name().unwrap_or("?");
            return Err(truncated(format!(
                "section {name} spans bytes {offset}..{} but the file has {len}",
                offset.saturating_add(size)
            )));
        }
    }
    Ok(LibraryShape { mapped_bytes })
}

fn host_architecture() -> Architecture {
    if cfg!(target_arch = "x86_64") {
        Architecture::X86_64
    } else if cfg!(target_arch = "aarch64") {
        Architecture::Aarch64
    } else if cfg!(target_arch = "x86") {
        Architecture::I386
    } else if cfg!(target_arch = "arm") {
        Architecture::Arm
    } else if cfg!(target_arch = "riscv64") {
        Architecture::Riscv64
    } else {
        Architecture::Unknown
    }
}
