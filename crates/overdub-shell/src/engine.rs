//! The processing core both shells run: parameter ownership, sample-accurate parameter changes, fault
//! handling and saved state, around any logic object.

use crate::error::ShellError;
use crate::params::ParamSet;
use crate::saved_state::SavedState;
use overdub_abi::{
    AudioBuffer, Event, EventBody, Fault, LogicInfo, LogicObject, OnFault, ParamValues, Process,
    ProcessStatus, StateSink, Tail, Transport,
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
    pub message: overdub_abi::Message,
}

impl FaultRecord {
    fn to_error(self) -> ShellError {
        ShellError::Faulted {
            call: self.call,
            message: self.message,
        }
    }
}

/// Sample rate and block size the logic was reset to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProcessConfig {
    /// Samples per second.
    pub sample_rate: f64,
    /// Largest block the host will pass.
    pub max_block: usize,
}

/// A logic object with everything the shell keeps around it.
///
/// `L` is how the logic is held: a `Box<Guarded<T>>` compiled in (static dispatch, inlined) or an
/// [`crate::Instance`] from a loaded library (one virtual call per block).
pub struct Engine<L> {
    logic: L,
    info: LogicInfo,
    params: ParamSet,
    config: Option<ProcessConfig>,
    fault: Option<FaultRecord>,
    fault_unreported: bool,
    window_events: Vec<Event>,
    position: u64,
}

struct VecSink<'a>(&'a mut Vec<u8>);

impl StateSink for VecSink<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
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
            position: 0,
        })
    }

    /// The logic as held.
    pub fn logic(&self) -> &L {
        &self.logic
    }

    /// The logic's identity and parameter list.
    pub fn info(&self) -> &LogicInfo {
        &self.info
    }

    /// Parameter list and values.
    pub fn params(&self) -> &ParamSet {
        &self.params
    }

    /// The configuration of the last successful activation.
    pub fn config(&self) -> Option<ProcessConfig> {
        self.config
    }

    /// The panic that faulted this instance, if any.
    pub fn fault(&self) -> Option<&FaultRecord> {
        self.fault.as_ref()
    }

    /// A fault not handed out before: each panic is reported once.
    pub fn take_new_fault(&mut self) -> Option<FaultRecord> {
        std::mem::take(&mut self.fault_unreported)
            .then_some(self.fault)
            .flatten()
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

    /// Resets the logic for a sample rate and largest block size. Not real-time safe.
    pub fn activate(&mut self, sample_rate: f64, max_block: usize) -> Result<(), ShellError> {
        self.ensure_healthy()?;
        self.logic
            .reset(sample_rate, max_block)
            .map_err(|fault| self.record_fault("reset", fault))?;
        self.config = Some(ProcessConfig {
            sample_rate,
            max_block,
        });
        self.position = 0;
        Ok(())
    }

    /// Sets a parameter outside processing (a host flush, a user edit); returns the value stored.
    pub fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        let index = self
            .params
            .index_of(id)
            .ok_or(ShellError::UnknownParam(id))?;
        Ok(self.params.set(index, value))
    }

    /// Processes one host block. Real-time safe: no allocation, no lock, no system call.
    ///
    /// The block is cut at every parameter change so the logic always sees the value in force at its first
    /// sample (sample-accurate automation without per-sample lookups). A panic faults the instance: this
    /// block and every later one output silence or the input, as the logic chose.
    pub fn process(
        &mut self,
        buffer: &mut AudioBuffer<'_>,
        events: &[Event],
        transport: Option<&Transport>,
    ) -> ProcessStatus {
        let frames = buffer.frames();
        let status = match self.config {
            Some(config) if self.fault.is_none() => {
                self.process_windows(buffer, events, transport, config)
            }
            _ => None,
        };
        let status = status.unwrap_or_else(|| {
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
        events: &[Event],
        transport: Option<&Transport>,
        config: ProcessConfig,
    ) -> Option<ProcessStatus> {
        let frames = buffer.frames();
        let last_sample = frames.saturating_sub(1);
        let mut start = 0;
        let mut next = 0;
        loop {
            self.window_events.clear();
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
                        let Some(index) = self.params.index_of(change.id) else {
                            continue;
                        };
                        change.index = index as u32;
                        change.value = self.params.set(index, change.value);
                        EventBody::ParamChange(change)
                    }
                    other => other,
                };
                self.window_events.push(Event {
                    time: (time - start) as u32,
                    body,
                });
            }
            let mut ctx = Process {
                buffer: buffer.window(start, end - start),
                events: &self.window_events,
                params: ParamValues::new(self.params.values()),
                transport,
                sample_rate: config.sample_rate,
                sample_position: self.position + start as u64,
            };
            match self.logic.process(&mut ctx) {
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

    /// The tail the logic reports (none while faulted).
    pub fn tail(&mut self) -> Tail {
        if self.fault.is_some() {
            return Tail::None;
        }
        self.logic.tail().unwrap_or_else(|fault| {
            self.record_fault("tail", fault);
            Tail::None
        })
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

    /// Hands logic state bytes to the logic's `load_state`.
    pub fn load_logic_state(&mut self, bytes: &[u8]) -> Result<(), ShellError> {
        self.ensure_healthy()?;
        self.logic
            .load_state(bytes)
            .map_err(|fault| self.record_fault("load_state", fault))?
            .map_err(ShellError::LogicState)
    }

    /// Parameter values and logic state in the versioned container.
    pub fn save_state(&mut self) -> Result<Vec<u8>, ShellError> {
        let logic = self.save_logic_state()?;
        let params = self
            .params
            .infos()
            .iter()
            .zip(self.params.values())
            .map(|(info, &value)| (info.id, value))
            .collect();
        Ok(SavedState {
            plugin_id: self.info.id.to_owned(),
            params,
            logic,
        }
        .encode())
    }

    /// Restores a container written by [`Engine::save_state`]. Bytes that are not a valid state for this
    /// plugin change nothing; parameters absent from the state return to their defaults.
    pub fn load_state(&mut self, bytes: &[u8]) -> Result<(), ShellError> {
        let saved = SavedState::decode(bytes, self.info.id)?;
        self.load_logic_state(&saved.logic)?;
        self.params.reset_to_defaults();
        for (id, value) in saved.params {
            if let Some(index) = self.params.index_of(id) {
                self.params.set(index, value);
            }
        }
        Ok(())
    }

    /// Puts `logic` in place of the running one, with `params` (already carried over to its parameter list);
    /// returns the old logic, to be dropped off the audio thread. Clears any fault: a new build revives.
    pub fn replace_logic(&mut self, logic: L, info: LogicInfo, params: ParamSet) -> L {
        self.info = info;
        self.params = params;
        self.fault = None;
        self.fault_unreported = false;
        std::mem::replace(&mut self.logic, logic)
    }
}

fn panicked(call: &'static str, fault: Fault) -> ShellError {
    let message = match fault {
        Fault::Panic(message) => message,
        Fault::Probe(_) => {
            overdub_abi::Message::from("answered as a vtable probe instead of running")
        }
    };
    ShellError::Panicked { call, message }
}
