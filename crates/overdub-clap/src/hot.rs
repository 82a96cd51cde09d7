//! Hot plugins: the logic library loaded by `overdub-loader`, watched, and swapped in by the shell itself on
//! every rebuild. The worker wakes the host's main thread (`request_callback`) when it has reports, and the
//! main thread logs them and raises what it must act on (parameter rescans, latency); no thread of our own.

use crate::error::ClapError;
use crate::notices::{Notice, Notices};
use crate::plugin::PluginShell;
use clack_extensions::log::LogSeverity;
use overdub_abi::LogicInfo;
use overdub_loader::{HotOptions, HotProcessor, HotShell, ReloadEvent, Severity};
use overdub_shell::{
    Continuity, EditorBuild, FaultRecord, ProcessConfig, SharedParams, Shell, ShellError, StateLoaded,
};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};

pub use overdub_loader::{LOGIC_ENV, library_path};

/// A [`HotShell`] following its library, with the reports its worker sends.
pub struct HotPluginShell {
    shell: HotShell,
    reports: Receiver<ReloadEvent>,
}

impl HotPluginShell {
    /// Loads the library at `path` (or, when there is none yet, waits for it while keeping any state the
    /// host gives) and follows its rebuilds, reporting them through `notices`.
    pub fn watch(path: PathBuf, notices: &Arc<Notices>) -> Result<Self, ClapError> {
        let (sender, reports) = mpsc::channel();
        let wake = {
            let notices = Arc::clone(notices);
            Arc::new(move || notices.raise(Notice::Reports)) as Arc<dyn Fn() + Send + Sync>
        };
        let options = HotOptions {
            events: Some(sender),
            wake: Some(wake),
            wait_for_library: true,
            ..HotOptions::default()
        };
        let shell = match HotShell::watch(&path, options) {
            Ok(shell) => shell,
            Err(source) => return Err(ClapError::Load { path, source }),
        };
        notices.log(LogSeverity::Info, &overdub_loader::following_line(&path, shell.library().is_some()));
        Ok(Self { shell, reports })
    }
}

impl PluginShell for HotPluginShell {
    fn on_main_thread(&mut self, notices: &Notices) {
        while let Ok(event) = self.reports.try_recv() {
            report(&event, notices);
        }
    }
}

/// Logs one reload event and raises what the main thread must act on.
fn report(event: &ReloadEvent, notices: &Notices) {
    if let Some((severity, line)) = overdub_loader::report_line(event) {
        let severity = match severity {
            Severity::Info => LogSeverity::Info,
            Severity::Warning => LogSeverity::Warning,
            Severity::Error => LogSeverity::Error,
        };
        notices.log(severity, &line);
    }
    if let ReloadEvent::Swapped { params_changed, .. } = event {
        if *params_changed {
            notices.raise(Notice::ParamsChanged);
        }
        notices.raise(Notice::LatencyMayHaveChanged);
    }
}

impl Shell for HotPluginShell {
    type Processor = HotProcessor;

    fn info(&self) -> &LogicInfo {
        self.shell.info()
    }
    fn params(&self) -> &SharedParams {
        self.shell.params()
    }
    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        self.shell.set_param(id, value)
    }
    fn activate(
        &mut self,
        config: ProcessConfig,
        continuity: Continuity,
    ) -> Result<HotProcessor, ShellError> {
        self.shell.activate(config, continuity)
    }
    fn deactivate(&mut self, processor: HotProcessor) {
        self.shell.deactivate(processor);
    }
    fn save_state(&self) -> Vec<u8> {
        self.shell.save_state()
    }
    fn load_state(&mut self, bytes: &[u8]) -> Result<StateLoaded, ShellError> {
        self.shell.load_state(bytes)
    }
    fn latency(&self) -> u32 {
        self.shell.latency()
    }
    fn take_fault(&mut self) -> Option<FaultRecord> {
        self.shell.take_fault()
    }
    fn display(&self) -> &overdub_abi::Display {
        self.shell.display()
    }
    fn editor(&self) -> Option<EditorBuild> {
        self.shell.editor()
    }
}
