//! The processing core both shells run: parameter ownership, sample-accurate parameter changes, held notes,
//! fault handling and saved state, around any logic object.

use crate::error::ShellError;
use crate::held::{HELD_NOTES, HeldNotes};
use crate::params::ParamSet;
use overdub_abi::{
    AudioBuffer, Display, Event, EventBody, Fault, LogicInfo, LogicObject, Message, OnFault, ParamValues,
    ProcessBlock, ProcessStatus, StateSink, Transport,
};
use std::ops::DerefMut;

/// Events one processing window holds; a block with more is split further (no event is lost).
pub const EVENTS_PER_WINDOW: usize = 1024;

/// A panic the logic raised, and in which call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FaultRecord {
    /// The logic method that panicked.
    pub call: &'static str,
    /// The panic's message and location.
    pub message: Message,
}

impl FaultRecord {
    fn to_error(self) -> ShellError {
        ShellError::Faulted { call: self.call, message: self.message }
    }
}

/// How the host will run the plugin: fixed between activation and deactivation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProcessConfig {
    /// Samples per second.
    pub sample_rate: f64,
    /// Largest block the host will pass.
    pub max_block: usize,
    /// Input channels the host will pass.
    pub input_channels: usize,
    /// Output channels the host will pass.
    pub output_channels: usize,
}

impl ProcessConfig {
    /// Two inputs and two outputs, the common case for effects.
    pub fn stereo(sample_rate: f64, max_block: usize) -> Self {
        Self { sample_rate, max_block, input_channels: 2, output_channels: 2 }
    }
}

/// What the host supplies with one block besides the audio.
#[derive(Clone, Copy, Debug, Default)]
pub struct HostBlock<'a> {
    /// Events in the block, sorted by time.
    pub events: &'a [Event],
    /// The host's timeline, when it has one.
    pub transport: Option<&'a Transport>,
    /// The host's steady sample counter at the block's first sample, shared by all plugin instances of a
    /// host where it has one: lets every instance switch builds in the same cycle.
    pub steady_time: Option<u64>,
    /// Where the logic's meters and scope go: the shell's channel to the editor (none: discarded).
    pub display: Option<&'a Display>,
}

impl<'a> HostBlock<'a> {
    /// A block with these events and nothing else.
    pub fn events(events: &'a [Event]) -> Self {
        Self { events, ..Self::default() }
    }
}

/// A logic object with everything the shell keeps around it.
///
/// `L` is how the logic is held: a `Box<Guarded<T>>` compiled in (static dispatch, inlined) or a loaded
/// library's instance (one virtual call per block).
pub struct Engine<L> {
    logic: L,
    info: LogicInfo,
    params: ParamSet,
    config: Option<ProcessConfig>,
    fault: Option<FaultRecord>,
    fault_unreported: bool,
    window_events: Vec<Event>,
    injected: Vec<Event>,
    held: HeldNotes,
    position: u64,
}

struct VecSink<'a>(&'a mut Vec<u8>);

impl StateSink for VecSink<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}

/// Writes only within the vector's capacity (no allocation), counting what did not fit.
struct BoundedSink<'a> {
    bytes: &'a mut Vec<u8>,
    needed: usize,
}

impl StateSink for BoundedSink<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.needed += bytes.len();
        if self.needed <= self.bytes.capacity() {
            self.bytes.extend_from_slice(bytes);
        }
    }
}

impl<L> Engine<L>
where
    L: DerefMut,
    L::Target: LogicObject,
{
    /// Wraps a freshly created logic, its parameters at their defaults.
    pub fn new(mut logic: L) -> Result<Self, ShellError> {
        let info = logic.info().map_err(|fault| panicked("info", fault))?;
        Ok(Self {
            logic,
            info,
            params: ParamSet::new(info.params),
            config: None,
            fault: None,
            fault_unreported: false,
            window_events: Vec::with_capacity(EVENTS_PER_WINDOW),
            injected: Vec::with_capacity(HELD_NOTES),
            held: HeldNotes::default(),
            position: 0,
        })
    }

    /// The logic as held.
    pub fn logic(&self) -> &L {
        &self.logic
    }

    /// The logic as held, for a shell that replaces its code.
    pub fn logic_mut(&mut self) -> &mut L {
        &mut self.logic
    }

    /// The logic's identity and parameter list.
    pub fn info(&self) -> &LogicInfo {
        &self.info
    }

    /// Parameter list and values.
    pub fn params(&self) -> &ParamSet {
        &self.params
    }

    /// Parameter list and values, for the shell that owns them.
    pub fn params_mut(&mut self) -> &mut ParamSet {
        &mut self.params
    }

    /// The configuration of the last successful activation.
    pub fn config(&self) -> Option<ProcessConfig> {
        self.config
    }

    /// Notes held down now.
    pub fn held_notes(&self) -> &HeldNotes {
        &self.held
    }

    /// The panic that faulted this instance, if any.
    pub fn fault(&self) -> Option<&FaultRecord> {
        self.fault.as_ref()
    }

    /// A fault not handed out before: each panic is reported once.
    pub fn take_new_fault(&mut self) -> Option<FaultRecord> {
        std::mem::take(&mut self.fault_unreported).then_some(self.fault).flatten()
    }

    fn record_fault(&mut self, call: &'static str, fault: Fault) -> ShellError {
        let error = panicked(call, fault);
        if let ShellError::Panicked { call, message } = error {
            self.fault = Some(FaultRecord { call, message });
            self.fault_unreported = true;
        }
        error
    }

    fn ensure_healthy(&self) -> Result<(), ShellError> {
        self.fault.map_or(Ok(()), |f| Err(f.to_error()))
    }

    /// Resets the logic for how the host will run it. Not real-time safe.
    pub fn activate(&mut self, config: ProcessConfig) -> Result<(), ShellError> {
        self.ensure_healthy()?;
        self.logic
            .reset(config.sample_rate, config.max_block)
            .map_err(|fault| self.record_fault("reset", fault))?;
        self.config = Some(config);
        self.position = 0;
        self.held.clear();
        Ok(())
    }

    /// Sets a parameter outside processing (a host flush, a user edit); returns the value stored.
    pub fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        self.params.set_by_id(id, value).map(|(_, stored)| stored).ok_or(ShellError::UnknownParam(id))
    }

    /// Processes one host block. Real-time safe: no allocation, no lock, no system call.
    ///
    /// The block is cut at every parameter change so the logic always sees the value in force at its first
    /// sample (sample-accurate automation without per-sample lookups). A panic faults the instance: this
    /// block and every later one output silence or the input, as the logic chose.
    pub fn process(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) -> ProcessStatus {
        let frames = buffer.frames();
        let status = match self.config {
            Some(config) if self.fault.is_none() => self.process_windows(buffer, host, config),
            _ => None,
        };
        let status = status.unwrap_or_else(|| {
            self.apply_param_events(host.events);
            self.output_fallback(buffer);
            ProcessStatus::Normal
        });
        self.position += frames as u64;
        status
    }

    /// Runs the logic over the block, window by window; `None` when it panicked.
    fn process_windows(
        &mut self,
        buffer: &mut AudioBuffer<'_>,
        host: &HostBlock<'_>,
        config: ProcessConfig,
    ) -> Option<ProcessStatus> {
        let events = host.events;
        let frames = buffer.frames();
        let last_sample = frames.saturating_sub(1);
        let mut start = 0;
        let mut next = 0;
        loop {
            self.window_events.clear();
            if start == 0 {
                self.window_events.append(&mut self.injected);
            }
            let mut end = frames;
            while let Some(event) = events.get(next) {
                let time = (event.time as usize).clamp(start, last_sample.max(start));
                let is_param = matches!(event.body, EventBody::ParamChange(_));
                if (is_param && time > start) || self.window_events.len() == EVENTS_PER_WINDOW {
                    end = time.max(start + 1).min(frames);
                    break;
                }
                next += 1;
                let body = match event.body {
                    EventBody::ParamChange(mut change) => {
                        let Some((index, stored)) = self.params.set_by_id(change.id, change.value) else {
                            continue;
                        };
                        change.index = index as u32;
                        change.value = stored;
                        EventBody::ParamChange(change)
                    }
                    other => other,
                };
                let event = Event { time: (time - start) as u32, body };
                self.held.observe(&event);
                self.window_events.push(event);
            }
            let mut block = ProcessBlock {
                buffer: buffer.window(start, end - start),
                events: &self.window_events,
                params: ParamValues::new(self.params.values()),
                transport: host.transport,
                sample_rate: config.sample_rate,
                sample_position: self.position + start as u64,
                display: host.display.unwrap_or(&overdub_abi::display::DISCARDED),
            };
            match self.logic.process(&mut block) {
                Err(fault) => {
                    self.record_fault("process", fault);
                    return None;
                }
                Ok(status) => {
                    start = end;
                    if start >= frames && next >= events.len() {
                        return Some(status);
                    }
                }
            }
        }
    }

    /// Keeps parameter values current while the logic cannot run (faulted or inactive), so the build that
    /// revives it starts from what the host last sent.
    fn apply_param_events(&mut self, events: &[Event]) {
        for event in events {
            if let EventBody::ParamChange(change) = event.body {
                self.params.set_by_id(change.id, change.value);
            }
        }
    }

    fn output_fallback(&self, buffer: &mut AudioBuffer<'_>) {
        for channel in 0..buffer.output_channels() {
            match self.info.on_fault {
                OnFault::PassThrough => {
                    buffer.in_place(channel);
                }
                OnFault::Silence => {
                    if let Some(out) = buffer.output(channel) {
                        out.fill(0.0);
                    }
                }
            }
        }
    }

    /// The latency the logic reports (0 while faulted).
    pub fn latency(&mut self) -> u32 {
        if self.fault.is_some() {
            return 0;
        }
        self.logic.latency().unwrap_or_else(|fault| {
            self.record_fault("latency", fault);
            0
        })
    }

    /// Allocations the logic's `process` made so far (counted in debug builds of the logic).
    pub fn logic_allocations(&mut self) -> u64 {
        self.logic.allocations().unwrap_or(0)
    }

    /// The logic's own state bytes, as its `save_state` writes them.
    pub fn save_logic_state(&mut self) -> Result<Vec<u8>, ShellError> {
        self.ensure_healthy()?;
        let mut bytes = Vec::new();
        self.logic
            .save_state(&mut VecSink(&mut bytes))
            .map_err(|fault| self.record_fault("save_state", fault))?;
        Ok(bytes)
    }

    /// Writes the logic's state into `bytes` without growing it, so it can run on the audio thread; returns
    /// the size the state needs (larger than the capacity means `bytes` holds an incomplete state).
    pub fn save_logic_state_bounded(&mut self, bytes: &mut Vec<u8>) -> Result<usize, ShellError> {
        self.ensure_healthy()?;
        bytes.clear();
        let mut sink = BoundedSink { bytes, needed: 0 };
        self.logic.save_state(&mut sink).map_err(|fault| self.record_fault("save_state", fault))?;
        Ok(sink.needed)
    }

    /// Hands logic state bytes to the logic's `load_state`.
    pub fn load_logic_state(&mut self, bytes: &[u8]) -> Result<(), ShellError> {
        self.ensure_healthy()?;
        self.logic
            .load_state(bytes)
            .map_err(|fault| self.record_fault("load_state", fault))?
            .map_err(ShellError::LogicState)
    }

    /// Switches to `next`, an engine prepared off the audio thread with a new build: afterwards `self` runs
    /// `next`'s logic, continuing this engine's sample position and parameter values (carried by id), and
    /// replays the notes held now as note-ons at the start of its first block; `next` holds the previous
    /// engine, to keep running through a crossfade and then be dropped off the audio thread. Swaps only:
    /// real-time safe.
    pub fn switch_to(&mut self, next: &mut Self) {
        std::mem::swap(self, next);
        let previous = next;
        self.position = previous.position;
        self.params.carry_values_from(&previous.params);
        self.injected.clear();
        for note in previous.held.notes() {
            self.injected.push(Event { time: 0, body: EventBody::NoteOn(*note) });
        }
    }

    /// Installs the parameter list and identity of new code running on the same logic memory (an adopted
    /// instance); the old ones end up in `info` and `params`. Values carry over by id; a fault is cleared,
    /// since the new code revives the instance. Swaps only: real-time safe.
    pub fn swap_code(&mut self, info: &mut LogicInfo, params: &mut ParamSet) {
        std::mem::swap(&mut self.info, info);
        std::mem::swap(&mut self.params, params);
        self.params.carry_values_from(params);
        self.fault = None;
        self.fault_unreported = false;
    }
}

fn panicked(call: &'static str, fault: Fault) -> ShellError {
    let message = match fault {
        Fault::Panic(message) => message,
        Fault::Probe(_) => Message::from("answered as a vtable probe instead of running"),
    };
    ShellError::Panicked { call, message }
}
