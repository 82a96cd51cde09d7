//! The logic's DSP memory (delay lines, filter state, voices) carried from one build to the next when its
//! layout changed: written field by field, read back by name.
//!
//! A code-only rebuild keeps the running memory in place (see [`crate::layout`]). When the layout changed,
//! the old build saves its memory and the new build loads it: fields are matched by name, a field the new
//! build no longer has is skipped, a field the old build did not have keeps the value the new build's `reset`
//! gave it, and a field whose type changed is reported by name (the state is then refused rather than
//! reinterpreted). Lists fit into what the new build allocated: `reset` sized them for the current sample
//! rate, so elements beyond the new length are dropped and missing ones keep their fresh value.
//! `#[derive(DspState)]` writes all of this; nothing is written by hand.

mod format;
mod kind;
mod record;
mod values;

pub use format::{Kind, StateReader, StateWriter};
pub use record::{FieldValue, RecordWriter};

use crate::layout::StateLayout;
use overdub_abi::StateError;

/// A value of the logic's DSP memory that can move to another build of the logic: derived for the logic's
/// struct and every type inside it with `#[derive(DspState)]`.
///
/// Saving runs on the audio thread (the running build's memory is snapshotted between two blocks), so `save`
/// must not allocate; loading runs on the loader's thread, into an instance the new build created and reset.
pub trait DspState: StateLayout {
    /// Writes this value.
    fn save(&self, out: &mut StateWriter<'_>);

    /// Loads a value written by `save`, possibly by an older build: fields by name, lists into the length
    /// this value already has.
    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError>;

    /// Writes a slice of values; primitives override it to write one packed run.
    fn save_slice(items: &[Self], out: &mut StateWriter<'_>)
    where
        Self: Sized,
    {
        out.kind(Kind::Seq);
        out.u64(items.len() as u64);
        for item in items {
            item.save(out);
        }
    }

    /// Loads a slice written by [`DspState::save_slice`] into `items`, as far as both reach.
    fn load_slice(items: &mut [Self], input: &mut StateReader<'_>) -> Result<(), StateError>
    where
        Self: Sized,
    {
        match input.kind()? {
            Kind::Seq => {}
            other => return Err(format::type_changed(other, Kind::Seq)),
        }
        let count = input.count(1)?;
        for index in 0..count {
            match items.get_mut(index) {
                Some(item) => item.load(input)?,
                None => input.skip_value()?,
            }
        }
        Ok(())
    }
}

/// Writes `logic`'s DSP memory with the format's header: what a logic library's `save_state` export sends.
pub(crate) fn save_memory(logic: &impl DspState, out: &mut StateWriter<'_>) {
    out.header();
    logic.save(out);
}

/// Loads memory written by [`save_memory`] into `logic`.
pub(crate) fn load_memory(logic: &mut impl DspState, data: &[u8]) -> Result<(), StateError> {
    let mut input = StateReader::new(data);
    input.header()?;
    logic.load(&mut input)?;
    input.finish()
}

#[cfg(test)]
mod tests;
