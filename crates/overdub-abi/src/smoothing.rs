//! Parameter smoothing, so a jump in a parameter does not click.

/// A value that glides linearly to each new target over a fixed time.
///
/// Keep one per smoothed parameter in the logic's state; set its target when the parameter changes and take
/// one value per sample with [`Smoothed::next_value`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Smoothed {
    current: f32,
    target: f32,
    step: f32,
    remaining: u32,
    ramp_samples: u32,
}

impl Smoothed {
    /// Starts settled at `value`, with no ramp until [`Smoothed::set_ramp`] is called.
    pub const fn new(value: f32) -> Self {
        Self { current: value, target: value, step: 0.0, remaining: 0, ramp_samples: 0 }
    }

    /// Sets how long a glide takes; call from `reset`, where the sample rate is known.
    pub fn set_ramp(&mut self, sample_rate: f64, millis: f64) {
        self.ramp_samples = (sample_rate * millis / 1000.0).round().max(0.0) as u32;
    }

    /// Starts gliding towards `target` (no-op when it is the current target).
    pub fn set_target(&mut self, target: f32) {
        if target == self.target {
            return;
        }
        self.target = target;
        if self.ramp_samples == 0 {
            self.settle(target);
            return;
        }
        self.remaining = self.ramp_samples;
        self.step = (target - self.current) / self.ramp_samples as f32;
    }

    /// Jumps to `value` without gliding.
    pub fn settle(&mut self, value: f32) {
        self.current = value;
        self.target = value;
        self.remaining = 0;
        self.step = 0.0;
    }

    /// The value for the next sample.
    #[inline]
    pub fn next_value(&mut self) -> f32 {
        if self.remaining > 0 {
            self.remaining -= 1;
            self.current = if self.remaining == 0 { self.target } else { self.current + self.step };
        }
        self.current
    }

    /// The value now, without advancing.
    pub fn current(&self) -> f32 {
        self.current
    }

    /// Where the glide ends.
    pub fn target(&self) -> f32 {
        self.target
    }

    /// Whether a glide is under way.
    pub fn is_smoothing(&self) -> bool {
        self.remaining > 0
    }
}

/// Describes [`Smoothed`]'s fields for its `StateLayout` implementation.
pub(crate) fn describe_layout(out: &mut crate::layout::LayoutWriter) {
    use core::mem::offset_of;
    #[allow(dead_code)]
    fn every_field_is_described(s: &Smoothed) {
        let Smoothed { current: _, target: _, step: _, remaining: _, ramp_samples: _ } = s;
    }
    out.structure::<Smoothed>("Smoothed", |out| {
        out.field::<f32>("current", offset_of!(Smoothed, current));
        out.field::<f32>("target", offset_of!(Smoothed, target));
        out.field::<f32>("step", offset_of!(Smoothed, step));
        out.field::<u32>("remaining", offset_of!(Smoothed, remaining));
        out.field::<u32>("ramp_samples", offset_of!(Smoothed, ramp_samples));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glides_linearly_and_lands_exactly_on_target() {
        let mut s = Smoothed::new(0.0);
        s.set_ramp(1000.0, 4.0);
        s.set_target(1.0);
        let values: Vec<f32> = (0..6).map(|_| s.next_value()).collect();
        assert_eq!(values, vec![0.25, 0.5, 0.75, 1.0, 1.0, 1.0]);
        assert!(!s.is_smoothing());
    }

    #[test]
    fn without_a_ramp_it_jumps() {
        let mut s = Smoothed::new(0.0);
        s.set_target(0.5);
        assert_eq!(s.next_value(), 0.5);
    }

    #[test]
    fn retargeting_mid_glide_starts_from_the_current_value() {
        let mut s = Smoothed::new(0.0);
        s.set_ramp(1000.0, 2.0);
        s.set_target(1.0);
        assert_eq!(s.next_value(), 0.5);
        s.set_target(0.0);
        assert_eq!(s.next_value(), 0.25);
        assert_eq!(s.next_value(), 0.0);
    }
}
