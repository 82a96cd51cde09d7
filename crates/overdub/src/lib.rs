//! overdub: the one dependency a plugin author names.
//!
//! Implement [`PluginLogic`] for your plugin's state (and derive [`StateLayout`] for it), declare its
//! parameters as constants, and invoke
//! [`export_logic!`] once. The same crate then runs hot (rebuilt and reloaded into the running host on every
//! save) and static (compiled into a release plugin with nothing of the reload machinery).
//!
//! ```
//! use overdub::prelude::*;
//!
//! #[derive(StateLayout)]
//! pub struct Gain { gain: Smoothed }
//!
//! impl PluginLogic for Gain {
//!     const ID: &'static str = "com.example.gain";
//!     const NAME: &'static str = "Gain";
//!     const PARAMS: &'static [ParamInfo] = &[ParamInfo::new(0, "Gain").range(0.0, 2.0).default_value(1.0)];
//!
//!     fn create() -> Self { Gain { gain: Smoothed::new(1.0) } }
//!     fn reset(&mut self, sample_rate: f64, _max_block: usize) { self.gain.set_ramp(sample_rate, 20.0); }
//!     fn process(&mut self, ctx: &mut Process<'_>) -> ProcessStatus {
//!         self.gain.set_target(ctx.params.get(0) as f32);
//!         let start = self.gain;
//!         for channel in 0..ctx.buffer.output_channels() {
//!             let mut gain = start; // every channel follows the same glide
//!             for sample in ctx.buffer.in_place(channel).into_iter().flatten() {
//!                 *sample *= gain.next_value();
//!             }
//!             self.gain = gain;
//!         }
//!         ProcessStatus::Normal
//!     }
//! }
//! ```

pub use overdub_abi::*;
pub use overdub_derive::StateLayout;

/// Everything a logic crate usually needs, in one import.
pub mod prelude {
    pub use overdub_abi::{
        AudioBuffer, ChannelIo, Event, EventBody, Note, OnFault, ParamFlags, ParamInfo, PluginLogic, Process,
        ProcessStatus, Smoothed, StateError, StateLayout, StateReader, StateWriter, Tail, Transport,
        export_logic,
    };
    pub use overdub_derive::StateLayout;
}
