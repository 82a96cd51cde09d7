//! The object-safe face of a logic instance, as the shell calls it across the library boundary.

use crate::message::Message;
use crate::params::ParamInfo;
use crate::process::{Process, ProcessStatus, Tail};
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
    /// [`crate::PluginLogic::ID`].
    pub id: &'static str,
    /// [`crate::PluginLogic::NAME`].
    pub name: &'static str,
    /// [`crate::PluginLogic::PARAMS`].
    pub params: &'static [ParamInfo],
    /// [`crate::PluginLogic::ON_FAULT`].
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
/// The export macro implements this in the logic library for a [`crate::Guarded`] author type, so every method
/// runs the author's code under the library's own `catch_unwind` and returns a panic as [`Fault::Panic`]: a
/// panic must never unwind out of the library, because the loading binary has its own panic runtime and aborts
/// on a foreign unwind. Methods are listed in [`METHODS`] in declaration order; the vtable probe checks that
/// order.
pub trait LogicObject: Send {
    /// Identity and parameters.
    fn info(&mut self) -> Outcome<LogicInfo>;
    /// See [`crate::PluginLogic::reset`].
    fn reset(&mut self, sample_rate: f64, max_block: usize) -> Outcome<()>;
    /// See [`crate::PluginLogic::process`].
    fn process(&mut self, ctx: &mut Process<'_>) -> Outcome<ProcessStatus>;
    /// See [`crate::PluginLogic::save_state`].
    fn save_state(&mut self, sink: &mut dyn StateSink) -> Outcome<()>;
    /// See [`crate::PluginLogic::load_state`].
    fn load_state(&mut self, data: &[u8]) -> Outcome<Result<(), StateError>>;
    /// See [`crate::PluginLogic::latency`].
    fn latency(&mut self) -> Outcome<u32>;
    /// See [`crate::PluginLogic::tail`].
    fn tail(&mut self) -> Outcome<Tail>;
    /// Allocations the author's `process` made so far (counted in debug builds of the logic, else 0).
    fn allocations(&mut self) -> Outcome<u64>;
    /// Drops the instance inside the library, with the library's allocator and panic guard.
    fn destroy(self: Box<Self>) -> Outcome<()>;
}

/// The methods of [`LogicObject`] in declaration order; the probe answers slot `n` with `Fault::Probe(n)`.
pub const METHODS: [&str; 9] =
    ["info", "reset", "process", "save_state", "load_state", "latency", "tail", "allocations", "destroy"];
