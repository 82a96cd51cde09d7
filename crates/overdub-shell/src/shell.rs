//! The interface a format wrapper or host drives, whether the logic is compiled in or hot-loaded.

use crate::engine::{FaultRecord, HostBlock, ProcessConfig};
use crate::error::ShellError;
use crate::params::ParamSet;
use overdub_abi::{AudioBuffer, LogicInfo, ProcessStatus};

/// A running plugin logic with its parameters and state, ready to process audio.
///
/// [`crate::StaticShell`] calls a compiled-in logic directly; the loader's `HotShell` runs a loaded library and
/// replaces it when it is rebuilt. A format wrapper is written once against this trait.
pub trait Shell: Send {
    /// The running logic's identity and parameter list (it can change when a hot shell reloads).
    fn info(&self) -> &LogicInfo;
    /// Parameter list and current values.
    fn params(&self) -> &ParamSet;
    /// Sets a parameter between blocks (a user edit, a host's flush); returns the value stored. Real-time
    /// safe, so a host may call it on its audio thread.
    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError>;
    /// Prepares for processing as `config` describes. Not real-time safe.
    fn activate(&mut self, config: ProcessConfig) -> Result<(), ShellError>;
    /// Processes one block. Real-time safe. The status is the logic's (its tail included; a faulted or
    /// inactive logic is [`ProcessStatus::Normal`]).
    fn process(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) -> ProcessStatus;
    /// Parameter values and logic state, for a project file.
    fn save_state(&mut self) -> Result<Vec<u8>, ShellError>;
    /// Restores what [`Shell::save_state`] wrote; invalid bytes change nothing.
    fn load_state(&mut self, bytes: &[u8]) -> Result<(), ShellError>;
    /// Latency in samples.
    fn latency(&mut self) -> u32;
    /// The panic that faulted the running logic, if any.
    fn fault(&self) -> Option<&FaultRecord>;
}
