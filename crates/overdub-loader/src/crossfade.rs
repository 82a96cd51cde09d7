//! Joining old and new output without a click when a new build starts from migrated state: the new instance
//! runs beside the old one for a few milliseconds and the outputs are crossfaded with equal power. (An
//! adopted build continues the very same state, so there is nothing to fade from.) When the new build reports
//! more latency, the old output is delayed by the difference during the fade so the two line up.

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

/// Longest latency difference a crossfade compensates (about 85 ms at 48 kHz); beyond it the outputs are
/// faded unaligned.
pub(crate) const MAX_ALIGN: usize = 4096;

/// Delays the old build's output during a crossfade by how much more latency the new build reports, so the
/// two are faded in step instead of smearing (a comb filter) or doubling transients.
pub(crate) struct Alignment {
    lines: Vec<Vec<f32>>,
    lag: usize,
    position: usize,
}

impl Alignment {
    /// Room for `channels` channels (allocated here, off the audio thread).
    pub(crate) fn new(channels: usize) -> Self {
        Self { lines: vec![vec![0.0; MAX_ALIGN]; channels], lag: 0, position: 0 }
    }

    /// Starts aligning a fade from a build with `old` samples of latency to one with `new`. Only a later new
    /// output can be matched (the old output is delayed; nothing can make it earlier).
    pub(crate) fn start(&mut self, old: u32, new: u32) {
        let lag = new.saturating_sub(old) as usize;
        self.lag = if lag <= MAX_ALIGN { lag } else { 0 };
        self.position = 0;
        for line in &mut self.lines {
            line.fill(0.0);
        }
    }

    /// Delays one channel of the old output in place (every channel of a block before [`Alignment::advance`]).
    pub(crate) fn delay(&mut self, channel: usize, samples: &mut [f32]) {
        let Some(line) = self.lines.get_mut(channel).filter(|_| self.lag > 0) else { return };
        let mut position = self.position;
        for sample in samples {
            let delayed = line[(position + MAX_ALIGN - self.lag) % MAX_ALIGN];
            line[position] = *sample;
            *sample = delayed;
            position = (position + 1) % MAX_ALIGN;
        }
    }

    /// Moves on by a block.
    pub(crate) fn advance(&mut self, frames: usize) {
        self.position = (self.position + frames) % MAX_ALIGN;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_delays_the_old_output_by_the_latency_difference_across_blocks() {
        let mut align = Alignment::new(1);
        align.start(10, 13);
        let mut first = [1.0, 2.0, 3.0, 4.0];
        align.delay(0, &mut first);
        align.advance(4);
        let mut second = [5.0, 6.0];
        align.delay(0, &mut second);
        assert_eq!(first, [0.0, 0.0, 0.0, 1.0]);
        assert_eq!(second, [2.0, 3.0]);
        align.start(13, 10);
        let mut unchanged = [1.0];
        align.delay(0, &mut unchanged);
        assert_eq!(unchanged, [1.0], "a new build with less latency cannot be matched");
    }

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
