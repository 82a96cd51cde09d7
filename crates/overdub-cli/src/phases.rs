//! Save → sound, phase by phase: from the save of a source file to the first block of the new code, followed
//! through the events of one rebuild.
//!
//! The phases add up to the total: detect (the save seen, until the build starts), build (until the library
//! landed: the loader reports it right after its settle, so the landing is that report less the settle),
//! then the reload's own settle, load, prepare and swap. Nothing is timed twice and nothing is left out.

use crate::build::Route;
use crate::report::DevEvent;
use overdub_loader::ReloadEvent;
use std::time::{Duration, Instant};

/// The phases of one save → sound.
#[derive(Clone, Debug)]
pub struct Phases {
    /// The save seen, until the build started.
    pub detect: Duration,
    /// The build started, until its library landed.
    pub build: Duration,
    /// The way the build went, when it was reported before the swap.
    pub route: Option<Route>,
    /// From the save to the first block of new code.
    pub total: Duration,
}

/// One rebuild being followed.
struct Cycle {
    saved: Instant,
    started: Instant,
    route: Option<Route>,
    detected: Option<Instant>,
}

/// Follows rebuilds so each swap can say how long its save took to be heard, phase by phase.
#[derive(Default)]
pub struct SaveClock {
    cycle: Option<Cycle>,
}

impl SaveClock {
    /// Notes `event` as it arrives; for a swap that a rebuild produced, returns its phases.
    pub fn observe(&mut self, event: &DevEvent) -> Option<Phases> {
        let now = Instant::now();
        match event {
            DevEvent::Building { detect, .. } => {
                let saved = now.checked_sub(*detect).unwrap_or(now);
                self.cycle = Some(Cycle { saved, started: now, route: None, detected: None });
            }
            DevEvent::Compiling { route } => {
                if let Some(cycle) = &mut self.cycle {
                    cycle.route = Some(route.clone());
                }
            }
            DevEvent::Built { ok: false, .. } => self.cycle = None,
            DevEvent::Reload(ReloadEvent::Detected { .. }) => {
                if let Some(cycle) = &mut self.cycle {
                    cycle.detected.get_or_insert(now);
                }
            }
            DevEvent::Reload(ReloadEvent::Swapped { timings, .. }) => {
                let cycle = self.cycle.take()?;
                let (landed, sounded) = match cycle.detected {
                    Some(detected) => {
                        let landed = detected.checked_sub(timings.settle).unwrap_or(detected);
                        (landed, detected + timings.load + timings.prepare + timings.swap)
                    }
                    None => (now.checked_sub(timings.total()).unwrap_or(now), now),
                };
                let landed = landed.max(cycle.started);
                return Some(Phases {
                    detect: cycle.started - cycle.saved,
                    build: landed - cycle.started,
                    route: cycle.route,
                    total: sounded.saturating_duration_since(cycle.saved),
                });
            }
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use overdub_loader::{ReloadTimings, StateOutcome};
    use std::path::PathBuf;

    fn swapped(timings: ReloadTimings) -> DevEvent {
        DevEvent::Reload(ReloadEvent::Swapped {
            instance: 0,
            timings,
            state: StateOutcome::Kept,
            params_changed: false,
            crossfaded: false,
        })
    }

    #[test]
    fn a_rebuild_s_phases_add_up_to_its_total_and_name_its_route() {
        let mut clock = SaveClock::default();
        let detect = Duration::from_millis(3);
        assert!(clock.observe(&DevEvent::Building { changed: vec![], detect }).is_none());
        clock.observe(&DevEvent::Compiling { route: Route::Fast });
        std::thread::sleep(Duration::from_millis(20));
        clock.observe(&DevEvent::Reload(ReloadEvent::Detected { path: PathBuf::from("lib.so") }));
        let timings = ReloadTimings {
            settle: Duration::from_millis(1),
            load: Duration::from_millis(2),
            prepare: Duration::from_millis(1),
            swap: Duration::from_millis(1),
        };
        let phases = clock.observe(&swapped(timings)).expect("the swap of a rebuild");
        assert_eq!(phases.detect, detect);
        assert_eq!(phases.route, Some(Route::Fast));
        assert!(phases.build >= Duration::from_millis(18), "{phases:?}");
        let sum = phases.detect + phases.build + timings.total();
        assert!(sum.abs_diff(phases.total) < Duration::from_micros(10), "{sum:?} vs {phases:?}");
        assert!(clock.observe(&swapped(timings)).is_none(), "a swap no rebuild caused has no phases");
    }

    #[test]
    fn a_failed_build_ends_its_cycle() {
        let mut clock = SaveClock::default();
        clock.observe(&DevEvent::Building { changed: vec![], detect: Duration::ZERO });
        clock.observe(&DevEvent::Built { ok: false, duration: Duration::from_millis(5), route: Route::Fast });
        assert!(clock.observe(&swapped(ReloadTimings::default())).is_none());
    }
}
