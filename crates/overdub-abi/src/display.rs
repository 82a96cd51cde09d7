//! The channel from the audio thread to the editor: meters and a scope the logic's `process` writes and the
//! editor reads each frame, living in the shell so it survives every reload.
//!
//! It is a fixed block of atomics: writing is a few relaxed stores (no allocation, no lock, no system
//! call), reading never blocks the writer. The audio thread is the only writer; any number of readers may
//! look. A reader sees each meter's latest value and the scope's latest samples; a sample the writer
//! overwrote while it was being copied is dropped, never shown torn.

use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Meter slots a logic may write.
pub const METERS: usize = 8;
/// Samples the scope keeps.
pub const SCOPE_LEN: usize = 2048;

/// Where display data goes when no editor can see it (a warm-up run, a block without a shell): shared and
/// never read, so any instance may write it.
pub static DISCARDED: Display = Display::new();

/// Meters and a scope, written by the audio thread and read by the editor.
#[repr(C)]
pub struct Display {
    meters: [AtomicU32; METERS],
    scope: [AtomicU32; SCOPE_LEN],
    /// Scope samples written since creation: the next one goes to `written % SCOPE_LEN`.
    written: AtomicU64,
}

impl Default for Display {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for Display {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Display").field("written", &self.written.load(Ordering::Relaxed)).finish()
    }
}

impl Display {
    /// All meters at 0, the scope empty.
    pub const fn new() -> Self {
        Self {
            meters: [const { AtomicU32::new(0) }; METERS],
            scope: [const { AtomicU32::new(0) }; SCOPE_LEN],
            written: AtomicU64::new(0),
        }
    }

    /// Sets meter `slot` (ignored past [`METERS`]). Real-time safe.
    #[inline]
    pub fn set_meter(&self, slot: usize, value: f32) {
        if let Some(meter) = self.meters.get(slot) {
            meter.store(value.to_bits(), Ordering::Relaxed);
        }
    }

    /// The latest value of meter `slot` (0 past [`METERS`]).
    pub fn meter(&self, slot: usize) -> f32 {
        self.meters.get(slot).map_or(0.0, |meter| f32::from_bits(meter.load(Ordering::Relaxed)))
    }

    /// Appends samples to the scope. Real-time safe; only the audio thread calls it.
    #[inline]
    pub fn push_scope(&self, samples: &[f32]) {
        let mut written = self.written.load(Ordering::Relaxed);
        for &sample in samples {
            self.scope[(written % SCOPE_LEN as u64) as usize].store(sample.to_bits(), Ordering::Relaxed);
            written += 1;
        }
        self.written.store(written, Ordering::Release);
    }

    /// Copies the latest scope samples into the end of `out`, oldest first; returns how many it copied (fewer
    /// than `out.len()` before the scope filled up, or when the writer overtook the copy).
    pub fn read_scope(&self, out: &mut [f32]) -> usize {
        let end = self.written.load(Ordering::Acquire);
        let wanted = (out.len() as u64).min(end).min(SCOPE_LEN as u64);
        let start = end - wanted;
        let offset = out.len() - wanted as usize;
        for (i, position) in (start..end).enumerate() {
            out[offset + i] =
                f32::from_bits(self.scope[(position % SCOPE_LEN as u64) as usize].load(Ordering::Relaxed));
        }
        // Samples the writer replaced during the copy belong to a later lap: drop them.
        let now = self.written.load(Ordering::Acquire);
        let overwritten = now.saturating_sub(SCOPE_LEN as u64).saturating_sub(start).min(wanted) as usize;
        out[offset..offset + overwritten].fill(0.0);
        wanted as usize - overwritten
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meters_hold_the_latest_value() {
        let display = Display::new();
        display.set_meter(1, 0.5);
        display.set_meter(1, 0.25);
        display.set_meter(METERS, 1.0);
        assert_eq!(display.meter(1), 0.25);
        assert_eq!(display.meter(0), 0.0);
        assert_eq!(display.meter(METERS), 0.0);
    }

    #[test]
    fn the_scope_returns_the_latest_samples_oldest_first() {
        let display = Display::new();
        let mut out = [9.0; 4];
        assert_eq!(display.read_scope(&mut out), 0);
        display.push_scope(&[1.0, 2.0]);
        assert_eq!(display.read_scope(&mut out), 2);
        assert_eq!(&out[2..], &[1.0, 2.0]);
        let many: Vec<f32> = (0..SCOPE_LEN as u32 + 10).map(|i| i as f32).collect();
        display.push_scope(&many);
        assert_eq!(display.read_scope(&mut out), 4);
        let last = (SCOPE_LEN + 9) as f32;
        assert_eq!(out, [last - 3.0, last - 2.0, last - 1.0, last]);
    }
}
