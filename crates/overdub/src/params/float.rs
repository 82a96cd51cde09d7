//! A continuous parameter, with its glide built in.

use crate::layout::{LayoutWriter, StateLayout};
use crate::smoother::Smoothed;

/// A continuous parameter as `process` reads it: [`FloatParam::value`] for the plain value,
/// [`FloatParam::next`] for the value glided sample by sample.
///
/// The glide is set up by the guard: its time is the `smooth_ms` the parameter declares (none: values jump),
/// its sample rate the one the logic was reset for, and after a reset the first value is taken as it is. It
/// advances once per call of `next` and keeps time across windows even when `process` does not call it
/// (calls beyond the window's length hold the last value).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FloatParam {
    value: f32,
    glide: Smoothed,
    window_left: u32,
    settle: bool,
}

impl FloatParam {
    /// A parameter holding `value`, with no glide under way.
    pub const fn new(value: f32) -> Self {
        Self { value, glide: Smoothed::new(value), window_left: 0, settle: true }
    }

    /// The plain value in force for this window.
    #[inline]
    pub fn value(&self) -> f32 {
        self.value
    }

    /// The glided value for the next sample of this window.
    #[inline]
    // Named like an iterator's `next` on purpose: one value per sample is what DSP code reads it as. The
    // parameter is not an iterator (it never ends, and it is read inside a loop over frames, not looped over).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> f32 {
        if self.window_left > 0 {
            self.window_left -= 1;
            self.glide.next_value()
        } else {
            self.glide.current()
        }
    }

    /// The glided value as of the last [`FloatParam::next`], without advancing.
    pub fn smoothed(&self) -> f32 {
        self.glide.current()
    }

    /// Whether a glide is under way.
    pub fn is_smoothing(&self) -> bool {
        self.glide.is_smoothing()
    }

    #[doc(hidden)]
    pub fn reset(&mut self) {
        self.settle = true;
    }

    #[doc(hidden)]
    pub fn begin_window(&mut self, value: f64, frames: usize, sample_rate: f64, smooth_ms: f64) {
        let value = value as f32;
        if self.settle {
            self.glide.settle(value);
            self.settle = false;
        } else if value != self.value {
            self.glide.set_ramp(sample_rate, smooth_ms);
            self.glide.set_target(value);
        }
        self.value = value;
        self.window_left = u32::try_from(frames).unwrap_or(u32::MAX);
    }

    #[doc(hidden)]
    pub fn end_window(&mut self) {
        self.glide.skip(self.window_left);
        self.window_left = 0;
    }
}

// SAFETY: every field of `FloatParam` in declaration order with its offset; the pattern below fails to
// compile when a field is added but not listed.
unsafe impl StateLayout for FloatParam {
    fn describe(out: &mut LayoutWriter) {
        use core::mem::offset_of;
        #[allow(dead_code)]
        fn every_field_is_described(p: &FloatParam) {
            let FloatParam { value: _, glide: _, window_left: _, settle: _ } = p;
        }
        out.structure::<Self>("FloatParam", |out| {
            out.field::<f32>("value", offset_of!(Self, value));
            out.field::<Smoothed>("glide", offset_of!(Self, glide));
            out.field::<u32>("window_left", offset_of!(Self, window_left));
            out.field::<bool>("settle", offset_of!(Self, settle));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(param: &mut FloatParam, value: f64, frames: usize) -> Vec<f32> {
        param.begin_window(value, frames, 1000.0, 4.0);
        let out = (0..frames).map(|_| param.next()).collect();
        param.end_window();
        out
    }

    #[test]
    fn the_first_value_after_a_reset_is_taken_as_it_is() {
        let mut p = FloatParam::new(0.0);
        assert_eq!(window(&mut p, 1.0, 3), [1.0, 1.0, 1.0]);
        p.reset();
        assert_eq!(window(&mut p, 0.5, 2), [0.5, 0.5]);
    }

    #[test]
    fn a_change_glides_over_the_declared_time_across_windows() {
        let mut p = FloatParam::new(0.0);
        window(&mut p, 0.0, 1);
        assert_eq!(window(&mut p, 1.0, 2), [0.25, 0.5]);
        assert_eq!(window(&mut p, 1.0, 3), [0.75, 1.0, 1.0]);
    }

    #[test]
    fn a_window_that_takes_no_value_still_advances_the_glide() {
        let mut p = FloatParam::new(0.0);
        window(&mut p, 0.0, 1);
        p.begin_window(1.0, 2, 1000.0, 4.0);
        p.end_window();
        assert_eq!(window(&mut p, 1.0, 2), [0.75, 1.0]);
    }

    #[test]
    fn calls_beyond_the_window_hold_the_last_value() {
        let mut p = FloatParam::new(0.0);
        window(&mut p, 0.0, 1);
        p.begin_window(1.0, 1, 1000.0, 4.0);
        assert_eq!([p.next(), p.next(), p.next()], [0.25, 0.25, 0.25]);
        p.end_window();
        assert_eq!(window(&mut p, 1.0, 1), [0.5]);
    }
}
