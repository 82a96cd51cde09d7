//! Everything that crosses the boundary between an overdub shell and a plugin's logic library.
//!
//! A plugin author implements [`PluginLogic`] and invokes [`export_logic!`] once. The shell (hot or static)
//! drives the logic through the guarded [`LogicObject`] vtable. Any change to this crate changes the
//! [`canary`], so a shell never runs a logic library built against a different boundary.

pub mod alloc_counter;
pub mod buffer;
pub mod canary;
pub mod events;
pub mod export;
mod guard;
pub mod layout;
mod logic;
mod message;
mod object;
mod params;
pub mod probe;
mod process;
mod smoothing;
mod state;
mod transport;

pub use buffer::{AudioBuffer, ChannelIo};
pub use events::{
    ChannelPressure, ControlChange, Event, EventBody, Note, ParamChange, PitchBend, PolyPressure,
};
pub use guard::{Guarded, guard};
pub use layout::{LayoutWriter, StateLayout};
pub use logic::PluginLogic;
pub use message::{MESSAGE_CAPACITY, Message};
pub use object::{Fault, LogicInfo, LogicObject, METHODS, OnFault, Outcome};
pub use params::{ParamFlags, ParamInfo, ParamValues};
pub use process::{Process, ProcessStatus, Tail};
pub use smoothing::Smoothed;
pub use state::{StateError, StateReader, StateSink, StateWriter};
pub use transport::{TimeSignature, Transport};
