//! The shell for development: runs a loaded logic library and swaps in each new build.

use crate::candidate::{Candidate, Change};
use crate::crossfade::{Alignment, Crossfade, SILENCE};
use crate::error::LoadError;
use crate::events::{ReloadEvent, ReloadTimings, StateOutcome};
use crate::instance::Instance;
use crate::library::LoadedLibrary;
use crate::link::{Link, NO_TIME, RETIRE_CAPACITY, now_nanos};
use crate::loader::{LoadOutcome, Loader};
use crate::prepare::{DEFAULT_CONFIG, prepare, same_plugin, warm_up};
use crate::worker::{self, Worker};
use overdub_abi::{AudioBuffer, LogicInfo, Message, ProcessStatus};
use overdub_shell::{AudioBlock, Engine, FaultRecord, HostBlock, ParamSet, ProcessConfig, Shell, ShellError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};
use thiserror::Error;

/// Why a reload did not happen; the running code and all state are untouched.
#[derive(Debug, Error)]
pub enum ReloadError {
    /// The new library could not be loaded or verified.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The logic could not be wrapped (it panicked reporting its parameters).
    #[error(transparent)]
    Shell(#[from] ShellError),
    /// The new build loaded but failed its warm-up or state hand-over.
    #[error("the new build of {path} was rejected: {reason}")]
    Rejected {
        /// The library path.
        path: PathBuf,
        /// Why, in words a plugin author can act on.
        reason: String,
    },
    /// The file watch could not be set up.
    #[error("cannot watch {path} for new builds: {source}")]
    Watch {
        /// The library path.
        path: PathBuf,
        /// The watcher's error.
        source: notify::Error,
    },
}

/// A completed reload.
#[derive(Clone, Debug)]
pub struct Reloaded {
    /// The new library.
    pub library: Arc<LoadedLibrary>,
    /// What became of the logic's state.
    pub state: StateOutcome,
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

/// How a hot shell follows its library.
#[derive(Clone, Debug)]
pub struct HotOptions {
    /// Length of the crossfade when a new build cannot keep the running state in place (zero: none).
    pub crossfade: Duration,
    /// Where to send reload events.
    pub events: Option<Sender<ReloadEvent>>,
}

impl Default for HotOptions {
    fn default() -> Self {
        Self { crossfade: Duration::from_millis(5), events: None }
    }
}

/// Blocks a candidate may wait for its steady time before switching anyway (a host whose steady time jumped
/// back, or an instance the host stopped calling).
const MAX_WAIT_BLOCKS: u32 = 8;

/// Shell instance numbers, for events.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Runs a logic library and replaces it with each new build, carrying parameter values and the logic's state.
///
/// Built with [`HotShell::watch`], new builds are detected, loaded, warmed up and prepared on a worker thread
/// and switched in by [`Shell::process`] at a block boundary without waiting, allocating or locking. Built
/// with [`HotShell::load`], it reloads only when [`HotShell::reload`] is called.
pub struct HotShell {
    loader: Loader,
    library: Arc<LoadedLibrary>,
    engine: Engine<Instance>,
    link: Arc<Link>,
    retire: rtrb::Producer<Box<Candidate>>,
    /// A candidate taken from the slot, waiting for its steady time.
    waiting: Option<Box<Candidate>>,
    waited: u32,
    /// The previous build still sounding through a crossfade.
    fading: Option<(Box<Candidate>, Crossfade)>,
    /// A retired candidate the queue had no room for yet.
    unretired: Option<Box<Candidate>>,
    scratch: AudioBlock,
    align: Alignment,
    crossfade: Duration,
    worker: Option<Arc<Worker>>,
}

impl HotShell {
    /// Loads the library at `path` and creates the logic; reloads happen on [`HotShell::reload`].
    pub fn load(path: impl Into<PathBuf>) -> Result<Self, ReloadError> {
        Self::open(path.into(), HotOptions::default())
    }

    /// Loads the library at `path`, creates the logic, and follows every new build written there from now on.
    pub fn watch(path: impl Into<PathBuf>, options: HotOptions) -> Result<Self, ReloadError> {
        let mut shell = Self::open(path.into(), options)?;
        let worker = worker::attach(shell.loader.path(), &shell.link, &shell.library)
            .map_err(|source| ReloadError::Watch { path: shell.loader.path().to_owned(), source })?;
        shell.worker = Some(worker);
        Ok(shell)
    }

    fn open(path: PathBuf, options: HotOptions) -> Result<Self, ReloadError> {
        let mut loader = Loader::new(path);
        let library = loader.load()?;
        let engine = Engine::new(library.create()?)?;
        library.remember_info(*engine.info());
        let (retire, retired) = rtrb::RingBuffer::new(RETIRE_CAPACITY);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let link = Arc::new(Link::new(id, Arc::clone(&library), retired));
        link.control().events = options.events;
        let config = DEFAULT_CONFIG;
        Ok(Self {
            loader,
            library,
            engine,
            link,
            retire,
            waiting: None,
            waited: 0,
            fading: None,
            unretired: None,
            scratch: AudioBlock::new(config.input_channels, config.output_channels, config.max_block),
            align: Alignment::new(config.output_channels),
            crossfade: options.crossfade,
            worker: None,
        })
    }

    /// Identifies this shell in reload events.
    pub fn id(&self) -> u64 {
        self.link.id
    }

    /// The running library.
    pub fn library(&self) -> &Arc<LoadedLibrary> {
        &self.library
    }

    /// The library path.
    pub fn path(&self) -> &Path {
        self.loader.path()
    }

    /// The engine, for callers that need more than the [`Shell`] interface.
    pub fn engine_mut(&mut self) -> &mut Engine<Instance> {
        &mut self.engine
    }

    /// Loads the library again now if its bytes changed, warms the new build up and swaps it in: parameter
    /// values carry over by id, the logic's state in place or through its save/load. On any error the running
    /// build keeps running, untouched.
    pub fn reload(&mut self) -> Result<ReloadOutcome, ReloadError> {
        let started = Instant::now();
        let library = match self.loader.load_if_changed(Some(self.library.hash()))? {
            LoadOutcome::Unchanged => return Ok(ReloadOutcome::Unchanged),
            LoadOutcome::Loaded(library) => library,
        };
        let rejected = |reason| ReloadError::Rejected { path: self.loader.path().to_owned(), reason };
        let config = self.engine.config();
        let info = warm_up(&library, config.unwrap_or(DEFAULT_CONFIG))
            .and_then(|info| same_plugin(&self.library, info))
            .map_err(&rejected)?;
        let timings = ReloadTimings { load: started.elapsed(), ..ReloadTimings::default() };
        let engine = &mut self.engine;
        let mut state = || engine.save_logic_state().map_err(|e| e.to_string());
        let candidate =
            prepare(&library, info, &self.library, true, config, &mut state, timings).map_err(&rejected)?;
        self.end_fade();
        let (state, params_changed) = (candidate.state.clone(), candidate.params_changed);
        self.switch(Box::new(candidate));
        self.link.control().library = Arc::clone(&library);
        self.service();
        Ok(ReloadOutcome::Reloaded(Reloaded { library, state, params_changed }))
    }

    /// Answers the worker's request for a state snapshot, if one is waiting. Real-time safe: the state is
    /// written into the request's own buffer, never grown.
    fn answer_snapshot(&mut self) {
        let Some(mut request) = self.link.snapshot_request.take() else { return };
        request.outcome = self
            .engine
            .save_logic_state_bounded(&mut request.bytes)
            .map_err(|_| Message::from("the running build is faulted; its state cannot be saved"));
        // The worker empties the reply slot before every request, so nothing is displaced; if something were,
        // leaking it beats freeing memory on the audio thread.
        let _ = self.link.snapshot_reply.put(request).map(std::mem::forget);
    }

    /// Takes a published candidate and switches to it when its time has come. Real-time safe.
    fn take_candidate(&mut self, steady_time: Option<u64>) {
        if self.waiting.is_none() {
            self.waiting = self.link.pending.take();
            self.waited = 0;
        }
        let Some(candidate) = &self.waiting else { return };
        let due = match steady_time {
            Some(time) if candidate.swap_at != NO_TIME => time >= candidate.swap_at,
            _ => true,
        };
        // Retire room first: the switch hands back the old build.
        self.flush_unretired();
        let blocked = self.fading.is_some() || self.unretired.is_some();
        if (!due && self.waited < MAX_WAIT_BLOCKS) || blocked {
            self.waited += 1;
            return;
        }
        if let Some(candidate) = self.waiting.take() {
            self.switch(candidate);
        }
    }

    /// Switches to `candidate`: adopts the running state or replaces the engine, then hands the candidate,
    /// now holding the old build, back to the worker (after a crossfade when there is one). Real-time safe.
    fn switch(&mut self, mut candidate: Box<Candidate>) {
        candidate.swapped_at = now_nanos();
        match &mut candidate.change {
            Change::Adopt { info, params } => {
                // Checked again here: the shell may run another build than the one this was prepared against.
                if !candidate.library.can_adopt_from(&self.library) {
                    candidate.refused = true;
                    return self.retire(candidate);
                }
                // SAFETY: the running instance was made (or last adopted) by `self.library`, whose fingerprint
                // was just checked equal to the new library's and non-zero, which is `adopt_by`'s contract.
                unsafe { self.engine.logic_mut().adopt_by(candidate.library.adopt_fn()) };
                self.engine.swap_code(info, params);
            }
            Change::Replace { engine } if engine.config() != self.engine.config() => {
                // Prepared for an activation the host has since replaced: prepare it again.
                candidate.refused = true;
                return self.retire(candidate);
            }
            Change::Replace { engine } => {
                let old_latency = self.engine.latency();
                self.engine.switch_to(engine);
                candidate.crossfaded = self.crossfade_frames() > 0;
                self.align.start(old_latency, self.engine.latency());
            }
        }
        std::mem::swap(&mut self.library, &mut candidate.library);
        if candidate.crossfaded {
            let frames = self.crossfade_frames();
            self.fading = Some((candidate, Crossfade::new(frames)));
        } else {
            self.retire(candidate);
        }
    }

    fn crossfade_frames(&self) -> usize {
        self.engine.config().map_or(0, |config| (self.crossfade.as_secs_f64() * config.sample_rate) as usize)
    }

    /// Hands a finished candidate to the worker; if the queue is full, keeps it until there is room.
    fn retire(&mut self, candidate: Box<Candidate>) {
        if let Err(rtrb::PushError::Full(candidate)) = self.retire.push(candidate) {
            self.unretired = Some(candidate);
        }
    }

    fn flush_unretired(&mut self) {
        if let Some(candidate) = self.unretired.take() {
            self.retire(candidate);
        }
    }

    /// Stops a crossfade at once (a new activation or a manual reload).
    fn end_fade(&mut self) {
        if let Some((candidate, _)) = self.fading.take() {
            self.retire(candidate);
        }
    }

    /// Runs the previous build beside the new one for this block and mixes its output in. `inputs_saved`
    /// holds this block's input, copied before the new build processed in place.
    fn crossfade_block(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) {
        let Some((candidate, fade)) = &mut self.fading else { return };
        let Change::Replace { engine: old } = &mut candidate.change else { return };
        let frames = buffer.frames();
        old.process(&mut self.scratch.buffer(frames), host);
        let mut peak = 0.0f32;
        for channel in 0..buffer.output_channels().min(self.scratch.output_count()) {
            self.align.delay(channel, &mut self.scratch.output_mut(channel)[..frames]);
            let old_out = &self.scratch.output(channel)[..frames];
            if let Some(new_out) = buffer.output(channel) {
                peak = old_out.iter().chain(new_out.iter()).fold(peak, |p, s| p.max(s.abs()));
                fade.mix(new_out, old_out);
            }
        }
        fade.advance(frames);
        self.align.advance(frames);
        if peak < SILENCE {
            fade.finish();
        }
        if fade.is_done() {
            self.end_fade();
        }
    }

    /// Copies this block's input aside for the previous build during a crossfade.
    fn save_inputs(&mut self, buffer: &AudioBuffer<'_>) -> bool {
        let frames = buffer.frames();
        if self.fading.is_none() {
            return false;
        }
        if frames > self.scratch.capacity() {
            self.end_fade();
            return false;
        }
        for channel in 0..self.scratch.input_count() {
            let target = &mut self.scratch.input_mut(channel)[..frames];
            match buffer.input(channel) {
                Some(input) => target.copy_from_slice(input),
                None => target.fill(0.0),
            }
        }
        true
    }

    /// Tells the worker about a new fault and the logic's allocation count, without allocating.
    fn report(&mut self) {
        if let Some(fault) = self.engine.take_new_fault()
            && let Some(mut record) = self.link.fault_blank.take()
        {
            *record = fault;
            if self.link.fault_report.is_full() {
                let _ = self.link.fault_blank.put(record).map(std::mem::forget);
            } else {
                let _ = self.link.fault_report.put(record).map(std::mem::forget);
            }
        }
        self.link.allocations.store(self.engine.logic_allocations(), Ordering::Relaxed);
    }

    /// Non-real-time entry points answer a pending snapshot too, so a reload never waits on a shell the host
    /// has stopped processing.
    /// Without a worker, the shell drops the builds it retired itself.
    fn service(&mut self) {
        self.answer_snapshot();
        match &self.worker {
            Some(worker) => worker.wake(),
            None => {
                let mut retired = self.link.retired.lock().unwrap_or_else(PoisonError::into_inner);
                while retired.pop().is_ok() {}
            }
        }
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
        // Real-time safe (a host's parameter flush runs on the audio thread): no wake-up, no draining.
        self.answer_snapshot();
        self.engine.set_param(id, value)
    }
    fn activate(&mut self, config: ProcessConfig) -> Result<(), ShellError> {
        self.end_fade();
        self.flush_unretired();
        self.engine.activate(config)?;
        if let Some(Change::Replace { engine }) = self.waiting.as_mut().map(|c| &mut c.change) {
            engine.activate(config)?;
        }
        self.scratch = AudioBlock::new(config.input_channels, config.output_channels, config.max_block);
        self.align = Alignment::new(config.output_channels);
        self.link.control().config = Some(config);
        self.service();
        Ok(())
    }
    fn process(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) -> ProcessStatus {
        self.answer_snapshot();
        self.take_candidate(host.steady_time);
        self.link.steady_time.store(host.steady_time.unwrap_or(NO_TIME), Ordering::Release);
        let fading = self.save_inputs(buffer);
        let status = self.engine.process(buffer, host);
        if fading {
            self.crossfade_block(buffer, host);
        }
        self.report();
        status
    }
    fn save_state(&mut self) -> Result<Vec<u8>, ShellError> {
        self.service();
        self.engine.save_state()
    }
    fn load_state(&mut self, bytes: &[u8]) -> Result<(), ShellError> {
        self.service();
        self.engine.load_state(bytes)
    }
    fn latency(&mut self) -> u32 {
        self.engine.latency()
    }
    fn fault(&self) -> Option<&FaultRecord> {
        self.engine.fault()
    }
}
