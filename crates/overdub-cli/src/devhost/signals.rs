//! Test signals the dev host feeds an effect, generated on the audio thread without allocating.

use std::f64::consts::TAU;

/// What plays into the logic's inputs.
#[derive(Clone, Debug, PartialEq)]
pub enum Signal {
    /// Nothing (for instruments).
    Silence,
    /// A sine at this frequency in hertz.
    Sine(f64),
    /// A logarithmic sweep from 20 Hz to 20 kHz over this many seconds, repeated.
    Sweep(f64),
    /// White noise.
    Noise,
    /// A single-sample click every this many seconds.
    Impulses(f64),
    /// A file's channels, looped.
    Looped(Vec<Vec<f32>>),
}

/// Level of the generated signals: -6 dBFS leaves room for effects that add gain.
const LEVEL: f64 = 0.5;

/// Plays a [`Signal`] block by block into buffers sized once, continuing where the last block ended.
pub struct SignalSource {
    signal: Signal,
    sample_rate: f64,
    position: u64,
    phase: f64,
    noise: u32,
    channels: Vec<Vec<f32>>,
}

impl SignalSource {
    /// Starts `signal` at its beginning, for blocks of at most `max_block` frames.
    pub fn new(signal: Signal, sample_rate: f64, max_block: usize) -> Self {
        let count = match &signal {
            Signal::Looped(file) => file.len().max(1),
            _ => 1,
        };
        Self {
            signal,
            sample_rate,
            position: 0,
            phase: 0.0,
            noise: 0x9e37_79b9,
            channels: vec![vec![0.0; max_block]; count],
        }
    }

    /// Generates the next `frames` samples; more than `max_block` are clamped to it.
    pub fn advance(&mut self, frames: usize) {
        let frames = frames.min(self.max_block());
        if let Signal::Looped(file) = &self.signal {
            let length = file.first().map_or(0, Vec::len) as u64;
            for (out, source) in self.channels.iter_mut().zip(file) {
                for (i, sample) in out[..frames].iter_mut().enumerate() {
                    *sample = if length == 0 {
                        0.0
                    } else {
                        source[((self.position + i as u64) % length) as usize]
                    };
                }
            }
            self.position += frames as u64;
            return;
        }
        for i in 0..frames {
            self.channels[0][i] = self.next_sample() as f32;
        }
    }

    /// Channel `index` of the samples the last [`SignalSource::advance`] generated (mono signals and files
    /// with fewer channels repeat theirs), at most `max_block` of them.
    pub fn channel(&self, index: usize, frames: usize) -> &[f32] {
        let channel = &self.channels[index % self.channels.len()];
        &channel[..frames.min(channel.len())]
    }

    /// Largest block, as given to [`SignalSource::new`].
    fn max_block(&self) -> usize {
        self.channels[0].len()
    }

    fn next_sample(&mut self) -> f64 {
        let t = self.position as f64 / self.sample_rate;
        self.position += 1;
        match self.signal {
            Signal::Silence | Signal::Looped(_) => 0.0,
            Signal::Sine(hz) => self.oscillate(hz),
            Signal::Sweep(seconds) => {
                let fraction = (t % seconds) / seconds;
                self.oscillate(20.0 * 1000f64.powf(fraction))
            }
            Signal::Noise => {
                self.noise ^= self.noise << 13;
                self.noise ^= self.noise >> 17;
                self.noise ^= self.noise << 5;
                (f64::from(self.noise) / f64::from(u32::MAX) * 2.0 - 1.0) * LEVEL
            }
            Signal::Impulses(period) => {
                let every = (period * self.sample_rate).round().max(1.0) as u64;
                if (self.position - 1).is_multiple_of(every) { LEVEL } else { 0.0 }
            }
        }
    }

    fn oscillate(&mut self, hz: f64) -> f64 {
        let sample = (self.phase * TAU).sin() * LEVEL;
        self.phase = (self.phase + hz / self.sample_rate).fract();
        sample
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(signal: Signal, frames: usize) -> Vec<f32> {
        let mut source = SignalSource::new(signal, 1000.0, frames);
        source.advance(frames);
        source.channel(0, frames).to_vec()
    }

    #[test]
    fn impulses_fall_on_their_period() {
        let out = render(Signal::Impulses(0.01), 25);
        let clicks: Vec<usize> = (0..25).filter(|&i| out[i] != 0.0).collect();
        assert_eq!(clicks, vec![0, 10, 20]);
    }

    #[test]
    fn a_sine_continues_across_blocks() {
        let whole = render(Signal::Sine(50.0), 40);
        let mut source = SignalSource::new(Signal::Sine(50.0), 1000.0, 25);
        source.advance(25);
        let mut joined = source.channel(0, 25).to_vec();
        source.advance(15);
        joined.extend_from_slice(source.channel(1, 15));
        assert_eq!(joined, whole);
    }

    #[test]
    fn a_file_loops_and_fills_every_channel() {
        let mut source = SignalSource::new(Signal::Looped(vec![vec![1.0, 2.0, 3.0]]), 1000.0, 5);
        source.advance(5);
        assert_eq!(source.channel(0, 5), [1.0, 2.0, 3.0, 1.0, 2.0]);
        assert_eq!(source.channel(1, 5), source.channel(0, 5));
    }

    #[test]
    fn more_frames_than_the_largest_block_are_clamped() {
        let mut source = SignalSource::new(Signal::Sine(50.0), 1000.0, 8);
        source.advance(20);
        assert_eq!(source.channel(0, 20).len(), 8);
        let mut file = SignalSource::new(Signal::Looped(vec![vec![1.0; 3]]), 1000.0, 4);
        file.advance(10);
        assert_eq!(file.channel(1, 10), [1.0; 4]);
    }
}
