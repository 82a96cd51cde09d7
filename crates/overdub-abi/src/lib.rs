//! Everything that crosses the boundary between an overdub shell and a plugin's logic library, and nothing
//! else: audio buffers, events, transport, the process block and status, parameter descriptions and values,
//! the guarded [`LogicObject`] vtable, the editor's ([`EditorObject`], with the egui types it passes), the
//! audio thread's [`Display`] channel to it, the exports' names and signatures, the ABI [`canary`] and the vtable
//! [`probe`].
//!
//! Any change to this crate's source changes the canary, so a shell never runs a logic library built against
//! a different boundary. What a plugin author writes against (the `PluginLogic` trait, typed parameters,
//! smoothing, derived state, the export macro) lives in the `overdub` crate, where editing it rejects no
//! library built before.

pub mod buffer;
pub mod canary;
pub mod display;
pub mod editor;
pub mod events;
pub mod export;
mod frames;
mod message;
mod object;
mod params;
pub mod probe;
mod process;
mod state;
mod transport;

pub use buffer::{AudioBuffer, ChannelIo};
pub use display::Display;
pub use editor::{EditorEntry, EditorHost, EditorObject, PaintedFrame, egui};
pub use events::{
    ChannelPressure, ControlChange, Event, EventBody, Note, ParamChange, PitchBend, PolyPressure,
};
pub use frames::{Frame, FrameSamples, Frames};
pub use message::{MESSAGE_CAPACITY, Message};
pub use object::{Fault, LogicInfo, LogicObject, METHODS, OnFault, Outcome};
pub use params::{ParamFlags, ParamInfo, ParamValues};
pub use process::{ProcessBlock, ProcessStatus};
pub use state::{StateError, StateSink};
pub use transport::{TimeSignature, Transport};
