//! Structs in saved DSP state: each field under its name, so a new build finds the fields it still has.

use super::DspState;
use super::format::{Kind, StateReader, StateWriter, type_changed};
use overdub_abi::StateError;

/// Writes one struct's fields; made by [`StateWriter::record`].
#[must_use = "a record announces its field count: write every field"]
pub struct RecordWriter<'w, 'a> {
    out: &'w mut StateWriter<'a>,
    left: u32,
}

impl<'a> StateWriter<'a> {
    /// Starts a struct of `fields` fields; write each with [`RecordWriter::field`].
    pub fn record(&mut self, fields: u32) -> RecordWriter<'_, 'a> {
        self.kind(Kind::Record);
        self.u32(fields);
        RecordWriter { out: self, left: fields }
    }
}

impl<'a> RecordWriter<'_, 'a> {
    /// Writes one field.
    pub fn field<T: DspState + ?Sized>(&mut self, name: &str, value: &T) {
        self.name(name);
        value.save(self.out);
    }

    /// Writes one field that is itself a record of `fields` fields (an enum variant's).
    pub fn record(&mut self, name: &str, fields: u32) -> RecordWriter<'_, 'a> {
        self.name(name);
        self.out.record(fields)
    }

    fn name(&mut self, name: &str) {
        debug_assert!(self.left > 0, "more fields written than the record announced");
        self.left = self.left.saturating_sub(1);
        let len = u16::try_from(name.len()).expect("a field name is shorter than 64 KiB");
        self.out.u16(len);
        self.out.bytes(name.as_bytes());
    }
}

impl Drop for RecordWriter<'_, '_> {
    fn drop(&mut self) {
        debug_assert_eq!(self.left, 0, "fewer fields written than the record announced");
    }
}

/// One saved field's value, for the loader of a struct to load into the field of that name.
#[must_use = "load the value into its field (an unused value is skipped)"]
pub struct FieldValue<'r, 'a> {
    input: &'r mut StateReader<'a>,
}

impl<'a> FieldValue<'_, 'a> {
    /// Loads the value into `field`.
    pub fn load<T: DspState + ?Sized>(self, field: &mut T) -> Result<(), StateError> {
        field.load(self.input)
    }

    /// Reads the value as a record (an enum variant's fields), as [`StateReader::record`] does.
    pub fn record(
        self,
        field: impl FnMut(&str, FieldValue<'_, 'a>) -> Result<(), StateError>,
    ) -> Result<(), StateError> {
        self.input.record(field)
    }
}

impl<'a> StateReader<'a> {
    /// Reads a struct saved with [`StateWriter::record`], calling `field` with each saved field's name and
    /// value. A value `field` leaves unloaded (a field this build no longer has) is skipped; an error names
    /// the field it happened in.
    pub fn record(
        &mut self,
        mut field: impl FnMut(&str, FieldValue<'_, 'a>) -> Result<(), StateError>,
    ) -> Result<(), StateError> {
        match self.kind()? {
            Kind::Record => {}
            other => return Err(type_changed(other, Kind::Record)),
        }
        for _ in 0..self.u32()? {
            let len = usize::from(self.u16()?);
            let at = self.position();
            let name = core::str::from_utf8(self.bytes(len)?)
                .map_err(|_| StateError::invalid(format_args!("a field name at offset {at} is not UTF-8")))?;
            let before = self.position();
            field(name, FieldValue { input: self })
                .map_err(|inner| StateError::invalid(format_args!("`{name}`: {inner}")))?;
            if self.position() == before {
                self.skip_value()?;
            }
        }
        Ok(())
    }
}
