//! The host's `IBStream`s, read to the end and written whole: what a project saves is the shell's container,
//! and a stream that never ends (or ends early) must not hang or half-load the plugin.

use vst3::ComRef;
use vst3::Steinberg::{IBStream, IBStreamTrait, kResultOk};

/// Largest state accepted from a host: guards against a stream that never ends.
pub(crate) const MAX_STATE_BYTES: usize = 1 << 30;

/// Bytes asked of the host per read.
const CHUNK: usize = 64 * 1024;

/// Everything the stream holds from its current position, or `None` when it fails or exceeds
/// [`MAX_STATE_BYTES`].
pub(crate) fn read_to_end(stream: ComRef<'_, IBStream>) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    loop {
        let start = bytes.len();
        bytes.resize(start + CHUNK, 0);
        let mut read = 0;
        // SAFETY: the buffer has `CHUNK` writable bytes at `start`; the host writes at most that many and says
        // how many in `read`.
        let result = unsafe { stream.read(bytes[start..].as_mut_ptr().cast(), CHUNK as i32, &mut read) };
        let read = usize::try_from(read).unwrap_or(0).min(CHUNK);
        bytes.truncate(start + read);
        if result != kResultOk {
            // Some hosts answer a read at the end with an error rather than with zero bytes.
            return (!bytes.is_empty()).then_some(bytes);
        }
        if read == 0 {
            return Some(bytes);
        }
        if bytes.len() > MAX_STATE_BYTES {
            return None;
        }
    }
}

/// Writes all of `bytes`; `false` when the host took fewer.
pub(crate) fn write_all(stream: ComRef<'_, IBStream>, bytes: &[u8]) -> bool {
    let mut done = 0;
    while done < bytes.len() {
        let want = (bytes.len() - done).min(i32::MAX as usize);
        let mut written = 0;
        // SAFETY: the host reads at most `want` bytes from this pointer, which has that many left to read; it
        // does not write through it (the signature's `*mut` is the C++ header's `void*`).
        let result =
            unsafe { stream.write(bytes[done..].as_ptr().cast_mut().cast(), want as i32, &mut written) };
        let written = usize::try_from(written).unwrap_or(0).min(want);
        if result != kResultOk || written == 0 {
            return false;
        }
        done += written;
    }
    true
}
