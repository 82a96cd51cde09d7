//! The shell for development, main-thread half: loads a logic library, follows its rebuilds through the
//! worker, and hands out the [`HotProcessor`] that switches them in on the audio thread.

use crate::crossfade::Alignment;
use crate::error::LoadError;
use crate::events::ReloadEvent;
use crate::hot_processor::{HotProcessor, Parts};
use crate::instance::Instance;
use crate::library::LoadedLibrary;
use crate::loader::Loader;
use crate::no_logic::NoLogic;
use crate::prepare::DEFAULT_CONFIG;
use crate::protocol::{Link, RETIRE_CAPACITY};
use crate::worker::{self, Worker};
use overdub_abi::LogicInfo;
use overdub_shell::{
    AudioBlock, Continuity, ControlCore, EditorBuild, Engine, FaultRecord, ProcessConfig, SharedParams,
    Shell, ShellError, StateLoaded,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;
use thiserror::Error;

/// Why a hot shell could not start.
#[derive(Debug, Error)]
pub enum ReloadError {
    /// The library could not be loaded or verified.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The logic could not be wrapped (it panicked reporting its parameters).
    #[error(transparent)]
    Shell(#[from] ShellError),
    /// The file watch could not be set up.
    #[error("cannot watch {path} for new builds: {source}")]
    Watch {
        /// The library path.
        path: PathBuf,
        /// The watcher's error.
        source: notify::Error,
    },
}

/// How a hot shell follows its library.
#[derive(Clone)]
pub struct HotOptions {
    /// Length of the crossfade when a new build cannot keep the running state in place (zero: none).
    pub crossfade: Duration,
    /// Where to send reload events.
    pub events: Option<Sender<ReloadEvent>>,
    /// Called from the worker's thread after events were sent: a host's `request_callback`, so its main
    /// thread looks at them.
    pub wake: Option<Arc<dyn Fn() + Send + Sync>>,
    /// Start without a build when the library cannot be loaded (a project opened after `cargo clean`): the
    /// shell outputs silence, keeps the saved state it is given, and runs the first build that arrives. The
    /// reason goes to `events`.
    pub wait_for_library: bool,
}

impl Default for HotOptions {
    fn default() -> Self {
        Self { crossfade: Duration::from_millis(5), events: None, wake: None, wait_for_library: false }
    }
}

/// Shell instance numbers, for events.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Runs a logic library and replaces it with each new build, carrying parameter values and the logic's state.
///
/// Built with [`HotShell::watch`], new builds are detected, loaded, warmed up and prepared on a worker thread
/// and switched in by the [`HotProcessor`] at a block boundary without waiting, allocating or locking. Built
/// with [`HotShell::load`], it runs the one build it loaded.
pub struct HotShell {
    path: PathBuf,
    core: ControlCore<Instance>,
    link: Arc<Link>,
    /// While inactive: the build the engine runs, and the processor's parts.
    library: Option<Arc<LoadedLibrary>>,
    parts: Option<Parts>,
    worker: Option<Arc<Worker>>,
}

impl HotShell {
    /// Loads the library at `path` and creates the logic; it runs that build only.
    pub fn load(path: impl Into<PathBuf>) -> Result<Self, ReloadError> {
        let path = path.into();
        let library = Loader::new(&path).load()?;
        Self::assemble(path, Some(library), HotOptions::default())
    }

    /// Loads the library at `path` (or, with [`HotOptions::wait_for_library`], waits for one), creates the
    /// logic, and follows every new build written there from now on.
    pub fn watch(path: impl Into<PathBuf>, options: HotOptions) -> Result<Self, ReloadError> {
        let path = path.into();
        let (library, reason) = match Loader::new(&path).load() {
            Ok(library) => (Some(library), None),
            Err(error) if options.wait_for_library => (None, Some(error)),
            Err(error) => return Err(error.into()),
        };
        let mut shell = Self::assemble(path, library, options)?;
        let worker = worker::attach(&shell.path, &shell.link, shell.library.as_ref())
            .map_err(|source| ReloadError::Watch { path: shell.path.clone(), source })?;
        shell.worker = Some(worker);
        if let Some(reason) = reason {
            let path = shell.path.clone();
            shell.link.emit(match reason {
                LoadError::Missing { .. } => ReloadEvent::Removed { path },
                other => ReloadEvent::Rejected { path, reason: other.to_string() },
            });
        }
        Ok(shell)
    }

    fn assemble(
        path: PathBuf,
        library: Option<Arc<LoadedLibrary>>,
        options: HotOptions,
    ) -> Result<Self, ReloadError> {
        let engine = match &library {
            Some(library) => {
                let engine = Engine::new(library.create()?)?;
                library.remember_info(*engine.info());
                engine
            }
            None => Engine::new(Instance::built_in(Box::new(NoLogic)))?,
        };
        let core = ControlCore::new(engine);
        let (retire, retired) = rtrb::RingBuffer::new(RETIRE_CAPACITY);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let link = Arc::new(Link::new(id, library.clone(), Arc::clone(core.shared()), retired));
        {
            let mut control = link.control();
            control.events = options.events;
            control.wake = options.wake;
        }
        let config = DEFAULT_CONFIG;
        let parts = Parts {
            link: Arc::clone(&link),
            retire,
            waiting: None,
            waited: 0,
            fading: None,
            fade_started: 0,
            unretired: None,
            scratch: AudioBlock::new(config.input_channels, config.output_channels, config.max_block),
            align: Alignment::new(config.output_channels),
            crossfade: options.crossfade,
            blocks: 0,
        };
        Ok(Self { path, core, link, library, parts: Some(parts), worker: None })
    }

    /// Identifies this shell in reload events.
    pub fn id(&self) -> u64 {
        self.link.id
    }

    /// The build running, as far as this control knows (the worker's latest, while active).
    pub fn library(&self) -> Option<Arc<LoadedLibrary>> {
        self.link.control().library.clone()
    }

    /// The library path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the shell has had no build yet (the control has seen none run).
    fn waiting_for_first_build(&self) -> bool {
        self.core.info().id.is_empty()
    }

    fn wake_worker(&self) {
        if let Some(worker) = &self.worker {
            worker.wake();
        }
    }
}

impl Drop for HotShell {
    fn drop(&mut self) {
        self.link.withdraw();
    }
}

impl Shell for HotShell {
    type Processor = HotProcessor;

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
    ) -> Result<HotProcessor, ShellError> {
        let core = self.core.activate(config, continuity)?;
        let mut parts = self.parts.take().expect("an inactive shell holds its processor's parts");
        parts.configure(config);
        self.link.control().config = Some(config);
        self.link.active.store(true, Ordering::Release);
        self.wake_worker();
        Ok(HotProcessor { core, library: self.library.take(), parts })
    }
    fn deactivate(&mut self, mut processor: HotProcessor) {
        processor.end_fade();
        if let Some(waiting) = processor.parts.waiting.take()
            && !self.link.pending.is_full()
        {
            // Not switched in yet: the next activation's first block may still take it.
            drop(self.link.pending.put(waiting));
        }
        self.link.active.store(false, Ordering::Release);
        self.library = processor.library;
        self.parts = Some(processor.parts);
        self.core.deactivate(processor.core);
        if !self.waiting_for_first_build() {
            let kept = self.link.control().kept_state.take();
            if let Some(kept) = kept {
                // The first build runs now: the settings a host gave while there was none become its own.
                let _ = self.core.load_state(&kept);
            }
        }
        self.wake_worker();
    }
    fn save_state(&self) -> Vec<u8> {
        if let Some(kept) = &self.link.control().kept_state {
            return kept.clone();
        }
        self.core.save_state()
    }
    fn load_state(&mut self, bytes: &[u8]) -> Result<StateLoaded, ShellError> {
        if self.waiting_for_first_build() {
            // No build to check them against: kept as given, returned by every save, and the first build
            // starts from them.
            self.link.control().kept_state = Some(bytes.to_vec());
            return Ok(StateLoaded::default());
        }
        self.core.load_state(bytes)
    }
    fn latency(&self) -> u32 {
        self.core.latency()
    }
    fn display(&self) -> &overdub_abi::Display {
        self.core.display()
    }
    fn editor(&self) -> Option<EditorBuild> {
        let library = self.library()?;
        let entry = library.editor()?;
        Some(EditorBuild { entry, build: library.hash(), code: Some(library) })
    }
    fn take_fault(&mut self) -> Option<FaultRecord> {
        if self.worker.is_none() {
            // Nothing else takes the processor's reports.
            return self.core.take_fault();
        }
        if let Some(engine) = self.core.engine_mut()
            && let Some(fault) = engine.take_new_fault()
        {
            return Some(fault);
        }
        self.link.control().fault.take()
    }
}
