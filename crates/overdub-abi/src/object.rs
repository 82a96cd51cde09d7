//! The object-safe face of a logic instance, as the shell calls it across the library boundary.

use crate::message::Message;
use crate::params::ParamInfo;
use crate::process::{ProcessBlock, ProcessStatus};
use crate::state::{StateError, StateSink};
use core::fmt;

/// A call into the logic that did not return normally.
#[repr(C, u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The author's code panicked; the panic was caught inside the library and this is its message.
    Panic(Message) = 0,
    /// The vtable probe answered: the slot-`n` method of [`LogicObject`] ran. Only the probe returns this.
    Probe(u32) = 1,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Panic(message) => write!(f, "panicked: {message}"),
            Self::Probe(slot) => write!(f, "vtable probe answer {slot}"),
        }
    }
}

impl core::error::Error for Fault {}

/// What a call returns: its value, or the fault that stopped it.
pub type Outcome<T> = Result<T, Fault>;

/// What the shell needs to know about a logic before running it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogicInfo {
    /// The plugin's stable identifier (from its crate's `[package.metadata.overdub]`): saved state is tagged
    /// with it, and a shell refuses a build that claims another.
    pub id: &'static str,
    /// The name shown to the user.
    pub name: &'static str,
    /// The parameters, in the order the shell passes their values.
    pub params: &'static [ParamInfo],
    /// What the shell outputs after this logic panicked.
    pub on_fault: OnFault,
}

/// What a faulted instance outputs until a new build revives it.
#[repr(u8)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnFault {
    /// Silence: the safe choice for instruments and anything loud.
    #[default]
    Silence = 0,
    /// The input, unprocessed: keeps a mix audible while an effect is fixed.
    PassThrough = 1,
}

/// A logic instance behind a vtable.
///
/// The `overdub` crate's export macro implements this in the logic library for its guarded wrapper of the
/// author's type, so every method
/// runs the author's code under the library's own `catch_unwind` and returns a panic as [`Fault::Panic`]: a
/// panic must never unwind out of the library, because the loading binary has its own panic runtime and aborts
/// on a foreign unwind. Methods are listed in [`METHODS`] in declaration order; the vtable probe checks that
/// order.
pub trait LogicObject: Send {
    /// Identity and parameters.
    fn info(&mut self) -> Outcome<LogicInfo>;
    /// Prepares for processing at `sample_rate` with blocks of at most `max_block` samples.
    fn reset(&mut self, sample_rate: f64, max_block: usize) -> Outcome<()>;
    /// Processes one block (or window of one); the status carries the logic's tail.
    fn process(&mut self, block: &mut ProcessBlock<'_>) -> Outcome<ProcessStatus>;
    /// Writes the logic's state (what must survive a reload whose layout changed) into `sink`.
    fn save_state(&mut self, sink: &mut dyn StateSink) -> Outcome<()>;
    /// Restores state written by `save_state`, possibly by an older build of the same logic.
    fn load_state(&mut self, data: &[u8]) -> Outcome<Result<(), StateError>>;
    /// Samples of delay the logic adds, so the host can compensate.
    fn latency(&mut self) -> Outcome<u32>;
    /// Allocations the author's `process` made so far (counted in debug builds of the logic, else 0).
    fn allocations(&mut self) -> Outcome<u64>;
    /// Drops the instance inside the library, with the library's allocator and panic guard.
    fn destroy(self: Box<Self>) -> Outcome<()>;
}

/// The methods of [`LogicObject`] in declaration order; the probe answers slot `n` with `Fault::Probe(n)`.
pub const METHODS: [&str; 8] =
    ["info", "reset", "process", "save_state", "load_state", "latency", "allocations", "destroy"];
