//! Saved state as it crosses the boundary: bytes written into the shell's memory, and the error a logic
//! returns for bytes it cannot load.

use crate::message::Message;
use core::fmt;

/// Where saved state bytes go; implemented by the shell.
///
/// The logic writes through this trait instead of returning a `Vec`, so the bytes are allocated by the shell
/// that keeps them, never by the library's allocator.
pub trait StateSink {
    /// Appends bytes.
    fn write(&mut self, bytes: &[u8]);
}

/// Why saved state could not be loaded.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct StateError {
    pub(crate) message: Message,
}

impl StateError {
    /// The state is malformed, for the reason given.
    pub fn invalid(reason: fmt::Arguments<'_>) -> Self {
        Self { message: Message::format(reason) }
    }

    /// The state ended early.
    pub fn truncated(needed: usize, at: usize, len: usize) -> Self {
        Self::invalid(format_args!("truncated: needed {needed} bytes at offset {at}, state is {len} bytes"))
    }

    /// The explanation.
    pub fn message(&self) -> &str {
        self.message.as_str()
    }
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl fmt::Debug for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StateError({:?})", self.message())
    }
}

impl core::error::Error for StateError {}
