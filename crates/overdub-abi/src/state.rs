//! The logic's saved state: written into the shell's memory, read back with bounds checks.

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

/// Writes a logic's state in little-endian binary.
pub struct StateWriter<'a> {
    sink: &'a mut dyn StateSink,
}

impl<'a> StateWriter<'a> {
    /// Writes into `sink`.
    pub fn new(sink: &'a mut dyn StateSink) -> Self {
        Self { sink }
    }

    /// Appends raw bytes.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.sink.write(bytes);
    }

    /// Appends a `u32`.
    pub fn u32(&mut self, value: u32) {
        self.bytes(&value.to_le_bytes());
    }

    /// Appends a `u64`.
    pub fn u64(&mut self, value: u64) {
        self.bytes(&value.to_le_bytes());
    }

    /// Appends an `f32`.
    pub fn f32(&mut self, value: f32) {
        self.bytes(&value.to_le_bytes());
    }

    /// Appends an `f64`.
    pub fn f64(&mut self, value: f64) {
        self.bytes(&value.to_le_bytes());
    }

    /// Appends a length-prefixed run of `f32`s, e.g. a delay line.
    pub fn f32s(&mut self, values: &[f32]) {
        self.u64(values.len() as u64);
        for v in values {
            self.f32(*v);
        }
    }
}

/// Reads state written by [`StateWriter`], failing cleanly on short or malformed input.
pub struct StateReader<'a> {
    data: &'a [u8],
    position: usize,
}

impl<'a> StateReader<'a> {
    /// Reads from `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, position: 0 }
    }

    /// The next `len` raw bytes, without consuming them (to check a version tag before parsing).
    pub fn peek(&self, len: usize) -> Result<&'a [u8], StateError> {
        let end = self
            .position
            .checked_add(len)
            .filter(|&end| end <= self.data.len())
            .ok_or_else(|| StateError::truncated(len, self.position, self.data.len()))?;
        Ok(&self.data[self.position..end])
    }

    /// Takes the next `len` raw bytes.
    pub fn bytes(&mut self, len: usize) -> Result<&'a [u8], StateError> {
        let slice = self.peek(len)?;
        self.position += len;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], StateError> {
        let bytes = self.bytes(N)?;
        Ok(bytes.try_into().expect("bytes(N) returns exactly N bytes"))
    }

    /// Reads a `u32`.
    pub fn u32(&mut self) -> Result<u32, StateError> {
        self.array().map(u32::from_le_bytes)
    }

    /// Reads a `u64`.
    pub fn u64(&mut self) -> Result<u64, StateError> {
        self.array().map(u64::from_le_bytes)
    }

    /// Reads an `f32`.
    pub fn f32(&mut self) -> Result<f32, StateError> {
        self.array().map(f32::from_le_bytes)
    }

    /// Reads an `f64`.
    pub fn f64(&mut self) -> Result<f64, StateError> {
        self.array().map(f64::from_le_bytes)
    }

    /// Reads a run written by [`StateWriter::f32s`] into `out`, which must have exactly its length.
    pub fn f32s_into(&mut self, out: &mut [f32]) -> Result<(), StateError> {
        let len = self.u64()?;
        if len != out.len() as u64 {
            return Err(StateError::invalid(format_args!(
                "expected {} samples, state holds {len}",
                out.len()
            )));
        }
        for slot in out {
            *slot = self.f32()?;
        }
        Ok(())
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.position
    }

    /// Fails when bytes are left over: state from another version of the logic should not half-load.
    pub fn finish(&self) -> Result<(), StateError> {
        match self.remaining() {
            0 => Ok(()),
            left => Err(StateError::invalid(format_args!("{left} unexpected bytes after the state"))),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    struct VecSink(Vec<u8>);
    impl StateSink for VecSink {
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
    }

    #[test]
    fn values_round_trip() {
        let mut sink = VecSink(Vec::new());
        let mut w = StateWriter::new(&mut sink);
        w.u32(7);
        w.f64(0.25);
        w.f32s(&[1.0, 2.0]);
        let mut r = StateReader::new(&sink.0);
        assert_eq!(r.u32().unwrap(), 7);
        assert_eq!(r.f64().unwrap(), 0.25);
        let mut line = [0.0; 2];
        r.f32s_into(&mut line).unwrap();
        assert_eq!(line, [1.0, 2.0]);
        r.finish().unwrap();
    }

    #[test]
    fn short_input_is_an_error_not_a_panic() {
        let mut r = StateReader::new(&[1, 2]);
        let err = r.u32().unwrap_err();
        assert!(err.message().contains("truncated"), "{err}");
    }

    #[test]
    fn a_run_of_the_wrong_length_is_rejected() {
        let mut sink = VecSink(Vec::new());
        StateWriter::new(&mut sink).f32s(&[1.0; 3]);
        let err = StateReader::new(&sink.0).f32s_into(&mut [0.0; 4]).unwrap_err();
        assert!(err.message().contains("expected 4 samples"), "{err}");
    }

    #[test]
    fn leftover_bytes_are_rejected() {
        let r = StateReader::new(&[0]);
        assert!(r.finish().is_err());
    }
}
