//! Runs author code so that a panic becomes a value instead of an unwind across the boundary.

use crate::alloc_counter::count_allocations;
use crate::layout::{self, StateLayout};
use crate::logic::PluginLogic;
use crate::message::Message;
use crate::object::{Fault, LogicInfo, LogicObject, Outcome};
use crate::process::{Process, ProcessStatus, Tail};
use crate::state::{StateError, StateReader, StateSink, StateWriter};
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// An author's logic wrapped so every call is guarded; this is the object a logic library hands the shell.
///
/// It is compiled into the logic library (by the export macro) or into a static plugin, so its
/// `catch_unwind` belongs to the same panic runtime as the code that panics.
pub struct Guarded<T: PluginLogic> {
    logic: T,
    allocations: u64,
}

impl<T: PluginLogic> Guarded<T> {
    /// Creates the author's logic, catching a panic in `create`.
    pub fn create() -> Outcome<Self> {
        install_panic_hook();
        guard(|| Self { logic: T::create(), allocations: 0 })
    }

    /// The author's logic.
    pub fn logic(&self) -> &T {
        &self.logic
    }

    /// Fingerprint of this wrapper's complete layout: two builds with equal fingerprints can hand each other
    /// their instances' memory (see [`crate::layout`]).
    pub fn fingerprint() -> u64 {
        layout::fingerprint::<Self>()
    }
}

// SAFETY: describes both fields of the wrapper, the author's state recursively through its own derive.
unsafe impl<T: PluginLogic> StateLayout for Guarded<T> {
    fn describe(out: &mut layout::LayoutWriter) {
        use core::mem::offset_of;
        #[allow(dead_code)]
        fn every_field_is_described<T: PluginLogic>(g: &Guarded<T>) {
            let Guarded { logic: _, allocations: _ } = g;
        }
        out.structure::<Self>("Guarded", |out| {
            out.field::<T>("logic", offset_of!(Self, logic));
            out.field::<u64>("allocations", offset_of!(Self, allocations));
        });
    }
}

impl<T: PluginLogic> LogicObject for Guarded<T> {
    fn info(&mut self) -> Outcome<LogicInfo> {
        Ok(LogicInfo { id: T::ID, name: T::NAME, params: T::PARAMS, on_fault: T::ON_FAULT })
    }

    #[inline]
    fn reset(&mut self, sample_rate: f64, max_block: usize) -> Outcome<()> {
        guard(|| self.logic.reset(sample_rate, max_block))
    }

    #[inline]
    fn process(&mut self, ctx: &mut Process<'_>) -> Outcome<ProcessStatus> {
        if cfg!(debug_assertions) {
            let (outcome, allocations) = count_allocations(|| guard(|| self.logic.process(ctx)));
            self.allocations += allocations;
            outcome
        } else {
            guard(|| self.logic.process(ctx))
        }
    }

    fn save_state(&mut self, sink: &mut dyn StateSink) -> Outcome<()> {
        guard(|| self.logic.save_state(&mut StateWriter::new(sink)))
    }

    fn load_state(&mut self, data: &[u8]) -> Outcome<Result<(), StateError>> {
        guard(|| self.logic.load_state(&mut StateReader::new(data)))
    }

    fn latency(&mut self) -> Outcome<u32> {
        guard(|| self.logic.latency())
    }

    fn tail(&mut self) -> Outcome<Tail> {
        guard(|| self.logic.tail())
    }

    fn allocations(&mut self) -> Outcome<u64> {
        Ok(self.allocations)
    }

    fn destroy(self: Box<Self>) -> Outcome<()> {
        guard(move || drop(self))
    }
}

thread_local! {
    /// The message of the last panic on this thread, with its location, recorded by the hook.
    static LAST_PANIC: Cell<Option<Message>> = const { Cell::new(None) };
}

/// Runs `f`, returning a panic as [`Fault::Panic`] with the panic's message and location.
#[inline]
pub fn guard<R>(f: impl FnOnce() -> R) -> Outcome<R> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let recorded = LAST_PANIC.with(Cell::take);
        Fault::Panic(recorded.unwrap_or_else(|| payload_message(payload.as_ref())))
    })
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> Message {
    if let Some(text) = payload.downcast_ref::<&str>() {
        Message::from(*text)
    } else if let Some(text) = payload.downcast_ref::<String>() {
        Message::from(text.as_str())
    } else {
        Message::from("panic with a non-text payload")
    }
}

/// Adds the panic's location to its message; the previous hook still runs, so the author also sees the
/// usual report (and backtrace, when enabled) on stderr.
fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let text = info
                .payload()
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
                .unwrap_or("panic with a non-text payload");
            let message = match info.location() {
                Some(at) => {
                    Message::format(format_args!("{text} (at {}:{}:{})", at.file(), at.line(), at.column()))
                }
                None => Message::from(text),
            };
            LAST_PANIC.with(|last| last.set(Some(message)));
            previous(info);
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_fault_with_message_and_location() {
        install_panic_hook();
        let fault = guard(|| -> u32 { panic!("boom {}", 42) }).unwrap_err();
        let Fault::Panic(message) = fault else { panic!("expected a panic fault") };
        assert!(message.as_str().starts_with("boom 42 (at "), "{message}");
        assert!(message.as_str().contains("guard.rs"), "{message}");
    }

    #[test]
    fn a_normal_return_passes_through() {
        assert_eq!(guard(|| 7), Ok(7));
    }
}
