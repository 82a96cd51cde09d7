//! The shell for release builds: the logic compiled in, called directly.

use crate::engine::{Engine, FaultRecord, HostBlock, ProcessConfig};
use crate::error::ShellError;
use crate::params::ParamSet;
use crate::shell::Shell;
use overdub::{Guarded, Identified};
use overdub_abi::{AudioBuffer, LogicInfo, ProcessStatus};

/// Runs a compiled-in logic: no loader, no watcher, no vtable. Calls are statically dispatched and inline
/// into the shell; panics are still caught (the logic shares this binary's panic runtime).
pub struct StaticShell<T: Identified> {
    engine: Engine<Box<Guarded<T>>>,
}

impl<T: Identified> StaticShell<T> {
    /// Creates the logic; fails with its message when `create` panics.
    pub fn new() -> Result<Self, ShellError> {
        let logic = Guarded::<T>::create().map_err(|fault| ShellError::Panicked {
            call: "create",
            message: match fault {
                overdub_abi::Fault::Panic(message) => message,
                overdub_abi::Fault::Probe(_) => overdub_abi::Message::from("create answered as a probe"),
            },
        })?;
        Ok(Self { engine: Engine::new(Box::new(logic))? })
    }

    /// The author's logic, for inspection in tests and tools.
    pub fn logic(&self) -> &T {
        self.engine.logic().logic()
    }

    /// The engine, for callers that need more than the [`Shell`] interface.
    pub fn engine_mut(&mut self) -> &mut Engine<Box<Guarded<T>>> {
        &mut self.engine
    }
}

impl<T: Identified> Shell for StaticShell<T> {
    fn info(&self) -> &LogicInfo {
        self.engine.info()
    }
    fn params(&self) -> &ParamSet {
        self.engine.params()
    }
    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        self.engine.set_param(id, value)
    }
    fn activate(&mut self, config: ProcessConfig) -> Result<(), ShellError> {
        self.engine.activate(config)
    }
    #[inline]
    fn process(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) -> ProcessStatus {
        self.engine.process(buffer, host)
    }
    fn save_state(&mut self) -> Result<Vec<u8>, ShellError> {
        self.engine.save_state()
    }
    fn load_state(&mut self, bytes: &[u8]) -> Result<(), ShellError> {
        self.engine.load_state(bytes)
    }
    fn latency(&mut self) -> u32 {
        self.engine.latency()
    }
    fn fault(&self) -> Option<&FaultRecord> {
        self.engine.fault()
    }
}
