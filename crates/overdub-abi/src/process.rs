//! One call of the logic's audio processing: what it receives and what it reports back.

use crate::buffer::AudioBuffer;
use crate::events::Event;
use crate::params::ParamValues;
use crate::transport::Transport;

/// Everything the logic gets for one block.
#[repr(C)]
#[derive(Debug)]
pub struct Process<'a> {
    /// The host's audio, processed in place or from inputs to outputs.
    pub buffer: AudioBuffer<'a>,
    /// Events in this block, sorted by time.
    pub events: &'a [Event],
    /// Parameter values at the first sample of this block.
    pub params: ParamValues<'a>,
    /// The host's timeline, when the host provides one.
    pub transport: Option<&'a Transport>,
    /// Samples per second.
    pub sample_rate: f64,
    /// Samples processed since the shell was activated, at this block's first sample.
    pub sample_position: u64,
}

impl Process<'static> {
    /// A block without audio, events or parameters: for calls that must pass one but carry nothing.
    pub const fn empty() -> Self {
        Process {
            buffer: AudioBuffer::empty(),
            events: &[],
            params: ParamValues::new(&[]),
            transport: None,
            sample_rate: 0.0,
            sample_position: 0,
        }
    }
}

/// What the logic tells the host after a block, so the host can stop calling it when there is nothing to do.
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
    /// Keep calling even on silence (a generator, an LFO-driven effect).
    KeepAlive = 2,
}

/// How long the logic's output continues after its input falls silent.
#[repr(C, u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tail {
    /// Output stops with the input.
    None = 0,
    /// Output continues for this many samples.
    Samples(u32) = 1,
    /// Output may never stop.
    Infinite = 2,
}
