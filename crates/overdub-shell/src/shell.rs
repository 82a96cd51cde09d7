//! The interface a format wrapper or host drives, split by thread role as a host calls it: a main-thread
//! control and an audio-thread processor that share only lock-free structures, so no host call on one thread
//! can stall or silence the other.

use crate::editor_build::EditorBuild;
use crate::engine::{FaultRecord, HostBlock, ProcessConfig};
use crate::error::ShellError;
use crate::shared::SharedParams;
use overdub_abi::{AudioBuffer, Display, LogicInfo, ProcessStatus};

/// Whether an activation may keep what the logic holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Continuity {
    /// A fresh start: the logic is reset (the host activated the plugin, or changed its configuration).
    Reset,
    /// The restart the plugin itself asked for (a reload changed its parameter list or latency): with the
    /// same configuration the logic keeps its memory, so the delay's echoes and the output's continuity
    /// survive it.
    Keep,
}

/// What loading a saved project did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StateLoaded {
    /// Whether any parameter value changed (a host must rescan the values).
    pub changed: bool,
    /// Bytes of DSP memory a project from an older overdub held, which were dropped (its values loaded).
    pub dropped_memory: usize,
}

/// The main-thread half of a running plugin logic: identity, parameters, activation, the project's state
/// and reports. Its methods may block, allocate and do I/O; none of them waits on the audio thread.
///
/// [`crate::StaticShell`] calls a compiled-in logic directly; the loader's `HotShell` runs a loaded library and
/// replaces it when it is rebuilt. A format wrapper is written once against this trait.
pub trait Shell: Send + 'static {
    /// The audio-thread half, handed out by [`Shell::activate`] and handed back to [`Shell::deactivate`].
    type Processor: ShellProcessor + 'static;

    /// The running logic's identity (as of the last activation or reload the control saw).
    fn info(&self) -> &LogicInfo;
    /// The parameter list the host knows and every parameter's latest value, whichever thread set it.
    fn params(&self) -> &SharedParams;
    /// Sets a parameter from the main thread (a user edit, a host's flush while not processing); the
    /// processor takes it at its next block. Returns the value stored.
    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError>;
    /// Prepares the logic for `config` and hands out the processor that runs it.
    fn activate(
        &mut self,
        config: ProcessConfig,
        continuity: Continuity,
    ) -> Result<Self::Processor, ShellError>;
    /// Takes the processor back after the host stopped processing.
    fn deactivate(&mut self, processor: Self::Processor);
    /// The plugin's settings (parameter values), for a project file. Never touches the audio thread.
    fn save_state(&self) -> Vec<u8>;
    /// Restores settings [`Shell::save_state`] wrote (or an older overdub's); the processor takes the values at
    /// its next block. Invalid bytes change nothing.
    fn load_state(&mut self, bytes: &[u8]) -> Result<StateLoaded, ShellError>;
    /// Latency in samples, as the logic last reported it.
    fn latency(&self) -> u32;
    /// A panic of the logic not reported before; each is reported once.
    fn take_fault(&mut self) -> Option<FaultRecord>;
    /// Meters and scope the logic's `process` writes, for the editor to read (lock-free).
    fn display(&self) -> &Display;
    /// The editor of the newest build this control knows, `None` when the logic has no editor. An open
    /// window asks each frame and switches when [`EditorBuild::build`] changes.
    fn editor(&self) -> Option<EditorBuild>;
}

/// The audio-thread half: every method is real-time safe (no allocation, lock, system call or I/O).
pub trait ShellProcessor: Send {
    /// The logic running now: a hot processor's changes when it switches to a new build.
    fn info(&self) -> &LogicInfo;
    /// Processes one block. The status is the logic's (its tail included; a faulted logic is
    /// [`ProcessStatus::Normal`]).
    fn process(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) -> ProcessStatus;
    /// Sets a parameter between blocks (a host's flush on the audio thread); returns the value stored.
    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError>;
    /// Whether the logic is faulted now (it outputs silence or its input until a new build revives it).
    fn is_faulted(&self) -> bool;
}
