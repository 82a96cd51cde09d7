//! Things that happen on the audio or loader thread but must be told to the host from its main thread.
//!
//! A flag is raised from any thread together with the host's thread-safe `request_callback`; the host then
//! calls the plugin's `on_main_thread`, which takes the flags and calls the main-thread host functions
//! (params rescan, latency changed, restart). Messages go to the host's log, which is thread-safe.

use clack_extensions::log::{HostLog, LogSeverity};
use clack_plugin::host::HostSharedHandle;
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, Ordering};

/// A reason for the main thread to look at the plugin again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A new build replaced the parameter list.
    ParamsChanged,
    /// A new build runs: its latency may differ from what the host knows.
    LatencyMayHaveChanged,
    /// The logic panicked; the message goes to the host's log once.
    Faulted,
    /// A hot shell's worker has reports (reloads, rejections) for the main thread.
    Reports,
    /// The plugin allocated on the audio thread; the count goes to the host's log.
    Allocated,
}

/// Flags raised off the main thread, and the host handle to wake the main thread with.
pub struct Notices {
    host: HostSharedHandle<'static>,
    log: Option<HostLog>,
    params_changed: AtomicBool,
    latency: AtomicBool,
    faulted: AtomicBool,
    reports: AtomicBool,
    allocated: AtomicBool,
}

impl Notices {
    /// Notices for the plugin instance whose host is `host`.
    ///
    /// # Safety
    /// The notices must be dropped before the plugin instance is destroyed: the host handle is only valid until
    /// then. The plugin keeps them in its shared data, and every thread given a clone is joined before that
    /// data is dropped.
    pub(crate) unsafe fn new(host: HostSharedHandle<'_>) -> Self {
        // SAFETY: the caller keeps these notices, and with them the handle, inside the instance's lifetime.
        let host = unsafe { host.with_arbitrary_lifetime() };
        Self {
            log: host.get_extension::<HostLog>(),
            host,
            params_changed: AtomicBool::new(false),
            latency: AtomicBool::new(false),
            faulted: AtomicBool::new(false),
            reports: AtomicBool::new(false),
            allocated: AtomicBool::new(false),
        }
    }

    fn flag(&self, notice: Notice) -> &AtomicBool {
        match notice {
            Notice::ParamsChanged => &self.params_changed,
            Notice::LatencyMayHaveChanged => &self.latency,
            Notice::Faulted => &self.faulted,
            Notice::Reports => &self.reports,
            Notice::Allocated => &self.allocated,
        }
    }

    /// Raises `notice` and asks the host for a main-thread callback. Real-time safe: one atomic store and a
    /// host function CLAP declares thread-safe; raising an already raised notice does nothing.
    pub fn raise(&self, notice: Notice) {
        if !self.flag(notice).swap(true, Ordering::AcqRel) {
            self.host.request_callback();
        }
    }

    /// Whether `notice` was raised since the last call; clears it.
    pub fn take(&self, notice: Notice) -> bool {
        self.flag(notice).swap(false, Ordering::AcqRel)
    }

    /// Writes to the host's log when it has one, otherwise to standard error. Allocates: never call it from
    /// the audio thread.
    pub fn log(&self, severity: LogSeverity, message: &str) {
        match (self.log, CString::new(message.replace('\0', " "))) {
            (Some(log), Ok(text)) => log.log(&self.host, severity, &text),
            _ => eprintln!("overdub: {message}"),
        }
    }
}
