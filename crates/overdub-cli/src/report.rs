//! What the dev host tells its user, as text for people or JSON lines for tools.

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
    /// A source file changed; cargo is building.
    Building {
        /// The files that changed.
        changed: Vec<PathBuf>,
    },
    /// Cargo finished.
    Built {
        /// Whether it succeeded.
        ok: bool,
        /// How long it took.
        duration: Duration,
    },
    /// The reload pipeline reported something.
    Reload(ReloadEvent),
    /// Output levels of the last window.
    Meter {
        /// Peak, linear.
        peak: f32,
        /// RMS, linear.
        rms: f32,
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
    },
    Built {
        ok: bool,
        build_ms: f64,
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
        build_ms: Option<f64>,
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

/// The event as one JSON line; `last_build` is the duration of the build that produced a swapped library.
pub fn json(event: &DevEvent, last_build: Option<Duration>) -> String {
    use crate::devhost::meter::dbfs;
    let record = match event {
        DevEvent::Audio { device } => Record::Audio { device },
        DevEvent::Ready { device, library, build } => Record::Ready { device, library, build_ms: ms(*build) },
        DevEvent::Building { changed } => Record::Building { changed },
        DevEvent::Built { ok, duration } => Record::Built { ok: *ok, build_ms: ms(*duration) },
        DevEvent::Meter { peak, rms } => Record::Meter { peak_dbfs: dbfs(*peak), rms_dbfs: dbfs(*rms) },
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
                    build_ms: last_build.map(ms),
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

/// The event as a line for people; `None` for events that only update the meter line.
pub fn text(event: &DevEvent, last_build: Option<Duration>) -> Option<String> {
    let f = |d: Duration| format_duration(d);
    Some(match event {
        DevEvent::Audio { device } => format!("audio: {device}"),
        DevEvent::Ready { library, build, .. } => {
            format!("playing {} (built in {})", library.display(), f(*build))
        }
        DevEvent::Building { changed } => {
            let names: Vec<String> = changed
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            format!("changed {}: building…", names.join(", "))
        }
        DevEvent::Built { ok: true, duration } => format!("built in {}", f(*duration)),
        DevEvent::Built { ok: false, duration } => {
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
                let build = last_build.map_or(String::new(), |b| format!("build {} · ", f(b)));
                let mut line = format!(
                    "reloaded: {build}settle {} · load {} · prepare {} · swap {} (file to new audio {}) · state {state}",
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

/// Follows builds so a swap can say how long the build that produced it took.
#[derive(Debug, Default)]
pub struct BuildClock {
    started: Option<std::time::Instant>,
    last: Option<Duration>,
}

impl BuildClock {
    /// Notes `event`; returns the build duration to show with it: for a swap, the build that produced it (a
    /// swap can come before cargo exits, as cargo finishes after the linker wrote the library).
    pub fn observe(&mut self, event: &DevEvent) -> Option<Duration> {
        match event {
            DevEvent::Building { .. } => {
                self.started = Some(std::time::Instant::now());
                None
            }
            DevEvent::Built { duration, .. } => {
                self.started = None;
                self.last = Some(*duration);
                self.last
            }
            DevEvent::Reload(ReloadEvent::Swapped { timings, .. }) => match self.started {
                Some(started) => Some(started.elapsed().saturating_sub(timings.total())),
                None => self.last.take(),
            },
            _ => None,
        }
    }
}
