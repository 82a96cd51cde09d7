//! The bytes of saved DSP state: every value tagged with its kind, so a reader can check it against the type
//! it loads into and skip what it has no field for.
//!
//! ```text
//! state   := MAGIC VERSION value
//! value   := kind:u8 payload
//! payload := little-endian bytes                    (bool, integers, floats, char: fixed size; unit: none)
//!          | count:u64 value*                       (Seq: a slice of non-primitive values)
//!          | element-kind:u8 count:u64 bytes        (Packed: a slice of one primitive kind)
//!          | count:u32 (name-len:u16 name value)*   (Record: a struct's fields by name)
//!          | value                                  (Some) | nothing (None)
//!          | count:u8 value*                        (Tuple)
//! ```

pub use super::kind::Kind;
pub(crate) use super::kind::type_changed;
use overdub_abi::{StateError, StateSink};

/// Opens every saved DSP state.
pub(crate) const MAGIC: &[u8; 4] = b"ovds";
/// The version of the layout above that this build writes and reads.
pub(crate) const VERSION: u8 = 1;

/// Writes a logic's state in little-endian binary, into the shell's memory.
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

    /// Appends a `u8`.
    pub fn u8(&mut self, value: u8) {
        self.bytes(&[value]);
    }

    /// Appends a `u16`.
    pub fn u16(&mut self, value: u16) {
        self.bytes(&value.to_le_bytes());
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

    /// Appends a value's kind tag.
    pub(crate) fn kind(&mut self, kind: Kind) {
        self.u8(kind as u8);
    }

    /// Appends the state format's magic and version, which [`StateReader::header`] checks.
    pub(crate) fn header(&mut self) {
        self.bytes(MAGIC);
        self.u8(VERSION);
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

    /// The next `len` raw bytes, without consuming them (to check a tag before parsing).
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

    /// Reads a `u8`.
    pub fn u8(&mut self) -> Result<u8, StateError> {
        self.array().map(u8::from_le_bytes)
    }

    /// Reads a `u16`.
    pub fn u16(&mut self) -> Result<u16, StateError> {
        self.array().map(u16::from_le_bytes)
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

    /// Where the next read starts.
    pub(crate) fn position(&self) -> usize {
        self.position
    }

    /// Reads a value's kind tag.
    pub(crate) fn kind(&mut self) -> Result<Kind, StateError> {
        let at = self.position;
        let byte = self.u8()?;
        Kind::from_byte(byte)
            .ok_or_else(|| StateError::invalid(format_args!("unknown value kind {byte} at offset {at}")))
    }

    /// Reads a count and checks that the values it announces can fit in what is left, so garbled input
    /// cannot make a loader reserve or loop for more than the state holds.
    pub(crate) fn count(&mut self, bytes_each: usize) -> Result<usize, StateError> {
        let count = self.u64()?;
        let fits = usize::try_from(count)
            .ok()
            .filter(|&n| n.checked_mul(bytes_each.max(1)).is_some_and(|len| len <= self.remaining()));
        fits.ok_or_else(|| {
            StateError::invalid(format_args!(
                "a count of {count} at offset {} exceeds the state",
                self.position
            ))
        })
    }

    /// Checks the state format's magic and version.
    pub(crate) fn header(&mut self) -> Result<(), StateError> {
        if self.peek(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
            return Err(StateError::invalid(format_args!("not DSP state written by overdub")));
        }
        self.position += MAGIC.len();
        match self.u8()? {
            VERSION => Ok(()),
            newer => Err(StateError::invalid(format_args!(
                "written in state format {newer}; this build reads format {VERSION}"
            ))),
        }
    }

    /// Skips one value of any kind.
    pub(crate) fn skip_value(&mut self) -> Result<(), StateError> {
        let kind = self.kind()?;
        if let Some(size) = kind.primitive_size() {
            return self.bytes(size).map(drop);
        }
        match kind {
            Kind::Seq => {
                for _ in 0..self.count(1)? {
                    self.skip_value()?;
                }
            }
            Kind::Packed => {
                let element = self.kind()?;
                let size = element.primitive_size().ok_or_else(|| type_changed(element, "a primitive"))?;
                let count = self.count(size)?;
                self.bytes(count * size)?;
            }
            Kind::Record => {
                for _ in 0..self.u32()? {
                    let len = self.u16()?;
                    self.bytes(usize::from(len))?;
                    self.skip_value()?;
                }
            }
            Kind::Some => self.skip_value()?,
            Kind::Tuple => {
                for _ in 0..self.u8()? {
                    self.skip_value()?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) struct VecSink(pub Vec<u8>);
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
        let mut r = StateReader::new(&sink.0);
        assert_eq!(r.u32().unwrap(), 7);
        assert_eq!(r.f64().unwrap(), 0.25);
        r.finish().unwrap();
    }

    #[test]
    fn short_input_is_an_error_not_a_panic() {
        let mut r = StateReader::new(&[1, 2]);
        let err = r.u32().unwrap_err();
        assert!(err.message().contains("truncated"), "{err}");
    }

    #[test]
    fn leftover_bytes_are_rejected() {
        let r = StateReader::new(&[0]);
        assert!(r.finish().is_err());
    }

    #[test]
    fn a_newer_format_and_foreign_bytes_are_named() {
        let newer = [b'o', b'v', b'd', b's', VERSION + 1];
        let err = StateReader::new(&newer).header().unwrap_err();
        assert!(err.message().contains("format 2"), "{err}");
        let err = StateReader::new(b"nope!").header().unwrap_err();
        assert!(err.message().contains("not DSP state"), "{err}");
    }

    #[test]
    fn a_count_larger_than_the_state_is_refused_before_any_loop() {
        let mut sink = VecSink(Vec::new());
        StateWriter::new(&mut sink).u64(u64::MAX / 2);
        let err = StateReader::new(&sink.0).count(4).unwrap_err();
        assert!(err.message().contains("exceeds the state"), "{err}");
    }
}
