//! The plugin's main-thread side: the shell's control, activation bookkeeping, and the notices raised by other
//! threads turned into the host calls VST3 allows only on the main thread (`restartComponent`). Nothing here
//! waits for the audio thread: the control shares only lock-free structures with the processor.
//!
//! VST3 gives a plugin no way to ask for a main-thread call; on Linux the host's run loop does, where the
//! host offers one (through the context it initializes the plugin with, its component handler, or the
//! factory's host context): a timer calls [`MainThread::tick`] there. The consequences of a reload, in VST3's
//! terms:
//! - a new build with another parameter list, while active: `restartComponent(kReloadComponent)`, once per
//!   activation; when the host has deactivated the plugin (whether it reloads it, as the flag asks, or only
//!   restarts it, as many hosts do) the control serves the new list, and the next tick sends
//!   `kParamTitlesChanged | kParamValuesChanged` so the host reads it;
//! - a new build with another latency, while active: `restartComponent(kLatencyChanged)`; the host
//!   deactivates, reactivates and reads the new latency;
//! - a project whose values differ from the running ones: `kParamValuesChanged`.
//!
//! A restart the plugin asked for keeps the logic's memory (the delay's echoes ring on through it).

use crate::export::Export;
use crate::notices::Notice;
use crate::plugin::Shared;
use crate::processor::ShellProcessorOf;
use overdub_shell::{Continuity, ProcessConfig, Shell, ShellError};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use vst3::Steinberg::FUnknown;
use vst3::Steinberg::Vst::RestartFlags_::{
    kLatencyChanged, kParamTitlesChanged, kParamValuesChanged, kReloadComponent,
};
use vst3::Steinberg::Vst::{IComponentHandler, IComponentHandlerTrait};
use vst3::{ComPtr, ComRef};

/// The restart flags that make a host deactivate the plugin.
const RESTARTS: i32 = kReloadComponent | kLatencyChanged;

/// How often the tick runs: often enough that a restart a reload needs follows it within a frame of a GUI.
#[cfg(target_os = "linux")]
const TICK_MS: u64 = 20;

/// Until the host sets up processing: a common rate and block size.
const DEFAULT_SETUP: (f64, usize) = (44_100.0, 1024);

/// Main-thread state of one plugin instance.
pub(crate) struct MainThread<E: Export> {
    control: Mutex<Control<E>>,
    shared: Arc<Shared>,
    /// The running logic's latency as the control last saw it, for a host asking from any thread.
    latency: AtomicU32,
    /// The latency the host was last told (at activation, or when it asked).
    told: AtomicU32,
    /// This, for the run loop's timer, which must not keep the instance alive.
    me: Weak<Self>,
}

/// What only the main thread touches. Locked for the length of one call into it, never across a call into
/// the host (which may call the plugin back, as a host restarting it inside `restartComponent` does).
struct Control<E: Export> {
    shell: E::Shell,
    setup: (f64, usize),
    handler: Option<ComPtr<IComponentHandler>>,
    #[cfg(target_os = "linux")]
    timer: Option<crate::run_loop::Timer>,
    /// `initialize` calls not yet matched by `terminate` (a host may initialize the one object both as the
    /// component and as the controller).
    initialized: u32,
    active: bool,
    /// A restart was asked for in this activation.
    restart_requested: bool,
    /// The deactivation and activation under way are the restart this plugin asked for.
    restarting_for_us: bool,
    /// Restart flags for the next tick.
    pending: i32,
}

impl<E: Export> Control<E> {
    /// Asks the host (at the next tick) for a restart, once per activation: the changes that wait for it
    /// happen in [`MainThread::deactivate`] and [`MainThread::activate`], and the logic keeps its memory.
    fn request_restart(&mut self, flag: i32) {
        if !self.restart_requested || self.pending & RESTARTS != 0 {
            self.pending |= flag;
            self.restart_requested = true;
            self.restarting_for_us = true;
        }
    }
}

impl<E: Export> MainThread<E> {
    pub(crate) fn new(shell: E::Shell, shared: Arc<Shared>) -> Arc<Self> {
        let latency = shell.latency();
        Arc::new_cyclic(|me| Self {
            control: Mutex::new(Control {
                shell,
                setup: DEFAULT_SETUP,
                handler: None,
                #[cfg(target_os = "linux")]
                timer: None,
                initialized: 0,
                active: false,
                restart_requested: false,
                restarting_for_us: false,
                pending: 0,
            }),
            shared,
            latency: AtomicU32::new(latency),
            told: AtomicU32::new(latency),
            me: me.clone(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Control<E>> {
        self.control.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the shell's control.
    pub(crate) fn with_shell<R>(&self, f: impl FnOnce(&mut E::Shell) -> R) -> R {
        f(&mut self.lock().shell)
    }

    pub(crate) fn initialized(&self) {
        self.lock().initialized += 1;
    }

    /// The host is done with the instance: the timer stops and the host's objects are let go.
    pub(crate) fn terminated(&self) {
        let mut control = self.lock();
        control.initialized = control.initialized.saturating_sub(1);
        if control.initialized == 0 {
            #[cfg(target_os = "linux")]
            {
                control.timer = None;
            }
            control.handler = None;
        }
    }

    /// Looks for the host's run loop behind `context` and, the first time one is found, runs the tick on it.
    pub(crate) fn offer_run_loop(&self, context: ComRef<'_, FUnknown>) {
        #[cfg(target_os = "linux")]
        {
            let mut control = self.lock();
            if control.timer.is_none()
                && let Some(run_loop) = context.cast::<vst3::Steinberg::Linux::IRunLoop>()
            {
                let me = self.me.clone();
                control.timer = crate::run_loop::Timer::start(run_loop, TICK_MS, move || {
                    if let Some(main) = me.upgrade() {
                        main.tick();
                    }
                });
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = context;
    }

    /// The host's component handler, for restart requests.
    pub(crate) fn set_handler(&self, handler: Option<ComPtr<IComponentHandler>>) {
        if let Some(handler) = &handler
            && let Some(unknown) = handler.cast::<FUnknown>()
        {
            self.offer_run_loop(unknown.as_com_ref());
        }
        self.lock().handler = handler;
    }

    /// The host's component handler, for the editor's edits (called with no lock of ours held).
    pub(crate) fn handler(&self) -> Option<ComPtr<IComponentHandler>> {
        self.lock().handler.clone()
    }

    /// Reports one line (the editor's notes among them).
    pub(crate) fn log(&self, line: &str) {
        self.shared.notices.log(line);
    }

    /// The rate and largest block the host will process with.
    pub(crate) fn setup(&self, sample_rate: f64, max_block: usize) {
        self.lock().setup = (sample_rate, max_block.max(1));
    }

    /// Activates the shell and hands out its processor. A restart this plugin asked for keeps the logic's
    /// memory.
    pub(crate) fn activate(&self) -> Result<ShellProcessorOf<E>, ShellError> {
        let mut control = self.lock();
        let continuity =
            if std::mem::take(&mut control.restarting_for_us) { Continuity::Keep } else { Continuity::Reset };
        let (sample_rate, max_block) = control.setup;
        let layout = E::DESCRIPTION.audio;
        let config = ProcessConfig {
            sample_rate,
            max_block,
            input_channels: layout.inputs as usize,
            output_channels: layout.outputs as usize,
        };
        let processor = control.shell.activate(config, continuity)?;
        let latency = control.shell.latency();
        self.latency.store(latency, Ordering::Release);
        self.told.store(latency, Ordering::Release);
        control.active = true;
        control.restart_requested = false;
        Ok(processor)
    }

    /// Takes the processor back. A parameter list a reload changed shows now: the next tick tells the host.
    pub(crate) fn deactivate(&self, processor: ShellProcessorOf<E>) {
        let mut control = self.lock();
        let before = control.shell.params().infos().to_vec();
        control.shell.deactivate(processor);
        if control.shell.params().infos() != before.as_slice() {
            control.pending |= kParamTitlesChanged | kParamValuesChanged;
        }
        control.active = false;
        self.latency.store(control.shell.latency(), Ordering::Release);
    }

    /// The plugin's settings, for a project.
    pub(crate) fn save_state(&self) -> Vec<u8> {
        self.lock().shell.save_state()
    }

    /// Loads a project's settings; `false` (with the reason reported) when the bytes are refused, which
    /// changes nothing.
    pub(crate) fn load_state(&self, bytes: &[u8]) -> bool {
        let mut control = self.lock();
        match control.shell.load_state(bytes) {
            Ok(loaded) => {
                if loaded.changed {
                    control.pending |= kParamValuesChanged;
                }
                drop(control);
                if loaded.dropped_memory > 0 {
                    self.shared.notices.log(&format!(
                        "overdub: this project was saved by an earlier overdub with the plugin's DSP memory in \
                         it ({} bytes); its parameter values are restored, the memory was dropped (projects \
                         now hold settings only)",
                        loaded.dropped_memory
                    ));
                }
                true
            }
            Err(error) => {
                drop(control);
                self.shared.notices.log(&format!("overdub: refused the state the host gave: {error}"));
                false
            }
        }
    }

    /// The latency for a host asking (from any thread): remembered as what the host knows.
    pub(crate) fn latency_for_host(&self) -> u32 {
        let latency = self.latency.load(Ordering::Acquire);
        self.told.store(latency, Ordering::Release);
        latency
    }

    /// The main thread's turn: reports faults and audio-thread allocations, and asks the host for what the
    /// notices call for (see the module docs). Runs on the host's run loop.
    pub(crate) fn tick(&self) {
        let notices = &self.shared.notices;
        let mut lines = Vec::new();
        let (flags, handler) = {
            let mut control = self.lock();
            if let Some(fault) = control.shell.take_fault() {
                lines.push(format!("overdub: {} panicked: {}", fault.call, fault.message));
            }
            notices.take(Notice::Faulted);
            if notices.take(Notice::Allocated) {
                let count = self.shared.allocations.load(Ordering::Relaxed);
                lines.push(format!("overdub: the plugin allocated {count} times on the audio thread"));
            }
            if notices.take(Notice::ParamsChanged) {
                if control.active {
                    control.request_restart(kReloadComponent);
                } else {
                    control.pending |= kParamTitlesChanged | kParamValuesChanged;
                }
            }
            let latency = control.shell.latency();
            self.latency.store(latency, Ordering::Release);
            if notices.take(Notice::LatencyMayHaveChanged)
                && control.active
                && self.told.load(Ordering::Acquire) != latency
            {
                control.request_restart(kLatencyChanged);
            }
            match control.handler.clone() {
                Some(handler) if control.pending != 0 => {
                    (std::mem::take(&mut control.pending), Some(handler))
                }
                _ => (0, None),
            }
        };
        for line in lines {
            notices.log(&line);
        }
        if let Some(handler) = handler {
            // SAFETY: the handler is the host's, kept alive by this reference; VST3 allows this call on the
            // main thread, where the tick runs, and no lock of ours is held across it.
            unsafe { handler.restartComponent(flags) };
        }
    }
}
