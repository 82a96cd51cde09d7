//! The vtable probe: an object whose every method answers with its own slot number.
//!
//! The canary compares types, but a trait object's vtable order is the compiler's business. The shell calls
//! every method of the library's probe in declaration order; if any answers with another slot's number (or
//! not as a probe), calling the real instance through this vtable would run the wrong code.

use crate::object::{Fault, LogicInfo, LogicObject, METHODS, Outcome};
use crate::process::{ProcessBlock, ProcessStatus};
use crate::state::{StateError, StateSink};
use core::fmt;

/// Answers every [`LogicObject`] method `n` with `Fault::Probe(n)`.
pub struct Probe;

/// The answer of slot `slot`, as `u32` to match [`Fault::Probe`].
const fn answer<T>(slot: u32) -> Outcome<T> {
    Err(Fault::Probe(slot))
}

impl LogicObject for Probe {
    fn info(&mut self) -> Outcome<LogicInfo> {
        answer(0)
    }
    fn reset(&mut self, _: f64, _: usize) -> Outcome<()> {
        answer(1)
    }
    fn process(&mut self, _: &mut ProcessBlock<'_>) -> Outcome<ProcessStatus> {
        answer(2)
    }
    fn save_state(&mut self, _: &mut dyn StateSink) -> Outcome<()> {
        answer(3)
    }
    fn load_state(&mut self, _: &[u8]) -> Outcome<Result<(), StateError>> {
        answer(4)
    }
    fn latency(&mut self) -> Outcome<u32> {
        answer(5)
    }
    fn allocations(&mut self) -> Outcome<u64> {
        answer(6)
    }
    fn destroy(self: Box<Self>) -> Outcome<()> {
        answer(7)
    }
}

/// A probe method that did not answer with its own slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeMismatch {
    /// The method called.
    pub method: &'static str,
    /// Its slot in declaration order.
    pub slot: usize,
    /// What came back instead.
    pub answer: String,
}

impl fmt::Display for ProbeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "method `{}` (slot {}) {}", self.method, self.slot, self.answer)
    }
}

struct DiscardSink;
impl StateSink for DiscardSink {
    fn write(&mut self, _: &[u8]) {}
}

fn check<T>(slot: usize, outcome: Outcome<T>) -> Result<(), ProbeMismatch> {
    let answer = match outcome {
        Err(Fault::Probe(n)) if n as usize == slot => return Ok(()),
        Err(Fault::Probe(n)) => match METHODS.get(n as usize) {
            Some(name) => format!("answered as `{name}` (slot {n})"),
            None => format!("answered with unknown slot {n}"),
        },
        Err(Fault::Panic(message)) => format!("panicked: {message}"),
        Ok(_) => "returned normally instead of answering as the probe".to_owned(),
    };
    Err(ProbeMismatch { method: METHODS[slot], slot, answer })
}

/// Calls every method of `probe` in declaration order and names the first that answers wrongly.
pub fn verify_probe(mut probe: Box<dyn LogicObject>) -> Result<(), ProbeMismatch> {
    check(0, probe.info())?;
    check(1, probe.reset(48_000.0, 0))?;
    check(2, probe.process(&mut ProcessBlock::empty()))?;
    check(3, probe.save_state(&mut DiscardSink))?;
    check(4, probe.load_state(&[]))?;
    check(5, probe.latency())?;
    check(6, probe.allocations())?;
    check(7, probe.destroy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_passes_its_own_check() {
        assert_eq!(verify_probe(Box::new(Probe)), Ok(()));
    }

    struct SwappedAllocations;
    impl LogicObject for SwappedAllocations {
        fn info(&mut self) -> Outcome<LogicInfo> {
            answer(0)
        }
        fn reset(&mut self, _: f64, _: usize) -> Outcome<()> {
            answer(1)
        }
        fn process(&mut self, _: &mut ProcessBlock<'_>) -> Outcome<ProcessStatus> {
            answer(2)
        }
        fn save_state(&mut self, _: &mut dyn StateSink) -> Outcome<()> {
            answer(3)
        }
        fn load_state(&mut self, _: &[u8]) -> Outcome<Result<(), StateError>> {
            answer(4)
        }
        fn latency(&mut self) -> Outcome<u32> {
            answer(5)
        }
        fn allocations(&mut self) -> Outcome<u64> {
            answer(5)
        }
        fn destroy(self: Box<Self>) -> Outcome<()> {
            answer(7)
        }
    }

    #[test]
    fn a_wrong_answer_names_the_method_and_what_ran_instead() {
        let mismatch = verify_probe(Box::new(SwappedAllocations)).unwrap_err();
        assert_eq!(mismatch.method, "allocations");
        assert_eq!(mismatch.slot, 6);
        assert_eq!(mismatch.to_string(), "method `allocations` (slot 6) answered as `latency` (slot 5)");
    }
}
