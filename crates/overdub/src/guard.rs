//! Runs author code so that a panic becomes a value instead of an unwind across the boundary.

use crate::alloc_counter::count_allocations;
use crate::context::Process;
use crate::layout::{self, StateLayout};
use crate::logic::{Identified, PluginLogic};
use crate::params::Params;
use crate::state::{self, StateWriter};
use overdub_abi::{
    Fault, LogicInfo, LogicObject, Message, Outcome, ProcessBlock, ProcessStatus, StateError, StateSink,
};
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// An author's logic wrapped so every call is guarded; this is the object a logic library hands the shell.
///
/// It is compiled into the logic library (by the export macro) or into a static plugin, so its
/// `catch_unwind` belongs to the same panic runtime as the code that panics. It keeps the logic's typed
/// parameters beside the logic, brought up to date with the shell's values at every window, so a code-only
/// reload that adopts this memory keeps their glides too.
pub struct Guarded<T: PluginLogic> {
    logic: T,
    params: T::Params,
    allocations: u64,
}

impl<T: Identified> Guarded<T> {
    /// Creates the author's logic, catching a panic in `create`.
    pub fn create() -> Outcome<Self> {
        install_panic_hook();
        guard(|| Self { logic: T::create(), params: T::Params::new(), allocations: 0 })
    }
}

impl<T: PluginLogic> Guarded<T> {
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

// SAFETY: describes every field of the wrapper, the author's state and parameters recursively through their
// own derives.
unsafe impl<T: PluginLogic> StateLayout for Guarded<T> {
    fn describe(out: &mut layout::LayoutWriter) {
        use core::mem::offset_of;
        #[allow(dead_code)]
        fn every_field_is_described<T: PluginLogic>(g: &Guarded<T>) {
            let Guarded { logic: _, params: _, allocations: _ } = g;
        }
        out.structure::<Self>("Guarded", |out| {
            out.field::<T>("logic", offset_of!(Self, logic));
            out.field::<T::Params>("params", offset_of!(Self, params));
            out.field::<u64>("allocations", offset_of!(Self, allocations));
        });
    }
}

/// Runs the author's `process` on one window: the parameters take the shell's values first and finish the
/// window after, so glides keep time whatever `process` read.
#[inline]
fn run_window<T: PluginLogic>(
    logic: &mut T,
    params: &mut T::Params,
    block: &mut ProcessBlock<'_>,
) -> ProcessStatus {
    let frames = block.buffer.frames();
    params.begin_window(block.params.as_slice(), frames, block.sample_rate);
    let mut ctx = Process {
        buffer: block.buffer.window(0, frames),
        events: block.events,
        params: &mut *params,
        transport: block.transport,
        sample_rate: block.sample_rate,
        sample_position: block.sample_position,
        display: block.display,
    };
    let status = logic.process(&mut ctx);
    params.end_window();
    status
}

impl<T: Identified> LogicObject for Guarded<T> {
    fn info(&mut self) -> Outcome<LogicInfo> {
        let identity = T::IDENTITY;
        Ok(LogicInfo {
            id: identity.id,
            name: identity.name,
            params: T::Params::INFOS,
            on_fault: T::ON_FAULT,
        })
    }

    #[inline]
    fn reset(&mut self, sample_rate: f64, max_block: usize) -> Outcome<()> {
        guard(|| {
            self.params.reset();
            self.logic.reset(sample_rate, max_block);
        })
    }

    #[inline]
    fn process(&mut self, block: &mut ProcessBlock<'_>) -> Outcome<ProcessStatus> {
        let Self { logic, params, allocations } = self;
        if cfg!(debug_assertions) {
            let (outcome, counted) = count_allocations(|| guard(|| run_window(logic, params, block)));
            *allocations += counted;
            outcome
        } else {
            guard(|| run_window(logic, params, block))
        }
    }

    fn save_state(&mut self, sink: &mut dyn StateSink) -> Outcome<()> {
        guard(|| state::save_memory(&self.logic, &mut StateWriter::new(sink)))
    }

    fn load_state(&mut self, data: &[u8]) -> Outcome<Result<(), StateError>> {
        guard(|| state::load_memory(&mut self.logic, data))
    }

    fn latency(&mut self) -> Outcome<u32> {
        guard(|| self.logic.latency())
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
    /// How many guards this thread is inside: a panic there is the author's, reported as a fault.
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`, returning a panic as [`Fault::Panic`] with the panic's message and location. Nothing is printed
/// and nothing allocated from the system on this thread: the shell reports the fault from a thread that may.
#[inline]
pub fn guard<R>(f: impl FnOnce() -> R) -> Outcome<R> {
    GUARDED.with(|depth| depth.set(depth.get() + 1));
    let outcome = panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let recorded = LAST_PANIC.with(Cell::take);
        let message = recorded.unwrap_or_else(|| payload_message(payload.as_ref()));
        // Freed here, inside the guard, while the panic arena still holds it.
        drop(payload);
        Fault::Panic(message)
    });
    GUARDED.with(|depth| depth.set(depth.get() - 1));
    outcome
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

/// Records a panic's message and location into fixed storage (no printing, no backtrace, no allocation): a
/// panic in author code on the audio thread must not do I/O there, and the shell reports it elsewhere. A
/// panic outside any guard (not the author's: the wrapper's own) still goes to the previous hook.
pub(crate) fn install_panic_hook() {
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
            if GUARDED.with(Cell::get) == 0 {
                previous(info);
            }
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
    fn a_guarded_panic_allocates_nothing_from_the_system_even_with_a_formatted_message() {
        install_panic_hook();
        guard(|| -> u32 { panic!("warm up {}", 1) }).unwrap_err();
        let (fault, allocations) = crate::alloc_counter::count_allocations(|| {
            guard(|| -> u32 { panic!("boom {} {}", 42, "formatted") }).unwrap_err()
        });
        assert!(matches!(fault, Fault::Panic(message) if message.as_str().starts_with("boom 42 formatted")));
        assert_eq!(allocations, 0, "the panic runtime's memory came from the arena");
    }

    #[test]
    fn a_normal_return_passes_through() {
        assert_eq!(guard(|| 7), Ok(7));
    }

    /// A logic named `$name` that does nothing, with the parameters `$params`.
    macro_rules! logic_with {
        ($name:ident { $($field:tt)* }) => {
            mod $name {
                use crate::prelude::*;
                #[derive(Params)]
                pub struct P { $($field)* }
                #[derive(DspState)]
                pub struct L;
                impl PluginLogic for L {
                    type Params = P;
                    fn create() -> Self {
                        L
                    }
                    fn process(&mut self, _: &mut Process<'_, P>) -> ProcessStatus {
                        ProcessStatus::Normal
                    }
                }
            }
        };
    }
    logic_with!(one_param { #[param(id = "a", smooth_ms = 5.0)] pub a: FloatParam, });
    logic_with!(two_params {
        #[param(id = "a", smooth_ms = 5.0)] pub a: FloatParam,
        #[param(id = "b")] pub b: BoolParam,
    });

    #[test]
    fn the_parameters_are_part_of_the_layout_a_reload_adopts() {
        assert_eq!(Guarded::<one_param::L>::fingerprint(), Guarded::<one_param::L>::fingerprint());
        assert_ne!(
            Guarded::<one_param::L>::fingerprint(),
            Guarded::<two_params::L>::fingerprint(),
            "a parameter added changes the layout, so its memory is not adopted"
        );
        let text = layout::LayoutWriter::of::<Guarded<one_param::L>>();
        assert!(text.contains("params@") && text.contains("FloatParam"), "{text}");
    }
}
