//! overdub: the one dependency a plugin author names.
//!
//! Declare the plugin's parameters as a struct with `#[derive(Params)]`, hold its DSP memory in a struct with
//! `#[derive(DspState)]`, implement [`PluginLogic`] for it, name the plugin once in `Cargo.toml`'s
//! `[package.metadata.overdub]`, and invoke [`export_logic!`] once. The same crate then runs hot (rebuilt
//! and reloaded into the running host on every save) and static (compiled into a release plugin with
//! nothing of the reload machinery).
//!
//! ```
//! use overdub::prelude::*;
//!
//! #[derive(Params)]
//! pub struct GainParams {
//!     #[param(id = "gain", range = -60.0..=12.0, default = 0.0, unit = "dB", smooth_ms = 20.0)]
//!     pub gain: FloatParam,
//! }
//!
//! #[derive(DspState)]
//! pub struct Gain;
//!
//! impl PluginLogic for Gain {
//!     type Params = GainParams;
//!
//!     fn create() -> Self {
//!         Gain
//!     }
//!
//!     fn process(&mut self, ctx: &mut Process<'_, GainParams>) -> ProcessStatus {
//!         for mut frame in ctx.buffer.frames_mut() {
//!             let gain = db_to_gain(ctx.params.gain.next());
//!             for sample in &mut frame {
//!                 *sample *= gain;
//!             }
//!         }
//!         ProcessStatus::Normal
//!     }
//! }
//! # assert_eq!(GainParams::INFOS[0].id, param_id("gain"));
//! ```
//!
//! Parameter ids are stable numbers derived from the string ids ([`param_id`]); two string ids whose numbers
//! collide fail the build:
//!
//! ```compile_fail
//! use overdub::prelude::*;
//! #[derive(Params)]
//! pub struct Clash {
//!     #[param(id = "p_acbjm")]
//!     pub a: FloatParam,
//!     #[param(id = "p_mbaba")] // hashes to the same number as "p_acbjm"
//!     pub b: FloatParam,
//! }
//! ```
//!
//! What crosses into the shell is in [`abi`] (the `overdub-abi` crate); nothing in this crate is part of
//! that boundary, so editing it rejects no library built before.

extern crate self as overdub;

pub mod alloc_counter;
mod context;
mod decibels;
pub mod editor;
mod export;
mod guard;
pub mod layout;
mod logic;
mod panic_arena;
pub mod params;
mod smoother;
pub mod state;

pub use overdub_abi as abi;

pub use context::Process;
pub use decibels::{SILENCE_DB, db_to_gain, gain_to_db};
pub use editor::{Editor, EditorContext, egui};
pub use guard::{Guarded, guard};
pub use layout::{LayoutWriter, StateLayout};
pub use logic::{Identified, Identity, PluginLogic};
pub use overdub_abi::{
    AudioBuffer, ChannelIo, Display, Event, EventBody, Frame, Frames, Note, OnFault, ParamFlags, ParamInfo,
    ProcessStatus, StateError, Transport,
};
pub use overdub_derive::{DspState, Params, StateLayout};
pub use params::{BoolParam, FloatParam, IntParam, Params, param_id};
pub use smoother::Smoothed;
pub use state::{DspState, StateReader, StateWriter};

#[doc(hidden)]
pub use overdub_derive::manifest_identity as __manifest_identity;

/// Everything a logic crate usually needs, in one import.
pub mod prelude {
    pub use crate::{
        AudioBuffer, BoolParam, ChannelIo, DspState, Editor, EditorContext, Event, EventBody, FloatParam,
        Frame, IntParam, Note, OnFault, ParamFlags, Params, PluginLogic, Process, ProcessStatus, Smoothed,
        StateLayout, Transport, db_to_gain, egui, export_logic, gain_to_db, param_id,
    };
}
