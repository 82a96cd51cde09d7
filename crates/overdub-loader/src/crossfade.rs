//! Joining old and new output without a click when a new build starts from migrated state: the new instance
//! runs beside the old one for a few milliseconds and the outputs are crossfaded with equal power. (An
//! adopted build continues the very same state, so there is nothing to fade from.)

use std::f32::consts::FRAC_PI_2;

/// Below this peak level (-120 dBFS) output counts as silence: a crossfade between silences is skipped.
pub(crate) const SILENCE: f32 = 1e-6;

/// Progress of an equal-power crossfade.
pub(crate) struct Crossfade {
    length: usize,
    done: usize,
}

impl Crossfade {
    pub(crate) fn new(length: usize) -> Self {
        Self { length: length.max(1), done: 0 }
    }

    /// Mixes one channel of this block: `new` becomes `new·sin θ + old·cos θ`, θ rising from 0 to π/2.
    pub(crate) fn mix(&self, new: &mut [f32], old: &[f32]) {
        for (i, (n, o)) in new.iter_mut().zip(old).enumerate() {
            let t = ((self.done + i) as f32 / self.length as f32).min(1.0);
            let (fade_in, fade_out) = (t * FRAC_PI_2).sin_cos();
            *n = *n * fade_in + *o * fade_out;
        }
    }

    /// Moves on by a block.
    pub(crate) fn advance(&mut self, frames: usize) {
        self.done += frames;
    }

    /// Ends the fade now (both sides silent).
    pub(crate) fn finish(&mut self) {
        self.done = self.length;
    }

    pub(crate) fn is_done(&self) -> bool {
        self.done >= self.length
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_power_crossfade_keeps_constant_power_for_uncorrelated_signals() {
        let fade = Crossfade::new(4);
        let mut new = [1.0; 4];
        fade.mix(&mut new, &[1.0; 4]);
        assert_eq!(new[0], 1.0, "starts on the old output");
        let (s, c) = (0.5f32 * FRAC_PI_2).sin_cos();
        assert!((new[2] - (s + c)).abs() < 1e-6);
    }
}
