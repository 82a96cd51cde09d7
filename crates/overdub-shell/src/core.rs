//! The two halves every shell is built from: [`ControlCore`] on the main thread (the engine while the
//! plugin is inactive, the settings, the reports) and [`ProcessorCore`] on the audio thread (the engine while
//! active), joined only by the lock-free [`SharedParams`] and [`Shared`]. The engine moves between them at
//! activation and deactivation, which a host only does while nothing is processed.

use crate::engine::{Engine, FaultRecord, HostBlock, ProcessConfig};
use crate::error::ShellError;
use crate::interned;
use crate::saved_state::SavedState;
use crate::shared::{Shared, SharedParams};
use crate::shell::{Continuity, StateLoaded};
use overdub_abi::{AudioBuffer, LogicInfo, LogicObject, ProcessStatus};
use std::ops::DerefMut;
use std::sync::Arc;

/// The main-thread half's state. Its identity and parameter list are its own copies, never the running
/// build's strings, so they outlive any build.
pub struct ControlCore<L> {
    /// The engine, while the plugin is inactive.
    engine: Option<Engine<L>>,
    params: Arc<SharedParams>,
    shared: Arc<Shared>,
    info: LogicInfo,
    config: Option<ProcessConfig>,
}

impl<L> ControlCore<L>
where
    L: DerefMut,
    L::Target: LogicObject,
{
    /// The control of a freshly created engine.
    pub fn new(engine: Engine<L>) -> Self {
        Self {
            params: Arc::new(SharedParams::new(engine.params())),
            info: interned::info(engine.info()),
            engine: Some(engine),
            shared: Arc::default(),
            config: None,
        }
    }

    /// Identity as of the last activation or reload seen.
    pub fn info(&self) -> &LogicInfo {
        &self.info
    }

    /// The parameters the host knows, with their latest values.
    pub fn params(&self) -> &SharedParams {
        &self.params
    }

    /// What the processor shares with this control.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Meters and scope the logic writes, for the editor.
    pub fn display(&self) -> &overdub_abi::Display {
        &self.shared.display
    }

    /// The engine, while the plugin is inactive.
    pub fn engine_mut(&mut self) -> Option<&mut Engine<L>> {
        self.engine.as_mut()
    }

    /// The configuration of the last activation.
    pub fn config(&self) -> Option<ProcessConfig> {
        self.config
    }

    /// A main-thread parameter edit.
    pub fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        let stored = self.params.edit(id, value).ok_or(ShellError::UnknownParam(id))?;
        if let Some(engine) = &mut self.engine {
            self.params.take_edits(engine.params_mut());
        }
        Ok(stored)
    }

    /// Prepares the engine for `config` (keeping what the logic holds when `continuity` allows and the
    /// configuration is the one it runs with) and hands it to the processor.
    pub fn activate(
        &mut self,
        config: ProcessConfig,
        continuity: Continuity,
    ) -> Result<ProcessorCore<L>, ShellError> {
        let mut engine = self.engine.take().ok_or(ShellError::AlreadyActive)?;
        let keep = continuity == Continuity::Keep && engine.config() == Some(config);
        if !keep && let Err(error) = engine.activate(config) {
            self.engine = Some(engine);
            return Err(error);
        }
        self.params.take_edits(engine.params_mut());
        self.shared.set_latency(engine.latency());
        self.config = Some(config);
        Ok(ProcessorCore { engine, params: Arc::clone(&self.params), shared: Arc::clone(&self.shared) })
    }

    /// Takes the engine back. A reload that changed the parameter list while active shows now: the host
    /// rescans the list while the plugin is inactive.
    pub fn deactivate(&mut self, processor: ProcessorCore<L>) {
        let mut engine = processor.engine;
        self.params.publish(engine.params_mut());
        if engine.params().infos() != self.params.infos() {
            self.params = Arc::new(SharedParams::new(engine.params()));
        }
        self.info = interned::info(engine.info());
        if let Some(fault) = engine.take_new_fault() {
            self.shared.faults.post(fault);
        }
        self.engine = Some(engine);
    }

    /// The settings, for a project file: read from the shared values, never from the audio thread.
    pub fn save_state(&self) -> Vec<u8> {
        SavedState { plugin_id: self.info.id.to_owned(), params: self.params.snapshot(), dropped_memory: 0 }
            .encode()
    }

    /// Restores settings; the processor (or, while inactive, the engine now) takes the values.
    pub fn load_state(&mut self, bytes: &[u8]) -> Result<StateLoaded, ShellError> {
        let saved = SavedState::decode(bytes, self.info.id)?;
        let before = self.params.snapshot();
        self.params.replace(&saved.params);
        if let Some(engine) = &mut self.engine {
            self.params.take_edits(engine.params_mut());
        }
        Ok(StateLoaded { changed: self.params.snapshot() != before, dropped_memory: saved.dropped_memory })
    }

    /// Latency in samples, as the processor (or the last activation) published it.
    pub fn latency(&self) -> u32 {
        self.shared.latency()
    }

    /// A fault not reported before.
    pub fn take_fault(&mut self) -> Option<FaultRecord> {
        if let Some(engine) = &mut self.engine
            && let Some(fault) = engine.take_new_fault()
        {
            return Some(fault);
        }
        self.shared.faults.take()
    }
}

/// The audio-thread half's state: the engine and the shared structures.
pub struct ProcessorCore<L> {
    engine: Engine<L>,
    params: Arc<SharedParams>,
    shared: Arc<Shared>,
}

impl<L> ProcessorCore<L>
where
    L: DerefMut,
    L::Target: LogicObject,
{
    /// The engine, for a processor that replaces its code.
    pub fn engine_mut(&mut self) -> &mut Engine<L> {
        &mut self.engine
    }

    /// What the control shares with this processor.
    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    /// One block: the main thread's edits first, then the logic, then what the block changed published and a
    /// new fault posted. Real-time safe.
    #[inline]
    pub fn process(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) -> ProcessStatus {
        self.params.take_edits(self.engine.params_mut());
        let host = HostBlock { display: Some(&self.shared.display), ..*host };
        let status = self.engine.process(buffer, &host);
        self.after_block();
        status
    }

    /// Publishes what a block (or a flush) changed, and posts a new fault. Real-time safe.
    pub fn after_block(&mut self) {
        self.params.publish(self.engine.params_mut());
        if let Some(fault) = self.engine.take_new_fault() {
            self.shared.faults.post(fault);
        }
    }

    /// The logic running now.
    pub fn info(&self) -> &LogicInfo {
        self.engine.info()
    }

    /// Whether the logic is faulted now.
    pub fn is_faulted(&self) -> bool {
        self.engine.fault().is_some()
    }

    /// A parameter set on the audio thread. Real-time safe.
    pub fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        let stored = self.engine.set_param(id, value)?;
        self.params.publish(self.engine.params_mut());
        Ok(stored)
    }
}
