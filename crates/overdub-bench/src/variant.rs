//! Distinct builds of one library without recompiling: each variant gets its own GNU build id, as every real
//! build does, so the loader sees new mapped bytes (not just a new file) and loads it for real.

use object::{Object, ObjectSection};
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

/// A library's bytes and where its build id lies in them.
#[derive(Clone)]
pub struct Build {
    /// The library file's bytes.
    pub bytes: Vec<u8>,
    stamp: Range<usize>,
}

impl Build {
    /// `bytes` of a library with a `.note.gnu.build-id` section (every build by a GNU-style linker).
    pub fn new(bytes: Vec<u8>) -> Self {
        let file = object::File::parse(&*bytes).expect("the library parses");
        let note = file.section_by_name(".note.gnu.build-id").expect("the library has a GNU build id");
        let (offset, size) = note.file_range().expect("the build id note is in the file");
        // The note's descriptor (the id itself) follows its 16-byte header ("GNU\0" name included).
        let stamp = offset as usize + 16..(offset + size) as usize;
        assert!(!stamp.is_empty(), "an empty build id");
        Self { bytes, stamp }
    }

    /// The same library grown to `len` bytes by data after everything it maps, where a debug build keeps
    /// its DWARF.
    pub fn padded(&self, len: usize) -> Self {
        let mut bytes = self.bytes.clone();
        bytes.resize(len.max(bytes.len()), 0x5a);
        Self { bytes, stamp: self.stamp.clone() }
    }

    /// Writes variant `index` for `purpose` beside `path` and renames it over `path`, as a linker does;
    /// returns when it landed.
    ///
    /// Written straight from the bytes, without a copy: a linker is another process, and a large allocation
    /// and free here would contend for this process's memory map with the audio thread, which a linker
    /// cannot.
    pub fn write_variant(&self, path: &Path, purpose: &str, index: usize) -> Instant {
        let id = format!("{purpose}-{}-{index}", std::process::id());
        let mut stamp = vec![0u8; self.stamp.len()];
        for (byte, value) in stamp.iter_mut().zip(id.bytes().cycle()) {
            *byte = value;
        }
        let temp = path.with_extension("linking");
        let mut file = std::fs::File::create(&temp).expect("create the new build");
        file.write_all(&self.bytes[..self.stamp.start]).expect("write the new build");
        file.write_all(&stamp).expect("write the new build");
        file.write_all(&self.bytes[self.stamp.end..]).expect("write the new build");
        drop(file);
        std::fs::rename(&temp, path).expect("move the new build into place");
        Instant::now()
    }
}
