//! The shell for development: runs a loaded logic library and swaps in each new build.

use crate::error::LoadError;
use crate::library::{LoadedLibrary, fault_message};
use crate::loader::{LoadOutcome, Loader};
use overdub_abi::{AudioBuffer, Event, LogicInfo, ProcessStatus, Tail, Transport};
use overdub_shell::{Engine, FaultRecord, Instance, ParamSet, Shell, ShellError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// Why a reload did not happen; the running code and all state are untouched.
#[derive(Debug, Error)]
pub enum ReloadError {
    /// The new library could not be loaded or verified.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The new logic could not be wrapped (it panicked reporting its parameters).
    #[error(transparent)]
    Shell(#[from] ShellError),
    /// The new logic panicked while being prepared.
    #[error("the new build of {path} panicked in {call}: {message}")]
    Panicked {
        /// The library path.
        path: PathBuf,
        /// The method that panicked.
        call: &'static str,
        /// The panic's message and location.
        message: overdub_abi::Message,
    },
}

/// What happened to the logic's own state across a reload.
#[derive(Clone, Debug, PartialEq)]
pub enum StateCarry {
    /// Saved from the old build and loaded into the new one.
    Migrated {
        /// Bytes carried.
        bytes: usize,
    },
    /// Not carried: the new build starts from a fresh state, for the reason given.
    Reset {
        /// Why.
        reason: String,
    },
}

/// A completed reload.
#[derive(Clone, Debug)]
pub struct Reloaded {
    /// The new library.
    pub library: Arc<LoadedLibrary>,
    /// What became of the logic's state.
    pub state: StateCarry,
    /// Whether the parameter list changed (a host must rescan it).
    pub params_changed: bool,
}

/// What [`HotShell::reload`] did.
#[derive(Clone, Debug)]
pub enum ReloadOutcome {
    /// The library file holds the running bytes: nothing to do.
    Unchanged,
    /// The new build runs.
    Reloaded(Reloaded),
}

/// Runs a logic library and replaces it with each new build, carrying parameter values and the logic's state.
pub struct HotShell {
    loader: Loader,
    library: Arc<LoadedLibrary>,
    engine: Engine<Instance>,
}

impl HotShell {
    /// Loads the library at `path` and creates the logic.
    pub fn load(path: impl Into<PathBuf>) -> Result<Self, ReloadError> {
        let mut loader = Loader::new(path);
        let library = loader.load()?;
        let instance = library.create()?;
        let engine = Engine::new(instance)?;
        Ok(Self {
            loader,
            library,
            engine,
        })
    }

    /// The running library.
    pub fn library(&self) -> &Arc<LoadedLibrary> {
        &self.library
    }

    /// The library path.
    pub fn path(&self) -> &Path {
        self.loader.path()
    }

    /// Loads the library again if its bytes changed, and swaps it in: parameter values carry over by id, the
    /// logic's state through its save/load. On any error the running build keeps running, untouched.
    pub fn reload(&mut self) -> Result<ReloadOutcome, ReloadError> {
        let library = match self.loader.load_if_changed(Some(self.library.hash()))? {
            LoadOutcome::Unchanged => return Ok(ReloadOutcome::Unchanged),
            LoadOutcome::Loaded(library) => library,
        };
        let path = self.loader.path();
        let panicked = |call| {
            move |fault| ReloadError::Panicked {
                path: path.to_owned(),
                call,
                message: fault_message(fault),
            }
        };
        let mut instance = library.create()?;
        let info = instance.info().map_err(panicked("info"))?;
        if let Some(config) = self.engine.config() {
            instance
                .reset(config.sample_rate, config.max_block)
                .map_err(panicked("reset"))?;
        }
        let state = match self.engine.save_logic_state() {
            Err(error) => StateCarry::Reset {
                reason: error.to_string(),
            },
            Ok(bytes) => match instance
                .load_state(&bytes)
                .map_err(panicked("load_state"))?
            {
                Ok(()) => StateCarry::Migrated { bytes: bytes.len() },
                Err(refused) => StateCarry::Reset {
                    reason: format!("the new build refused the old state: {refused}"),
                },
            },
        };
        let (params, params_changed) = self.engine.params().carried_to(info.params);
        drop(self.engine.replace_logic(instance, info, params));
        self.library = Arc::clone(&library);
        Ok(ReloadOutcome::Reloaded(Reloaded {
            library,
            state,
            params_changed,
        }))
    }

    /// The engine, for callers that need more than the [`Shell`] interface.
    pub fn engine_mut(&mut self) -> &mut Engine<Instance> {
        &mut self.engine
    }
}

impl Shell for HotShell {
    fn info(&self) -> &LogicInfo {
        self.engine.info()
    }
    fn params(&self) -> &ParamSet {
        self.engine.params()
    }
    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        self.engine.set_param(id, value)
    }
    fn activate(&mut self, sample_rate: f64, max_block: usize) -> Result<(), ShellError> {
        self.engine.activate(sample_rate, max_block)
    }
    fn process(
        &mut self,
        buffer: &mut AudioBuffer<'_>,
        events: &[Event],
        transport: Option<&Transport>,
    ) -> ProcessStatus {
        self.engine.process(buffer, events, transport)
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
    fn tail(&mut self) -> Tail {
        self.engine.tail()
    }
    fn fault(&self) -> Option<&FaultRecord> {
        self.engine.fault()
    }
}
