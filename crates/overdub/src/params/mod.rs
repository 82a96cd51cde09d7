//! Parameters declared once, by name and type: `#[derive(Params)]` on a struct of [`FloatParam`],
//! [`IntParam`] and [`BoolParam`] fields gives the host its parameter list and the logic typed, smoothed
//! values.
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
