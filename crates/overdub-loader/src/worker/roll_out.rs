//! Roll-out: a new build warmed up once, a candidate prepared for every shell and published to all of them
//! together, and what the audio threads hand back taken care of (reports, rollbacks, candidates to prepare
//! again). The sending end of [`crate::protocol`].

use super::Pipeline;
use crate::events::{ReloadEvent, ReloadTimings};
use crate::library::LoadedLibrary;
use crate::prepare::{DEFAULT_CONFIG, Predecessor, prepare, same_plugin, warm_up};
use crate::protocol::{Candidate, Link, NO_TIME, Outcome, Retired, Snapshot, now_nanos};
use overdub_abi::LogicInfo;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

/// How long the audio thread may take to answer a state snapshot before the state is reset instead.
const SNAPSHOT_WAIT: Duration = Duration::from_millis(250);

/// A build that panics this soon after switching in is rolled back to the one before it.
const ROLLBACK_WINDOW: Duration = Duration::from_secs(2);

/// First guess at a state's size; a larger state is asked for again with the size it reported.
const SNAPSHOT_CAPACITY: usize = 64 * 1024;

/// Blocks ahead of the latest steady time at which all instances switch: far enough that every instance's
/// next block has not started yet.
const SWAP_LEAD_BLOCKS: u64 = 2;

impl Pipeline {
    /// Refuses `library` for `reason`: reported, and not tried again should the same bytes return.
    pub(super) fn reject(&mut self, library: &LoadedLibrary, reason: String) {
        self.rejected = Some((library.hash(), reason.clone()));
        self.emit_all(&ReloadEvent::Rejected { path: self.path.clone(), reason });
    }

    /// Warms the new build up once, prepares a candidate for every shell, and publishes them together.
    pub(super) fn roll_out(&mut self, library: Arc<LoadedLibrary>, timings: ReloadTimings) {
        let links = self.live_links();
        let config = links.iter().find_map(|link| link.control().config).unwrap_or(DEFAULT_CONFIG);
        let info = match warm_up(&library, config).and_then(|info| same_plugin(self.current.as_deref(), info))
        {
            Ok(info) => info,
            Err(reason) => return self.reject(&library, reason),
        };
        self.current = Some(Arc::clone(&library));
        let prepared: Vec<_> = links
            .iter()
            .filter_map(|link| {
                self.prepare_for(link, &library, info, timings, true).map(|candidate| (link, candidate))
            })
            .collect();
        let swap_at = swap_time(&links);
        for (link, candidate) in prepared {
            self.publish(link, candidate, swap_at);
        }
    }

    fn prepare_for(
        &self,
        link: &Link,
        library: &Arc<LoadedLibrary>,
        info: LogicInfo,
        timings: ReloadTimings,
        allow_adopt: bool,
    ) -> Option<Box<Candidate>> {
        let (config, running, kept) = {
            let control = link.control();
            (control.config, control.library.clone(), control.kept_state.clone())
        };
        let mut state = || snapshot(link);
        let predecessor = match &running {
            Some(running) => Predecessor::Running { library: running, allow_adopt, state: &mut state },
            None => Predecessor::Nothing { kept: kept.as_deref() },
        };
        match prepare(library, info, predecessor, config, timings) {
            Ok(candidate) => Some(Box::new(candidate)),
            Err(reason) => {
                link.emit(ReloadEvent::Rejected { path: self.path.clone(), reason });
                None
            }
        }
    }

    fn publish(&mut self, link: &Link, mut candidate: Box<Candidate>, swap_at: u64) {
        candidate.swap_at = swap_at;
        candidate.published_at = now_nanos();
        link.control().library = candidate.library.clone();
        self.outstanding += 1;
        if link.pending.put(candidate).is_some() {
            // A build the audio thread never took: superseded, dropped here.
            self.outstanding -= 1;
        }
    }

    /// Takes back what the audio threads retired, reports swaps, faults and allocations, and lets go of the
    /// builds kept for a rollback once their window has passed (so they can be unloaded).
    pub(super) fn service(&mut self) {
        let now = now_nanos();
        self.recent_swaps
            .retain(|_, (at, _)| Duration::from_nanos(now.saturating_sub(*at)) <= ROLLBACK_WINDOW);
        for link in self.live_links() {
            let retired: Vec<Retired> = {
                let mut queue = link.retired.lock().unwrap_or_else(PoisonError::into_inner);
                std::iter::from_fn(|| queue.pop().ok()).collect()
            };
            for retired in retired {
                self.outstanding = self.outstanding.saturating_sub(1);
                self.handle_retired(&link, retired);
            }
            if let Some(fault) = link.shared.faults.take() {
                let message = fault.message.to_string();
                link.control().fault = Some(fault);
                link.emit(ReloadEvent::Faulted {
                    instance: link.id,
                    call: fault.call,
                    message: message.clone(),
                });
                self.roll_back_if_new(&link, message);
            }
            let count = link.allocations.load(Ordering::Relaxed);
            let reported = self.reported_allocations.entry(link.id).or_default();
            if count > *reported {
                *reported = count;
                link.emit(ReloadEvent::Allocated { instance: link.id, count });
            }
        }
    }

    /// A build that panics within [`ROLLBACK_WINDOW`] of switching in is taken back out: the build it replaced
    /// runs again (on the same state when the layouts match), and the faulty bytes are not loaded again.
    fn roll_back_if_new(&mut self, link: &Arc<Link>, message: String) {
        let Some((swapped_at, Some(previous))) = self.recent_swaps.remove(&link.id) else { return };
        if Duration::from_nanos(now_nanos().saturating_sub(swapped_at)) > ROLLBACK_WINDOW {
            return;
        }
        let Some(info) = previous.info() else { return };
        if let Some(faulty) = link.control().library.clone() {
            self.rejected = Some((faulty.hash(), format!("it panicked right after switching in: {message}")));
        }
        link.emit(ReloadEvent::RolledBack {
            instance: link.id,
            reason: format!("the new build panicked right after switching in: {message}"),
        });
        if let Some(candidate) = self.prepare_for(link, &previous, info, ReloadTimings::default(), true) {
            self.publish(link, candidate, NO_TIME);
        }
    }

    fn handle_retired(&mut self, link: &Arc<Link>, retired: Retired) {
        let Retired { candidate, outcome } = retired;
        match outcome {
            Outcome::Switched { at, crossfaded } => {
                self.recent_swaps.insert(link.id, (at, candidate.library.clone()));
                let swap = Duration::from_nanos(at.saturating_sub(candidate.published_at));
                link.emit(ReloadEvent::Swapped {
                    instance: link.id,
                    timings: ReloadTimings { swap, ..candidate.timings },
                    state: candidate.state.clone(),
                    params_changed: candidate.params_changed,
                    crossfaded,
                });
            }
            // The shell ran another build than the one this candidate adopts from, or was activated anew:
            // prepare it again, with the state migrated.
            Outcome::Refused => {
                let Some(library) = candidate.library.clone() else { return };
                let timings = candidate.timings;
                drop(candidate);
                if let Some(info) = library.info()
                    && let Some(candidate) = self.prepare_for(link, &library, info, timings, false)
                {
                    self.publish(link, candidate, NO_TIME);
                }
            }
        }
    }
}

/// The steady time at which every instance switches: a little after the latest block any of them has seen,
/// or at once when there is only one, or when any of them has no steady time.
fn swap_time(links: &[Arc<Link>]) -> u64 {
    if links.len() < 2 {
        // Nothing to keep in step with: the next block switches.
        return NO_TIME;
    }
    let mut latest = 0;
    for link in links {
        let time = link.steady_time.load(Ordering::Acquire);
        let block = link.control().config.map_or(0, |c| c.max_block as u64);
        if time == NO_TIME {
            return NO_TIME;
        }
        latest = latest.max(time + SWAP_LEAD_BLOCKS * block);
    }
    latest
}

/// Asks the audio thread for the running state (it answers at its next block, without allocating, into a
/// buffer allocated here).
fn snapshot(link: &Link) -> Result<Vec<u8>, String> {
    if !link.active.load(Ordering::Acquire) {
        return Err(
            "the plugin is inactive, so nothing of its state is playing; the new build starts fresh".into()
        );
    }
    let mut capacity = SNAPSHOT_CAPACITY;
    loop {
        drop(link.snapshot_reply.take());
        let request = Snapshot { bytes: Vec::with_capacity(capacity), outcome: Ok(0) };
        drop(link.snapshot_request.put(Box::new(request)));
        let deadline = Instant::now() + SNAPSHOT_WAIT;
        let reply = loop {
            if let Some(reply) = link.snapshot_reply.take() {
                break reply;
            }
            if Instant::now() >= deadline && link.snapshot_request.take().is_some() {
                return Err("the shell did not process audio to hand over its state; the new build starts \
                            fresh"
                    .into());
            }
            std::thread::sleep(Duration::from_micros(500));
        };
        match reply.outcome {
            Ok(needed) if needed <= reply.bytes.capacity() => return Ok(reply.bytes),
            Ok(needed) => capacity = needed,
            Err(message) => return Err(message.to_string()),
        }
    }
}
