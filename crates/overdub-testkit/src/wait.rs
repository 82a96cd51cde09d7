//! Waiting in tests without ever hanging: one [`Deadline`] for the whole test, and an [`EventLog`] that keeps
//! every event received so a wait finds its event whether it came before or after the one waited for last.
//!
//! A timeout per received message is no bound at all when messages keep coming (a meter line every few
//! milliseconds resets it forever), and a wait that consumes events it does not want loses the one a later
//! wait needs when the order was never promised. Both hung test runs; these types make either impossible.

use std::fmt::Debug;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Events taken from the receiver per look, so a flood cannot hold a wait past its deadline.
const DRAIN_AT_ONCE: usize = 1024;

/// The one moment by which a whole test must be done.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    at: Instant,
}

impl Deadline {
    /// A deadline `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Self { at: Instant::now() + budget }
    }

    /// Time left, zero once passed.
    pub fn left(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// Whether the deadline has passed.
    pub fn passed(&self) -> bool {
        Instant::now() >= self.at
    }

    /// Fails the test with `what` (evaluated only then) once the deadline has passed.
    #[track_caller]
    pub fn check(&self, what: impl FnOnce() -> String) {
        if self.passed() {
            panic!("the test's deadline passed: {}", what());
        }
    }
}

/// The longest any one test may take, cold builds of its crates included, on a loaded two-core machine.
pub const TEST_BUDGET: Duration = Duration::from_secs(10 * 60);

thread_local! {
    static TEST_DEADLINE: Deadline = Deadline::after(TEST_BUDGET);
}

/// The running test's deadline, started by the first call on its thread (the test harness runs each test on
/// a thread of its own), so every wait in one test shares one bound without passing it around.
pub fn test_deadline() -> Deadline {
    TEST_DEADLINE.with(|deadline| *deadline)
}

/// Every event a receiver delivered, each claimable once by a wait, in any order.
pub struct EventLog<T> {
    events: Receiver<T>,
    seen: Vec<T>,
    claimed: Vec<bool>,
    disconnected: bool,
    deadline: Deadline,
}

impl<T: Clone + Debug> EventLog<T> {
    /// A log of what `events` delivers, waiting no later than `deadline`.
    pub fn new(events: Receiver<T>, deadline: Deadline) -> Self {
        Self { events, seen: Vec::new(), claimed: Vec::new(), disconnected: false, deadline }
    }

    /// The test's deadline.
    pub fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// Everything received so far, in arrival order.
    pub fn seen(&self) -> &[T] {
        &self.seen
    }

    /// Receives what has arrived, waiting up to `wait` (never past the deadline) for the first of it; returns
    /// whether anything arrived.
    pub fn pump(&mut self, wait: Duration) -> bool {
        let before = self.seen.len();
        if !self.disconnected {
            match self.events.recv_timeout(wait.min(self.deadline.left())) {
                Ok(event) => self.push(event),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => self.disconnected = true,
            }
            // Bounded: a sender faster than this loop must not keep it here past the deadline.
            while self.seen.len() - before < DRAIN_AT_ONCE
                && let Ok(event) = self.events.try_recv()
            {
                self.push(event);
            }
        }
        self.seen.len() > before
    }

    fn push(&mut self, event: T) {
        self.seen.push(event);
        self.claimed.push(false);
    }

    /// Claims the first unclaimed event `wanted` accepts among those already received.
    pub fn claim(&mut self, wanted: impl Fn(&T) -> bool) -> Option<T> {
        self.claim_from(0, wanted)
    }

    /// Receives what is waiting and returns a position: events from it on are what happened after now
    /// (for [`EventLog::claim_since`]), as long as the sender sends in the order things happen.
    pub fn mark(&mut self) -> usize {
        self.pump(Duration::ZERO);
        self.seen.len()
    }

    /// Claims the first unclaimed event `wanted` accepts among those received from `start` on, with its
    /// position.
    pub fn claim_since(&mut self, start: usize, wanted: impl Fn(&T) -> bool) -> Option<(usize, T)> {
        let index = (start..self.seen.len()).find(|&i| !self.claimed[i] && wanted(&self.seen[i]))?;
        self.claimed[index] = true;
        Some((index, self.seen[index].clone()))
    }

    fn claim_from(&mut self, start: usize, wanted: impl Fn(&T) -> bool) -> Option<T> {
        self.claim_since(start, wanted).map(|(_, event)| event)
    }

    /// Where in arrival order the first event `wanted` accepts came, if it has.
    pub fn position(&self, wanted: impl Fn(&T) -> bool) -> Option<usize> {
        self.seen.iter().position(wanted)
    }

    /// How many received events `wanted` accepts, claimed or not.
    pub fn count(&self, wanted: impl Fn(&T) -> bool) -> usize {
        self.seen.iter().filter(|e| wanted(e)).count()
    }

    /// Waits for an event `wanted` accepts, received before or after this call, and claims it; fails the
    /// test, listing everything received, once the deadline passes or the sender is gone.
    #[track_caller]
    pub fn wait_for(&mut self, what: &str, wanted: impl Fn(&T) -> bool) -> T {
        self.wait_for_while(what, wanted, || {})
    }

    /// As [`EventLog::wait_for`], calling `between` (playing a block, polling a host) between looks; events
    /// are then waited for a millisecond at a time.
    #[track_caller]
    pub fn wait_for_while(&mut self, what: &str, wanted: impl Fn(&T) -> bool, between: impl FnMut()) -> T {
        self.wait_from(0, what, wanted, between)
    }

    /// As [`EventLog::wait_for`], for an event that arrived after the one at `position` (where the sender
    /// promises an order, e.g. lines one process prints).
    #[track_caller]
    pub fn wait_for_after(&mut self, position: usize, what: &str, wanted: impl Fn(&T) -> bool) -> T {
        self.wait_from(position + 1, what, wanted, || {})
    }

    #[track_caller]
    fn wait_from(
        &mut self,
        start: usize,
        what: &str,
        wanted: impl Fn(&T) -> bool,
        mut between: impl FnMut(),
    ) -> T {
        loop {
            if let Some(event) = self.claim_from(start, &wanted) {
                return event;
            }
            self.deadline.check(|| format!("no {what}; received {:#?}", self.seen));
            assert!(!self.disconnected, "the sender is gone before {what}; received {:#?}", self.seen);
            between();
            self.pump(Duration::from_millis(1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    #[test]
    fn a_wait_finds_an_event_that_arrived_before_the_one_waited_for_first() {
        let (tx, rx) = channel();
        let mut log = EventLog::new(rx, Deadline::after(Duration::from_secs(10)));
        for event in ["meter", "swapped", "meter", "built"] {
            tx.send(event).unwrap();
        }
        assert_eq!(log.wait_for("built", |e| *e == "built"), "built");
        assert_eq!(log.wait_for("swapped", |e| *e == "swapped"), "swapped");
        assert_eq!(log.count(|e| *e == "meter"), 2);
    }

    #[test]
    fn a_stream_of_unwanted_events_cannot_extend_the_deadline() {
        let (tx, rx) = channel();
        // A meter line every millisecond, as a dev host sends them.
        let chatter = std::thread::spawn(move || {
            while tx.send("meter").is_ok() {
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let mut log = EventLog::new(rx, Deadline::after(Duration::from_millis(50)));
        let waited =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| log.wait_for("x", |e| *e == "x")));
        assert!(waited.is_err(), "the wait ends at the deadline");
        drop(log);
        chatter.join().unwrap();
    }

    #[test]
    fn each_event_is_claimed_once() {
        let (tx, rx) = channel();
        let mut log = EventLog::new(rx, Deadline::after(Duration::from_secs(10)));
        tx.send(1).unwrap();
        tx.send(1).unwrap();
        log.pump(Duration::ZERO);
        assert!(log.claim(|e| *e == 1).is_some());
        assert!(log.claim(|e| *e == 1).is_some());
        assert!(log.claim(|e| *e == 1).is_none());
    }
}
