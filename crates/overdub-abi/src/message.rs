//! A short text that crosses the boundary by value.
//!
//! Panic reports and state errors travel from the logic library to the shell. A `String` would be freed by the
//! shell with the shell's allocator although the library allocated it with its own, and building one on the
//! audio thread allocates; a fixed-capacity inline text does neither.

use core::fmt;

/// Bytes of text a [`Message`] holds; longer text is cut at a character boundary and marked with `…`.
pub const MESSAGE_CAPACITY: usize = 246;

/// A fixed-capacity UTF-8 text, `Copy`, allocation-free.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Message {
    pub(crate) len: u16,
    pub(crate) truncated: bool,
    pub(crate) bytes: [u8; MESSAGE_CAPACITY],
}

impl Message {
    /// An empty message.
    pub const fn empty() -> Self {
        Self { len: 0, truncated: false, bytes: [0; MESSAGE_CAPACITY] }
    }

    /// Formats `args` without allocating, cutting what does not fit.
    pub fn format(args: fmt::Arguments<'_>) -> Self {
        let mut message = Self::empty();
        // Writing into a Message never fails: overflow is truncated, not reported.
        let _ = fmt::write(&mut message, args);
        message
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        let bytes = &self.bytes[..usize::from(self.len)];
        // Only whole characters are ever copied in (see `write_str`), so this cannot fail.
        core::str::from_utf8(bytes).expect("Message holds whole UTF-8 characters")
    }

    /// Whether text was cut because it did not fit.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
}

const TRUNCATION_MARK: &str = "…";

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Self::format(format_args!("{text}"))
    }
}

impl fmt::Write for Message {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.truncated {
            return Ok(());
        }
        let used = usize::from(self.len);
        let free = MESSAGE_CAPACITY - used;
        if s.len() <= free {
            self.bytes[used..used + s.len()].copy_from_slice(s.as_bytes());
            self.len += s.len() as u16;
            return Ok(());
        }
        let room = free.saturating_sub(TRUNCATION_MARK.len());
        let mut cut = room.min(s.len());
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        let end = used + cut;
        self.bytes[used..end].copy_from_slice(&s.as_bytes()[..cut]);
        self.bytes[end..end + TRUNCATION_MARK.len()].copy_from_slice(TRUNCATION_MARK.as_bytes());
        self.len = (end + TRUNCATION_MARK.len()) as u16;
        self.truncated = true;
        Ok(())
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Default for Message {
    fn default() -> Self {
        Self::empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        let m = Message::from("index out of bounds");
        assert_eq!(m.as_str(), "index out of bounds");
        assert!(!m.is_truncated());
    }

    #[test]
    fn long_text_is_cut_at_a_character_boundary_and_marked() {
        let long = "é".repeat(MESSAGE_CAPACITY);
        let m = Message::from(long.as_str());
        assert!(m.is_truncated());
        assert!(m.as_str().len() <= MESSAGE_CAPACITY);
        assert!(m.as_str().trim_end_matches('…').chars().all(|c| c == 'é'));
    }

    #[test]
    fn writes_after_truncation_are_ignored() {
        let mut m = Message::from("x".repeat(MESSAGE_CAPACITY + 10).as_str());
        let before = m;
        fmt::Write::write_str(&mut m, "more").unwrap();
        assert_eq!(m, before);
    }
}
