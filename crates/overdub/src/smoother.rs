//! Linear glides, so a jump in a value does not click.

/// A value that glides linearly to each new target over a fixed time.
///
/// Parameters declared with `smooth_ms` carry one already ([`crate::FloatParam::next`]); use this one for
/// the logic's own glides (an envelope, a crossfade): set its target and take one value per sample with
/// [`Smoothed::next_value`].
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

    /// Advances `steps` samples at once, as `steps` calls of [`Smoothed::next_value`] would.
    #[inline]
    pub fn skip(&mut self, steps: u32) {
        if steps >= self.remaining {
            if self.remaining > 0 {
                self.settle(self.target);
            }
            return;
        }
        self.remaining -= steps;
        self.current += self.step * steps as f32;
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

// SAFETY: every field of `Smoothed`, in declaration order with its offset; the pattern in
// `every_field_is_described` fails to compile when a field is added but not listed here.
unsafe impl crate::layout::StateLayout for Smoothed {
    fn describe(out: &mut crate::layout::LayoutWriter) {
        use core::mem::offset_of;
        #[allow(dead_code)]
        fn every_field_is_described(s: &Smoothed) {
            let Smoothed { current: _, target: _, step: _, remaining: _, ramp_samples: _ } = s;
        }
        out.structure::<Self>("Smoothed", |out| {
            out.field::<f32>("current", offset_of!(Self, current));
            out.field::<f32>("target", offset_of!(Self, target));
            out.field::<f32>("step", offset_of!(Self, step));
            out.field::<u32>("remaining", offset_of!(Self, remaining));
            out.field::<u32>("ramp_samples", offset_of!(Self, ramp_samples));
        });
    }
}

impl crate::state::DspState for Smoothed {
    fn save(&self, out: &mut crate::state::StateWriter<'_>) {
        let mut record = out.record(5);
        record.field("current", &self.current);
        record.field("target", &self.target);
        record.field("step", &self.step);
        record.field("remaining", &self.remaining);
        record.field("ramp_samples", &self.ramp_samples);
    }

    fn load(&mut self, input: &mut crate::state::StateReader<'_>) -> Result<(), crate::StateError> {
        input.record(|name, value| match name {
            "current" => value.load(&mut self.current),
            "target" => value.load(&mut self.target),
            "step" => value.load(&mut self.step),
            "remaining" => value.load(&mut self.remaining),
            "ramp_samples" => value.load(&mut self.ramp_samples),
            _ => Ok(()),
        })
    }
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
    fn skipping_lands_where_stepping_would() {
        let mut stepped = Smoothed::new(0.0);
        stepped.set_ramp(1000.0, 8.0);
        stepped.set_target(1.0);
        let mut skipped = stepped;
        for _ in 0..3 {
            stepped.next_value();
        }
        skipped.skip(3);
        assert_eq!(skipped, stepped);
        skipped.skip(100);
        assert_eq!((skipped.current(), skipped.is_smoothing()), (1.0, false));
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
