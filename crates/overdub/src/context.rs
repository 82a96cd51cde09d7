//! What `process` gets: the host's audio and events with the logic's parameters, typed.

use overdub_abi::{AudioBuffer, Display, Event, Transport};

/// One block (or window of one, between two parameter changes) for [`crate::PluginLogic::process`].
///
/// The fields are separate borrows, so a loop over `ctx.buffer.frames_mut()` can advance
/// `ctx.params.gain.next()` at each frame.
#[derive(Debug)]
pub struct Process<'a, P> {
    /// The host's audio: `frames_mut()` frame by frame, `in_place(channel)` channel by channel.
    pub buffer: AudioBuffer<'a>,
    /// Events in this window, sorted by time (offsets from its first sample).
    pub events: &'a [Event],
    /// The parameters, with the values in force for this window.
    pub params: &'a mut P,
    /// The host's timeline, when the host provides one.
    pub transport: Option<&'a Transport>,
    /// Samples per second.
    pub sample_rate: f64,
    /// Samples processed since activation, at this window's first sample.
    pub sample_position: u64,
    /// Meters and a scope for the editor: `display.set_meter(0, peak)`, `display.push_scope(samples)`.
    /// Lock-free and allocation-free; the shell owns it, so it survives every reload.
    pub display: &'a Display,
}
