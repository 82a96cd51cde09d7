//! Things that happen on the audio or loader thread but must be acted on from the host's main thread, and
//! where reports go.
//!
//! VST3 gives a plugin no way to ask for a main-thread call and no log: a flag is raised from any thread (one
//! atomic store) and the plugin's main-thread tick takes it (see `main_thread`); reports are lines on
//! standard error, or appended to the file `OVERDUB_VST3_LOG` names (for tools and tests, which cannot read a
//! host's standard error), written from the loader's worker and the main thread, never the audio thread.

use std::fs::File;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The environment variable naming a file a VST3 plugin appends its reports to instead of standard error; read
/// when an instance is created.
pub const LOG_ENV: &str = "OVERDUB_VST3_LOG";

/// A reason for the main thread to look at the plugin again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A new build replaced the parameter list.
    ParamsChanged,
    /// A new build runs: its latency may differ from what the host knows.
    LatencyMayHaveChanged,
    /// The logic panicked; the message is reported once.
    Faulted,
    /// The plugin allocated on the audio thread; the count is reported.
    Allocated,
}

/// Flags raised off the main thread, and where reports go.
pub struct Notices {
    params_changed: AtomicBool,
    latency: AtomicBool,
    faulted: AtomicBool,
    allocated: AtomicBool,
    /// The file reports go to, when [`LOG_ENV`] named one that could be opened.
    log_file: Option<Mutex<File>>,
}

impl Notices {
    /// Notices reporting to the file [`LOG_ENV`] names, else to standard error.
    pub fn from_env() -> Self {
        let log_file = std::env::var_os(LOG_ENV)
            .and_then(|path| File::options().create(true).append(true).open(path).ok())
            .map(Mutex::new);
        Self {
            params_changed: AtomicBool::new(false),
            latency: AtomicBool::new(false),
            faulted: AtomicBool::new(false),
            allocated: AtomicBool::new(false),
            log_file,
        }
    }

    fn flag(&self, notice: Notice) -> &AtomicBool {
        match notice {
            Notice::ParamsChanged => &self.params_changed,
            Notice::LatencyMayHaveChanged => &self.latency,
            Notice::Faulted => &self.faulted,
            Notice::Allocated => &self.allocated,
        }
    }

    /// Raises `notice` for the next main-thread tick. Real-time safe: one atomic store.
    pub fn raise(&self, notice: Notice) {
        self.flag(notice).store(true, Ordering::Release);
    }

    /// Whether `notice` was raised since the last call; clears it.
    pub fn take(&self, notice: Notice) -> bool {
        self.flag(notice).swap(false, Ordering::AcqRel)
    }

    /// Reports one line. Allocates and writes: never call it from the audio thread.
    pub fn log(&self, line: &str) {
        match &self.log_file {
            Some(file) => {
                let mut file = file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let _ = writeln!(file, "{line}");
            }
            None => eprintln!("{line}"),
        }
    }
}
