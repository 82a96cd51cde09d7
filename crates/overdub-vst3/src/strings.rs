//! Text into and out of VST3's fixed-size string fields: 8-bit (`char8`, UTF-8) and 16-bit (`TChar`, UTF-16),
//! always NUL-terminated and cut at a character boundary when too long.

use vst3::Steinberg::Vst::TChar;
use vst3::Steinberg::char8;

/// Writes `text` into `out` as UTF-8, truncated to fit with its terminating NUL.
pub(crate) fn write_utf8(text: &str, out: &mut [char8]) {
    let Some(room) = out.len().checked_sub(1) else { return };
    let mut end = text.len().min(room);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    for (slot, byte) in out.iter_mut().zip(&text.as_bytes()[..end]) {
        *slot = char8::from_ne_bytes([*byte]);
    }
    out[end] = 0;
}

/// Writes `text` into `out` as UTF-16, truncated to fit with its terminating NUL (a surrogate pair is never
/// split).
pub(crate) fn write_utf16(text: &str, out: &mut [TChar]) {
    let Some(room) = out.len().checked_sub(1) else { return };
    let mut written = 0;
    for c in text.chars() {
        let mut units = [0u16; 2];
        let units = c.encode_utf16(&mut units);
        if written + units.len() > room {
            break;
        }
        out[written..written + units.len()].copy_from_slice(units);
        written += units.len();
    }
    out[written] = 0;
}

/// Reads a NUL-terminated UTF-16 string of at most `max` units; `None` when it is not valid UTF-16.
///
/// # Safety
/// `text` is null or points to readable `TChar`s up to a NUL or `max` of them, whichever comes first.
pub(crate) unsafe fn read_utf16(text: *const TChar, max: usize) -> Option<String> {
    if text.is_null() {
        return None;
    }
    let mut len = 0;
    // SAFETY: the caller promises the units up to a NUL (or `max`) are readable; the loop stops at either.
    while len < max && unsafe { *text.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: the `len` units just read are readable, as above.
    let units = unsafe { std::slice::from_raw_parts(text, len) };
    String::from_utf16(units).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_truncated_at_a_character_boundary_and_terminated() {
        let one = char8::from_ne_bytes([1]);
        let bytes = |text: &[char8]| text.iter().map(|c| c.to_ne_bytes()[0]).collect::<Vec<u8>>();
        let mut narrow = [one; 5];
        write_utf8("héllo", &mut narrow);
        assert_eq!(bytes(&narrow), [b'h', 0xc3, 0xa9, b'l', 0]);
        let mut short = [one; 3];
        write_utf8("hé", &mut short);
        assert_eq!(bytes(&short), [b'h', 0, 1], "the two-byte é does not fit beside the NUL");
        let mut wide: [TChar; 4] = [1; 4];
        write_utf16("a𝄞b", &mut wide);
        assert_eq!(wide, [u16::from(b'a'), 0xd834, 0xdd1e, 0]);
        // SAFETY: `wide` is NUL-terminated within its four units.
        assert_eq!(unsafe { read_utf16(wide.as_ptr(), 4) }.as_deref(), Some("a𝄞"));
        // SAFETY: a null pointer is allowed.
        assert_eq!(unsafe { read_utf16(std::ptr::null(), 4) }, None);
    }
}
