//! Checks a library file's own structure before anything of it is copied or mapped, and finds the part of it
//! the dynamic loader maps.
//!
//! `dlopen` trusts the headers: a file cut short whose segments point past its end is mapped anyway, and the
//! first touch of a missing page kills the process with SIGBUS. Reading the headers ourselves turns that
//! crash into an error.

use crate::error::LoadError;
use object::elf::PT_NULL;
use object::read::elf::{FileHeader, ProgramHeader};
use object::{Architecture, Object, ObjectKind, ObjectSection, ObjectSegment};
use std::fs::File;
use std::path::Path;

/// What the check learned about a well-formed library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LibraryShape {
    /// Bytes the loadable segments occupy in memory once mapped.
    pub mapped_bytes: u64,
    /// Length of the file's prefix that holds everything the dynamic loader reads: the headers and every
    /// segment's bytes. What follows (a debug build's DWARF, the symbol and section tables) is never mapped.
    pub image_len: u64,
    /// Whether the image must be told it has no section table: the table lies beyond `image_len`, so an
    /// image that kept the header's pointer to it would point past its own end.
    pub strip_sections: bool,
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
    let inside = |what: &str, offset: u64, size: u64| match offset.checked_add(size) {
        Some(end) if end <= len => Ok(end),
        _ => Err(truncated(format!(
            "{what} spans bytes {offset}..{} but the file has {len}",
            offset.saturating_add(size)
        ))),
    };
    let mut mapped_bytes = 0;
    for segment in parsed.segments() {
        let (offset, size) = segment.file_range();
        inside("a segment", offset, size)?;
        mapped_bytes += segment.size();
    }
    for section in parsed.sections() {
        if let Some((offset, size)) = section.file_range() {
            inside(&format!("section {}", section.name().unwrap_or("?")), offset, size)?;
        }
    }
    let image_len = match &parsed {
        object::File::Elf64(elf) => elf_image_len(elf.elf_header(), elf.elf_program_headers(), elf.endian()),
        object::File::Elf32(elf) => elf_image_len(elf.elf_header(), elf.elf_program_headers(), elf.endian()),
        // Other formats are copied whole: their loaders may read anywhere in the file.
        _ => len,
    };
    let image_len = inside("the loaded part", 0, image_len)?;
    let section_table = match &parsed {
        object::File::Elf64(elf) => elf.elf_header().e_shoff(elf.endian()),
        object::File::Elf32(elf) => u64::from(elf.elf_header().e_shoff(elf.endian())),
        _ => 0,
    };
    Ok(LibraryShape { mapped_bytes, image_len, strip_sections: section_table >= image_len })
}

/// End of the last byte an ELF loader reads: the file header, the program headers, and every segment's file
/// range (`PT_LOAD`, `PT_DYNAMIC`, notes, unwind tables: whatever a program header points at).
fn elf_image_len<Elf: FileHeader>(header: &Elf, segments: &[Elf::ProgramHeader], endian: Elf::Endian) -> u64 {
    let headers = header.e_phoff(endian).into()
        + u64::from(header.e_phnum(endian)) * u64::from(header.e_phentsize(endian));
    segments
        .iter()
        .filter(|segment| segment.p_type(endian) != PT_NULL)
        .map(|segment| segment.p_offset(endian).into() + segment.p_filesz(endian).into())
        .fold(headers.max(u64::from(header.e_ehsize(endian))), u64::max)
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
