//! What the dev host tells its user, as text for people or JSON lines for tools.

use crate::build::Route;
use crate::phases::Phases;
use overdub_loader::{ReloadEvent, StateOutcome};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Something the dev host reports.
#[derive(Clone, Debug)]
pub enum DevEvent {
    /// The output chosen, before anything is built.
    Audio {
        /// Where the audio will go.
        device: String,
    },
    /// Audio is playing through the first build.
    Ready {
        /// Where the audio goes.
        device: String,
        /// The library running.
        library: PathBuf,
        /// How long the first build took.
        build: Duration,
    },
    /// Source files were saved; a rebuild starts.
    Building {
        /// The files that changed.
        changed: Vec<PathBuf>,
        /// From the first of their events to now.
        detect: Duration,
    },
    /// A build route started: the fast path, or cargo (and why).
    Compiling {
        /// The route.
        route: Route,
    },
    /// The rebuild finished.
    Built {
        /// Whether it gave a library.
        ok: bool,
        /// How long it took, every route tried.
        duration: Duration,
        /// The route it finally took.
        route: Route,
    },
    /// The reload pipeline reported something.
    Reload(ReloadEvent),
    /// Output levels of the last window.
    Meter {
        /// Peak, linear.
        peak: f32,
        /// RMS, linear.
        rms: f32,
        /// Blocks finished after their deadline since the audio started (the null device counts them).
        late_blocks: u64,
    },
    /// The sound card reported an error on its audio thread.
    AudioError {
        /// What it said.
        message: String,
    },
    /// What became of the editor window: opened, not opened and why, or a note from it (state kept or
    /// reset on a new build, a panic shown in place of the editor).
    Editor {
        /// What the user should know.
        message: String,
    },
    /// The user pressed Ctrl-C.
    Interrupted,
}

/// One JSON line.
#[derive(Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Record<'a> {
    Audio {
        device: &'a str,
    },
    Ready {
        device: &'a str,
        library: &'a Path,
        build_ms: f64,
    },
    Building {
        changed: &'a [PathBuf],
        detect_ms: f64,
    },
    Compiling {
        route: &'static str,
        reason: Option<String>,
    },
    Built {
        ok: bool,
        build_ms: f64,
        route: &'static str,
        reason: Option<String>,
    },
    Detected {
        library: &'a Path,
    },
    Unchanged {
        library: &'a Path,
    },
    Loaded {
        library: &'a Path,
        load_ms: f64,
        file_bytes: u64,
        image_bytes: u64,
        mapped_bytes: u64,
    },
    Rejected {
        library: &'a Path,
        reason: &'a str,
    },
    Removed {
        library: &'a Path,
    },
    Swapped {
        instance: u64,
        save_to_sound_ms: Option<f64>,
        detect_ms: Option<f64>,
        build_ms: Option<f64>,
        build_route: Option<&'static str>,
        settle_ms: f64,
        load_ms: f64,
        prepare_ms: f64,
        swap_ms: f64,
        reload_ms: f64,
        state: &'static str,
        state_detail: Option<String>,
        params_changed: bool,
        crossfaded: bool,
    },
    Faulted {
        instance: u64,
        call: &'a str,
        message: &'a str,
    },
    RolledBack {
        instance: u64,
        reason: &'a str,
    },
    Allocated {
        instance: u64,
        count: u64,
    },
    Meter {
        peak_dbfs: f32,
        rms_dbfs: f32,
        late_blocks: u64,
    },
    AudioError {
        message: &'a str,
    },
    Editor {
        message: &'a str,
    },
    Interrupted,
}

fn ms(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1e6).round() / 1e3
}

/// `kept`, `migrated` or `reset`, with the detail (bytes carried, or why state was reset).
pub fn state_words(state: &StateOutcome) -> (&'static str, Option<String>) {
    match state {
        StateOutcome::Kept => ("kept", None),
        StateOutcome::Migrated { bytes } => ("migrated", Some(format!("{bytes} bytes"))),
        StateOutcome::Reset { reason } => ("reset", Some(reason.clone())),
    }
}

/// Why a route is cargo, in words (none for the fast path).
fn reason(route: &Route) -> Option<String> {
    match route {
        Route::Fast => None,
        Route::Cargo(reason) => Some(reason.to_string()),
    }
}

/// The event as one JSON line; `phases` are the save → sound phases of a swap a rebuild produced.
pub fn json(event: &DevEvent, phases: Option<&Phases>) -> String {
    use crate::devhost::meter::dbfs;
    let record = match event {
        DevEvent::Audio { device } => Record::Audio { device },
        DevEvent::Ready { device, library, build } => Record::Ready { device, library, build_ms: ms(*build) },
        DevEvent::Building { changed, detect } => Record::Building { changed, detect_ms: ms(*detect) },
        DevEvent::Compiling { route } => Record::Compiling { route: route.name(), reason: reason(route) },
        DevEvent::Built { ok, duration, route } => {
            Record::Built { ok: *ok, build_ms: ms(*duration), route: route.name(), reason: reason(route) }
        }
        DevEvent::Meter { peak, rms, late_blocks } => {
            Record::Meter { peak_dbfs: dbfs(*peak), rms_dbfs: dbfs(*rms), late_blocks: *late_blocks }
        }
        DevEvent::AudioError { message } => Record::AudioError { message },
        DevEvent::Editor { message } => Record::Editor { message },
        DevEvent::Interrupted => Record::Interrupted,
        DevEvent::Reload(reload) => match reload {
            ReloadEvent::Detected { path } => Record::Detected { library: path },
            ReloadEvent::Unchanged { path } => Record::Unchanged { library: path },
            ReloadEvent::Loaded { path, cost } => Record::Loaded {
                library: path,
                load_ms: ms(cost.total()),
                file_bytes: cost.file_bytes,
                image_bytes: cost.image_bytes,
                mapped_bytes: cost.mapped_bytes,
            },
            ReloadEvent::Rejected { path, reason } => Record::Rejected { library: path, reason },
            ReloadEvent::Removed { path } => Record::Removed { library: path },
            ReloadEvent::Swapped { instance, timings, state, params_changed, crossfaded } => {
                let (state, state_detail) = state_words(state);
                Record::Swapped {
                    instance: *instance,
                    save_to_sound_ms: phases.map(|p| ms(p.total)),
                    detect_ms: phases.map(|p| ms(p.detect)),
                    build_ms: phases.map(|p| ms(p.build)),
                    build_route: phases.and_then(|p| p.route.as_ref()).map(Route::name),
                    settle_ms: ms(timings.settle),
                    load_ms: ms(timings.load),
                    prepare_ms: ms(timings.prepare),
                    swap_ms: ms(timings.swap),
                    reload_ms: ms(timings.total()),
                    state,
                    state_detail,
                    params_changed: *params_changed,
                    crossfaded: *crossfaded,
                }
            }
            ReloadEvent::Faulted { instance, call, message } => {
                Record::Faulted { instance: *instance, call, message }
            }
            ReloadEvent::RolledBack { instance, reason } => {
                Record::RolledBack { instance: *instance, reason }
            }
            ReloadEvent::Allocated { instance, count } => {
                Record::Allocated { instance: *instance, count: *count }
            }
        },
    };
    serde_json::to_string(&record).expect("records hold only strings, numbers and booleans")
}

/// The event as a line for people (`phases` as for [`json`]); `None` for events that only update the meter
/// line.
pub fn text(event: &DevEvent, phases: Option<&Phases>) -> Option<String> {
    let f = |d: Duration| format_duration(d);
    Some(match event {
        DevEvent::Audio { device } => format!("audio: {device}"),
        DevEvent::Ready { library, build, .. } => {
            format!("playing {} (built in {})", library.display(), f(*build))
        }
        DevEvent::Building { changed, .. } => {
            let names: Vec<String> = changed
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            format!("changed {}: building…", names.join(", "))
        }
        DevEvent::Compiling { route: Route::Fast } => return None,
        DevEvent::Compiling { route: Route::Cargo(reason) } => format!("building with cargo: {reason}"),
        DevEvent::Built { ok: true, duration, route } => {
            format!("built in {} ({})", f(*duration), route_words(route))
        }
        DevEvent::Built { ok: false, duration, .. } => {
            format!(
                "build failed after {} (cargo's messages above); the running build keeps playing",
                f(*duration)
            )
        }
        DevEvent::Meter { .. } => return None,
        DevEvent::AudioError { message } => format!("audio error: {message}"),
        DevEvent::Editor { message } => format!("editor: {message}"),
        DevEvent::Interrupted => "stopping".to_owned(),
        DevEvent::Reload(reload) => match reload {
            ReloadEvent::Detected { .. } | ReloadEvent::Loaded { .. } => return None,
            ReloadEvent::Unchanged { .. } => "library unchanged: nothing to reload".to_owned(),
            ReloadEvent::Rejected { reason, .. } => {
                format!("new build rejected, the running build keeps playing: {reason}")
            }
            ReloadEvent::Removed { path } => format!(
                "{} was deleted; the running build keeps playing and the next build is loaded when it lands",
                path.display()
            ),
            ReloadEvent::Swapped { timings, state, params_changed, crossfaded, .. } => {
                let (state, detail) = state_words(state);
                let save = phases.map_or(String::new(), |p| {
                    let route = p.route.as_ref().map_or(String::new(), |r| format!(" ({})", r.name()));
                    format!(
                        "save→sound {} = detect {} · build {}{route} · ",
                        f(p.total),
                        f(p.detect),
                        f(p.build)
                    )
                });
                let mut line = format!(
                    "reloaded: {save}settle {} · load {} · prepare {} · swap {} (file to new audio {}) · state {state}",
                    f(timings.settle),
                    f(timings.load),
                    f(timings.prepare),
                    f(timings.swap),
                    f(timings.total())
                );
                if let Some(detail) = detail {
                    line += &format!(" ({detail})");
                }
                if *crossfaded {
                    line += " · crossfaded";
                }
                if *params_changed {
                    line += " · parameter list changed";
                }
                line
            }
            ReloadEvent::Faulted { call, message, .. } => {
                format!(
                    "the logic panicked in {call}: {message}\n  it outputs silence or its input until the next good build"
                )
            }
            ReloadEvent::RolledBack { reason, .. } => format!("rolled back to the previous build: {reason}"),
            ReloadEvent::Allocated { count, .. } => {
                format!(
                    "warning: process allocated on the audio thread ({count} allocations since this build started)"
                )
            }
        },
    })
}

/// How a build went, for people.
fn route_words(route: &Route) -> &'static str {
    match route {
        Route::Fast => "rustc directly",
        Route::Cargo(_) => "cargo",
    }
}

/// `1.23 s`, `45.6 ms` or `789 µs`.
pub fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.0} µs", seconds * 1e6)
    }
}
