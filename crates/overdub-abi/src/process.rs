//! One call of the logic's audio processing as it crosses the boundary: what the logic receives and what it
//! reports back.

use crate::buffer::AudioBuffer;
use crate::display::Display;
use crate::events::Event;
use crate::params::ParamValues;
use crate::transport::Transport;

/// Everything the shell hands the logic library for one block (or one window of a block, between two
/// parameter changes). The library's guard turns it into the author's typed context.
#[repr(C)]
#[derive(Debug)]
pub struct ProcessBlock<'a> {
    /// The host's audio, processed in place or from inputs to outputs.
    pub buffer: AudioBuffer<'a>,
    /// Events in this window, sorted by time.
    pub events: &'a [Event],
    /// Parameter values in force for the whole window, in the logic's parameter order.
    pub params: ParamValues<'a>,
    /// The host's timeline, when the host provides one.
    pub transport: Option<&'a Transport>,
    /// Samples per second.
    pub sample_rate: f64,
    /// Samples processed since the shell was activated, at this window's first sample.
    pub sample_position: u64,
    /// Meters and scope for the editor, owned by the shell.
    pub display: &'a Display,
}

impl ProcessBlock<'static> {
    /// A block without audio, events or parameters: for calls that must pass one but carry nothing.
    pub const fn empty() -> Self {
        ProcessBlock {
            buffer: AudioBuffer::empty(),
            events: &[],
            params: ParamValues::new(&[]),
            transport: None,
            sample_rate: 0.0,
            sample_position: 0,
            display: &crate::display::DISCARDED,
        }
    }
}

/// What the logic tells the host after a block: whether to keep calling it, and for how long its output
/// rings on. This is the only way a logic reports its tail, so the value always describes the audio just
/// produced.
#[repr(C, u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcessStatus {
    /// Keep processing while there is input; the output is silent when the input is.
    Normal = 0,
    /// The output rings on for `samples` more samples after the input stops (reverb, delay).
    Tail {
        /// How long the output continues after silence.
        samples: u32,
    } = 1,
    /// Keep calling even on silence: a generator, an LFO-driven effect, a tail that may never end.
    KeepAlive = 2,
}
