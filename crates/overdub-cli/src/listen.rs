//! What a listener would have heard around a swap, measured on a recording: whether a tail kept ringing, and
//! whether the swap itself made the waveform jump.

/// One channel of a recording and the frames that matter.
pub struct Recording<'a> {
    /// The samples.
    pub samples: &'a [f32],
    /// Samples per second.
    pub sample_rate: u32,
    /// The first frame the new code produced.
    pub swap: usize,
}

/// Energy on both sides of the swap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tail {
    /// RMS of the window before the swap.
    pub before: f32,
    /// RMS of the window after it.
    pub after: f32,
}

impl Tail {
    /// The tail survived: there was one before the swap, and it did not drop to silence (within 60 dB).
    pub fn survived(&self) -> bool {
        self.before > 0.0 && self.after > self.before * 1e-3
    }
}

/// Sample-to-sample jumps at the swap and in steady state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Jumps {
    /// Largest jump within the frames around the swap.
    pub at_swap: f32,
    /// Largest jump in the steady-state window before it.
    pub steady: f32,
}

impl Jumps {
    /// `at_swap / steady`.
    pub fn ratio(&self) -> f32 {
        if self.steady > 0.0 { self.at_swap / self.steady } else { f32::INFINITY }
    }
}

impl Recording<'_> {
    /// RMS of `seconds` before and after the swap, the window before starting no earlier than `from`.
    pub fn tail(&self, seconds: f64, from: usize) -> Tail {
        let length = (seconds * f64::from(self.sample_rate)) as usize;
        let start = self.swap.saturating_sub(length).max(from).min(self.swap);
        let end = (self.swap + (self.swap - start)).min(self.samples.len());
        Tail { before: rms(&self.samples[start..self.swap]), after: rms(&self.samples[self.swap..end]) }
    }

    /// Largest jump within `near` frames of the swap, against the largest over `steady` frames ending `near`
    /// frames before it.
    pub fn jumps(&self, near: usize, steady: usize) -> Jumps {
        let around = self.swap.saturating_sub(near)..(self.swap + near).min(self.samples.len());
        let steady_end = around.start;
        let steady_range = steady_end.saturating_sub(steady)..steady_end;
        Jumps {
            at_swap: largest_jump(&self.samples[around]),
            steady: largest_jump(&self.samples[steady_range]),
        }
    }
}

/// Root mean square; 0 for no samples.
pub fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum::<f64>() / samples.len() as f64).sqrt() as f32
}

/// The largest absolute difference between neighbouring samples.
pub fn largest_jump(samples: &[f32]) -> f32 {
    samples.windows(2).map(|w| (w[1] - w[0]).abs()).fold(0.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tail_cut_to_silence_did_not_survive() {
        let mut samples = vec![0.5; 200];
        samples[100..].fill(0.0);
        let recording = Recording { samples: &samples, sample_rate: 100, swap: 100 };
        assert!(!recording.tail(0.5, 0).survived());
        samples[100..].fill(0.25);
        let recording = Recording { samples: &samples, sample_rate: 100, swap: 100 };
        let tail = recording.tail(0.5, 0);
        assert_eq!((tail.before, tail.after), (0.5, 0.25));
        assert!(tail.survived());
    }

    #[test]
    fn a_step_at_the_swap_is_a_jump_beyond_steady_state() {
        let mut samples: Vec<f32> = (0..400).map(|i| if i % 2 == 0 { 0.1 } else { -0.1 }).collect();
        samples[300..].iter_mut().for_each(|s| *s += 0.5);
        let recording = Recording { samples: &samples, sample_rate: 100, swap: 300 };
        let jumps = recording.jumps(10, 100);
        assert!((jumps.steady - 0.2).abs() < 1e-6);
        assert!(jumps.at_swap > 0.6);
        assert!(jumps.ratio() > 3.0);
    }
}
