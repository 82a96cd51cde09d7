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
    /// returns when it landed: the moment just before the rename, since the reload it starts may finish
    /// before this thread runs again (the audio thread it races runs at real-time priority).
    pub fn write_variant(&self, path: &Path, purpose: &str, index: usize) -> Instant {
        let temp = path.with_extension("linking");
        self.write_stamped(&temp, purpose, index);
        let landed = Instant::now();
        std::fs::rename(&temp, path).expect("move the new build into place");
        landed
    }

    /// Writes variant `index` for `purpose` beside `path` and puts it at `path` the way cargo puts a build in
    /// place: the old file removed, the new one hard-linked at its name. Returns when it landed: the moment
    /// just before the link, for the reason [`Build::write_variant`] gives.
    ///
    /// A rename over the old file differs for a large build: ext4 (`auto_da_alloc`) writes a file renamed over
    /// another out within the rename, 47–170 ms for 120 MiB here, and the reload the rename starts shares the
    /// machine with that writeback (the hot-plugin benchmark's debug-size reloads took 19–34 ms in the median
    /// and up to 1.6 s landed so, 11–14 ms landed as cargo does). Cargo's linked file is written back in the
    /// background instead.
    pub fn link_variant(&self, path: &Path, purpose: &str, index: usize) -> Instant {
        let built = path.with_extension(format!("{index}.built"));
        self.write_stamped(&built, purpose, index);
        match std::fs::remove_file(path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                panic!("remove the old build {}: {error}", path.display())
            }
            _ => {}
        }
        let landed = Instant::now();
        std::fs::hard_link(&built, path).expect("link the new build into place");
        std::fs::remove_file(&built).expect("remove the new build's other name");
        landed
    }

    /// Writes variant `index` for `purpose` to `path`.
    ///
    /// Written straight from the bytes, without a copy: a linker is another process, and a large allocation
    /// and free here would contend for this process's memory map with the audio thread, which a linker
    /// cannot.
    fn write_stamped(&self, path: &Path, purpose: &str, index: usize) {
        let id = format!("{purpose}-{}-{index}", std::process::id());
        let mut stamp = vec![0u8; self.stamp.len()];
        for (byte, value) in stamp.iter_mut().zip(id.bytes().cycle()) {
            *byte = value;
        }
        let mut file = std::fs::File::create(path).expect("create the new build");
        file.write_all(&self.bytes[..self.stamp.start]).expect("write the new build");
        file.write_all(&stamp).expect("write the new build");
        file.write_all(&self.bytes[self.stamp.end..]).expect("write the new build");
    }
}
