//! Hot plugins: the logic library loaded by `overdub-loader`, watched, and swapped in by the shell itself on
//! every rebuild; reload reports relayed to the host (its log, and the main-thread notices for parameter
//! rescans and latency changes).

use crate::error::ClapError;
use crate::notices::{Notice, Notices};
use clack_extensions::log::LogSeverity;
use overdub_abi::{AudioBuffer, LogicInfo, ProcessStatus};
use overdub_loader::{HotOptions, HotShell, ReloadEvent, StateOutcome};
use overdub_shell::{FaultRecord, HostBlock, ParamSet, ProcessConfig, Shell, ShellError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

/// The environment variable that points every hot overdub plugin in a process at a logic library, overriding
/// the path recorded at build time.
pub const LOGIC_ENV: &str = "OVERDUB_LOGIC";

/// How often the relay thread checks whether its plugin is gone.
const RELAY_POLL: Duration = Duration::from_millis(20);

/// The library a hot plugin loads: `OVERDUB_LOGIC` when set, else `recorded` (the build script's path).
pub fn library_path(recorded: &str) -> PathBuf {
    std::env::var_os(LOGIC_ENV).map_or_else(|| PathBuf::from(recorded), PathBuf::from)
}

/// A [`HotShell`] following its library, with the thread that relays its reload events to the host.
pub struct HotPluginShell {
    shell: HotShell,
    stop: Arc<AtomicBool>,
    relay: Option<JoinHandle<()>>,
}

impl HotPluginShell {
    /// Loads the library at `path` and follows its rebuilds, reporting them through `notices`.
    pub fn watch(path: PathBuf, notices: &Arc<Notices>) -> Result<Self, ClapError> {
        let (sender, receiver) = mpsc::channel();
        let options = HotOptions { events: Some(sender), ..HotOptions::default() };
        let shell = match HotShell::watch(&path, options) {
            Ok(shell) => shell,
            Err(source) => return Err(ClapError::Load { path, source }),
        };
        notices.log(LogSeverity::Info, &format!("overdub: running {} (hot)", path.display()));
        let stop = Arc::new(AtomicBool::new(false));
        let relay = std::thread::Builder::new()
            .name("overdub-clap-relay".into())
            .spawn({
                let (notices, stop) = (Arc::clone(notices), Arc::clone(&stop));
                move || relay(&receiver, &notices, &stop)
            })
            .map_err(|source| ClapError::ReportThread { path, source })?;
        Ok(Self { shell, stop, relay: Some(relay) })
    }
}

impl Drop for HotPluginShell {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(relay) = self.relay.take() {
            let _ = relay.join();
        }
    }
}

fn relay(events: &Receiver<ReloadEvent>, notices: &Notices, stop: &AtomicBool) {
    while !stop.load(Ordering::Acquire) {
        match events.recv_timeout(RELAY_POLL) {
            Ok(event) => report(&event, notices),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Logs one reload event and raises what the main thread must act on. Faults are reported by the audio
/// thread's fault notice instead, once per fault.
fn report(event: &ReloadEvent, notices: &Notices) {
    match event {
        ReloadEvent::Swapped { timings, state, params_changed, .. } => {
            let state = match state {
                StateOutcome::Kept => "state kept".to_owned(),
                StateOutcome::Migrated { bytes } => format!("state migrated ({bytes} bytes)"),
                StateOutcome::Reset { reason } => format!("state reset: {reason}"),
            };
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            notices.log(
                LogSeverity::Info,
                &format!(
                    "overdub: new build running after {:.1} ms (settle {:.2} · load {:.2} · prepare {:.2} · \
                     swap {:.2} ms), {state}",
                    ms(timings.total()),
                    ms(timings.settle),
                    ms(timings.load),
                    ms(timings.prepare),
                    ms(timings.swap)
                ),
            );
            if *params_changed {
                notices.raise(Notice::ParamsChanged);
            }
            notices.raise(Notice::LatencyMayHaveChanged);
        }
        ReloadEvent::Rejected { path, reason } => {
            notices
                .log(LogSeverity::Warning, &format!("overdub: build {} rejected: {reason}", path.display()));
        }
        ReloadEvent::Removed { path } => notices.log(
            LogSeverity::Warning,
            &format!("overdub: {} was deleted; the running build keeps playing", path.display()),
        ),
        ReloadEvent::RolledBack { reason, .. } => {
            notices.log(LogSeverity::Warning, &format!("overdub: {reason}; the previous build runs again"));
        }
        ReloadEvent::Allocated { count, .. } => {
            notices.log(
                LogSeverity::Warning,
                &format!("overdub: the logic's process() allocated {count} times"),
            );
        }
        _ => {}
    }
}

impl Shell for HotPluginShell {
    fn info(&self) -> &LogicInfo {
        self.shell.info()
    }
    fn params(&self) -> &ParamSet {
        self.shell.params()
    }
    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        self.shell.set_param(id, value)
    }
    fn activate(&mut self, config: ProcessConfig) -> Result<(), ShellError> {
        self.shell.activate(config)
    }
    fn process(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) -> ProcessStatus {
        self.shell.process(buffer, host)
    }
    fn save_state(&mut self) -> Result<Vec<u8>, ShellError> {
        self.shell.save_state()
    }
    fn load_state(&mut self, bytes: &[u8]) -> Result<(), ShellError> {
        self.shell.load_state(bytes)
    }
    fn latency(&mut self) -> u32 {
        self.shell.latency()
    }
    fn fault(&self) -> Option<&FaultRecord> {
        self.shell.fault()
    }
}
