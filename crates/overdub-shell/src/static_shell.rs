//! The shell for release builds: the logic compiled in, called directly.

use crate::core::{ControlCore, ProcessorCore};
use crate::editor_build::EditorBuild;
use crate::engine::{Engine, FaultRecord, HostBlock, ProcessConfig};
use crate::error::ShellError;
use crate::shared::SharedParams;
use crate::shell::{Continuity, Shell, ShellProcessor, StateLoaded};
use overdub::{Guarded, Identified};
use overdub_abi::{AudioBuffer, Display, LogicInfo, ProcessStatus};

/// How a static shell holds its logic: boxed, statically dispatched.
type Logic<T> = Box<Guarded<T>>;

/// Runs a compiled-in logic: no loader, no watcher, no vtable. Calls are statically dispatched and inline
/// into the shell; panics are still caught (the logic shares this binary's panic runtime).
pub struct StaticShell<T: Identified> {
    core: ControlCore<Logic<T>>,
}

/// The audio-thread half of a [`StaticShell`].
pub struct StaticProcessor<T: Identified> {
    core: ProcessorCore<Logic<T>>,
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
        Ok(Self { core: ControlCore::new(Engine::new(Box::new(logic))?) })
    }

    /// The engine while the plugin is inactive, for callers that need more than the [`Shell`] interface.
    pub fn engine_mut(&mut self) -> Option<&mut Engine<Logic<T>>> {
        self.core.engine_mut()
    }
}

impl<T: Identified> StaticProcessor<T> {
    /// The author's logic, for inspection in tests and tools.
    pub fn logic(&mut self) -> &T {
        self.core.engine_mut().logic().logic()
    }
}

impl<T: Identified> Shell for StaticShell<T> {
    type Processor = StaticProcessor<T>;

    fn info(&self) -> &LogicInfo {
        self.core.info()
    }
    fn params(&self) -> &SharedParams {
        self.core.params()
    }
    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        self.core.set_param(id, value)
    }
    fn activate(
        &mut self,
        config: ProcessConfig,
        continuity: Continuity,
    ) -> Result<Self::Processor, ShellError> {
        Ok(StaticProcessor { core: self.core.activate(config, continuity)? })
    }
    fn deactivate(&mut self, processor: Self::Processor) {
        self.core.deactivate(processor.core);
    }
    fn save_state(&self) -> Vec<u8> {
        self.core.save_state()
    }
    fn load_state(&mut self, bytes: &[u8]) -> Result<StateLoaded, ShellError> {
        self.core.load_state(bytes)
    }
    fn latency(&self) -> u32 {
        self.core.latency()
    }
    fn take_fault(&mut self) -> Option<FaultRecord> {
        self.core.take_fault()
    }
    fn display(&self) -> &Display {
        self.core.display()
    }
    fn editor(&self) -> Option<EditorBuild> {
        T::editor().map(|entry| EditorBuild { entry, build: 0, code: None })
    }
}

impl<T: Identified> ShellProcessor for StaticProcessor<T> {
    #[inline]
    fn process(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) -> ProcessStatus {
        self.core.process(buffer, host)
    }
    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        self.core.set_param(id, value)
    }
    fn info(&self) -> &LogicInfo {
        self.core.info()
    }
    fn is_faulted(&self) -> bool {
        self.core.is_faulted()
    }
}
