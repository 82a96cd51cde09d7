//! Peak and RMS levels, measured on the audio thread and read by the terminal without a lock.

use std::sync::atomic::{AtomicU32, Ordering};

/// The last completed measurement window, shared between the audio thread and the display.
#[derive(Debug, Default)]
pub struct Levels {
    peak: AtomicU32,
    rms: AtomicU32,
}

impl Levels {
    /// Peak and RMS (linear, 0.0–1.0 is full scale) of the last completed window.
    pub fn read(&self) -> (f32, f32) {
        (f32::from_bits(self.peak.load(Ordering::Relaxed)), f32::from_bits(self.rms.load(Ordering::Relaxed)))
    }
}

/// Accumulates output on the audio thread and publishes a window's levels when it is complete.
pub struct Meter {
    window: u64,
    counted: u64,
    peak: f32,
    squares: f64,
}

impl Meter {
    /// Windows of `window` frames (at least one).
    pub fn new(window: u64) -> Self {
        Self { window: window.max(1), counted: 0, peak: 0.0, squares: 0.0 }
    }

    /// Adds one channel's samples of the current block; [`Meter::end_block`] then counts the block's frames
    /// once towards the window.
    pub fn add(&mut self, samples: &[f32]) {
        for &s in samples {
            self.peak = self.peak.max(s.abs());
            self.squares += f64::from(s) * f64::from(s);
        }
    }

    /// Ends a block of `frames` frames over `channels` channels, publishing to `levels` when the window is
    /// full.
    pub fn end_block(&mut self, frames: usize, channels: usize, levels: &Levels) {
        self.counted += frames as u64;
        if self.counted < self.window {
            return;
        }
        let values = (self.counted * channels.max(1) as u64) as f64;
        let rms = (self.squares / values).sqrt() as f32;
        levels.peak.store(self.peak.to_bits(), Ordering::Relaxed);
        levels.rms.store(rms.to_bits(), Ordering::Relaxed);
        self.counted = 0;
        self.peak = 0.0;
        self.squares = 0.0;
    }
}

/// A level in dBFS for display, floored at -120.
pub fn dbfs(level: f32) -> f32 {
    (20.0 * level.max(1e-6).log10()).max(-120.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishes_peak_and_rms_once_the_window_is_full() {
        let levels = Levels::default();
        let mut meter = Meter::new(4);
        meter.add(&[1.0, -1.0]);
        meter.end_block(2, 1, &levels);
        assert_eq!(levels.read(), (0.0, 0.0));
        meter.add(&[1.0, -1.0]);
        meter.end_block(2, 1, &levels);
        assert_eq!(levels.read(), (1.0, 1.0));
        assert_eq!(dbfs(0.5).round(), -6.0);
    }
}
