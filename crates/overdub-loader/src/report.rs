//! What a hot plugin tells its developer, whatever the format: which library it follows, and one line per
//! reload event, in the same words in a CLAP host's log and on a VST3 plugin's standard error.

use crate::events::{ReloadEvent, StateOutcome};
use std::path::PathBuf;

/// The environment variable that points every hot overdub plugin in a process at a logic library, overriding
/// the path recorded at build time.
pub const LOGIC_ENV: &str = "OVERDUB_LOGIC";

/// The library a hot plugin loads: `OVERDUB_LOGIC` when set, else `recorded` (the build script's path).
pub fn library_path(recorded: &str) -> PathBuf {
    std::env::var_os(LOGIC_ENV).map_or_else(|| PathBuf::from(recorded), PathBuf::from)
}

/// How much a report matters, for hosts whose log sorts by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Things going as they should (a new build running).
    Info,
    /// Something the developer should look at (a build rejected, allocations on the audio thread).
    Warning,
    /// The logic failed (a panic).
    Error,
}

/// A line to report about `event`, if it is one a developer reads. Faults are not among them: a plugin
/// reports those from its shell's fault record, once per fault.
pub fn report_line(event: &ReloadEvent) -> Option<(Severity, String)> {
    match event {
        ReloadEvent::Swapped { timings, state, .. } => {
            let state = match state {
                StateOutcome::Kept => "state kept".to_owned(),
                StateOutcome::Migrated { bytes } => format!("state migrated ({bytes} bytes)"),
                StateOutcome::Reset { reason } => format!("state reset: {reason}"),
            };
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            Some((
                Severity::Info,
                format!(
                    "overdub: new build running after {:.1} ms (settle {:.2} · load {:.2} · prepare {:.2} · \
                     swap {:.2} ms), {state}",
                    ms(timings.total()),
                    ms(timings.settle),
                    ms(timings.load),
                    ms(timings.prepare),
                    ms(timings.swap)
                ),
            ))
        }
        ReloadEvent::Rejected { path, reason } => {
            Some((Severity::Warning, format!("overdub: build {} rejected: {reason}", path.display())))
        }
        ReloadEvent::Removed { path } => Some((
            Severity::Warning,
            format!("overdub: {} is missing; the running build (if any) keeps playing", path.display()),
        )),
        ReloadEvent::RolledBack { reason, .. } => {
            Some((Severity::Warning, format!("overdub: {reason}; the previous build runs again")))
        }
        ReloadEvent::Allocated { count, .. } => {
            Some((Severity::Warning, format!("overdub: the logic's process() allocated {count} times")))
        }
        _ => None,
    }
}

/// The line a hot plugin reports when it starts following `path`.
pub fn following_line(path: &std::path::Path, running: bool) -> String {
    let running = if running { "running" } else { "waiting for" };
    format!("overdub: {running} {} (hot)", path.display())
}
