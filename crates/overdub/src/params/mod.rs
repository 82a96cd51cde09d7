//! Parameters declared once, by name and type: `#[derive(Params)]` on a struct of [`FloatParam`],
//! [`IntParam`] and [`BoolParam`] fields gives the host its parameter list and the logic typed, smoothed
//! values.
//!
//! ```text
//! #[param(id = "gain", name = "Gain", range = -60.0..=12.0, default = 0.0, unit = "dB", smooth_ms = 20.0)]
//! pub gain: FloatParam,
//! #[param(id = "voices", range = 1..=16, default = 8)]
//! pub voices: IntParam,
//! #[param(id = "bypass", bypass)]
//! pub bypass: BoolParam,
//! ```
//!
//! `id` is required and must never change: hosts store the number [`param_id`] derives from it, and two
//! ids whose numbers collide fail the build. `name` defaults to the field's name in words (`dry_wet` is
//! "Dry Wet"); `range` to `0.0..=1.0` (an `IntParam` needs one); `default` to the range's start; `unit` to
//! none; `smooth_ms` (a `FloatParam`'s glide, read with [`FloatParam::next`]) to none; and the flags
//! `bypass`, `hidden` and `read_only` to off. Every parameter is automatable.
//!
//! The values stay owned by the shell (they survive every reload). The logic library's guard keeps one
//! instance of the struct beside the logic and brings it up to date with the shell's values at every
//! processing window (the shell cuts blocks at each parameter change, so a window's values hold for all of
//! it); [`crate::Process::params`] hands it to `process`.

mod float;
mod id;
mod switch;

pub use float::FloatParam;
pub use id::{assert_unique_ids, first_collision, param_id};
pub use switch::{BoolParam, IntParam};

use crate::layout::StateLayout;
use overdub_abi::ParamInfo;

/// A logic's parameters: derived with `#[derive(Params)]`; `()` for a logic without any.
///
/// The methods are the guard's: authors read the fields.
pub trait Params: StateLayout + Send + Sized + 'static {
    /// What the host sees, in field order (the order the shell passes values in).
    const INFOS: &'static [ParamInfo];

    /// Every parameter at its default.
    fn new() -> Self;

    /// Forgets glides in progress: the next window's values are taken as they are, not glided to (the
    /// logic was just reset, maybe at another sample rate).
    fn reset(&mut self);

    /// Takes the shell's values (in [`Params::INFOS`] order) for a window of `frames` samples at
    /// `sample_rate`: a changed value starts its glide.
    fn begin_window(&mut self, values: &[f64], frames: usize, sample_rate: f64);

    /// Ends the window: glides advance by the samples the logic did not take, so they keep time whatever
    /// `process` read.
    fn end_window(&mut self);
}

#[cfg(test)]
mod tests;

impl Params for () {
    const INFOS: &'static [ParamInfo] = &[];
    fn new() -> Self {}
    fn reset(&mut self) {}
    fn begin_window(&mut self, _: &[f64], _: usize, _: f64) {}
    fn end_window(&mut self) {}
}
