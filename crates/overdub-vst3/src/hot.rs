//! Hot plugins: the logic library loaded by `overdub-loader`, watched, and swapped in by the shell itself on
//! every rebuild, exactly as in a hot CLAP plugin. VST3 has no host log and no way to ask for a main-thread
//! call, so the worker reports each reload itself as it sends it (the same lines a hot CLAP plugin logs) and
//! raises what only the main thread may act on (restarts for a changed parameter list or latency), which the
//! plugin's main-thread tick takes.

use crate::error::Vst3Error;
use crate::notices::{Notice, Notices};
use overdub_loader::{HotOptions, ReloadEvent};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

pub use overdub_loader::{HotShell, LOGIC_ENV, library_path};

/// Loads the library at `path` (or, when there is none yet, waits for it while keeping any state the host
/// gives) and follows its rebuilds, reporting them through `notices`.
pub fn watch(path: std::path::PathBuf, notices: &Arc<Notices>) -> Result<HotShell, Vst3Error> {
    let (sender, reports) = mpsc::channel();
    // Only the worker calls the wake-up, so the lock is never contended; it makes the receiver shareable.
    let reports = Mutex::new(reports);
    let wake = {
        let notices = Arc::clone(notices);
        Arc::new(move || {
            let reports = reports.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            while let Ok(event) = reports.try_recv() {
                report(&event, &notices);
            }
        }) as Arc<dyn Fn() + Send + Sync>
    };
    let options = HotOptions {
        events: Some(sender),
        wake: Some(wake),
        wait_for_library: true,
        ..HotOptions::default()
    };
    let shell =
        HotShell::watch(&path, options).map_err(|source| Vst3Error::Load { path: path.clone(), source })?;
    notices.log(&overdub_loader::following_line(&path, shell.library().is_some()));
    Ok(shell)
}

/// Reports one reload event and raises what the main thread must act on.
fn report(event: &ReloadEvent, notices: &Notices) {
    if let Some((_, line)) = overdub_loader::report_line(event) {
        notices.log(&line);
    }
    if let ReloadEvent::Swapped { params_changed, .. } = event {
        if *params_changed {
            notices.raise(Notice::ParamsChanged);
        }
        notices.raise(Notice::LatencyMayHaveChanged);
    }
}
