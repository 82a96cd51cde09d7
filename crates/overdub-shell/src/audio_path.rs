//! Guards for the audio path between a host and a shell: denormals flushed while processing, and only finite,
//! normal samples handed back to the host.
//!
//! Format wrappers and the dev host call [`process_block`]; the shells themselves stay free of these costs so
//! a static shell adds nothing to the author's code.

use crate::engine::HostBlock;
use crate::shell::ShellProcessor;
use overdub_abi::{AudioBuffer, ProcessStatus};

/// Flush-to-zero and denormals-are-zero for this thread while alive; the previous mode is restored on drop.
///
/// Subnormal floats are hundreds of times slower on most CPUs, and a decaying filter or feedback loop produces
/// them constantly. Hosts usually set these modes, but not all do, and a plugin must not rely on it. Only the
/// two flush bits change: rounding and exception masks stay as the host left them.
pub struct DenormalGuard {
    previous: Option<u64>,
}

impl DenormalGuard {
    /// Sets the flush modes when they are not set already.
    #[must_use = "the flush modes are restored when the guard drops"]
    pub fn new() -> Self {
        let current = fp_mode::read();
        let wanted = current | fp_mode::FLUSH_BITS;
        if fp_mode::FLUSH_BITS == 0 || current == wanted {
            return Self { previous: None };
        }
        fp_mode::write(wanted);
        Self { previous: Some(current) }
    }
}

impl Default for DenormalGuard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for DenormalGuard {
    fn drop(&mut self) {
        if let Some(previous) = self.previous {
            fp_mode::write(previous);
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod fp_mode {
    /// MXCSR flush-to-zero (bit 15) and denormals-are-zero (bit 6).
    pub const FLUSH_BITS: u64 = (1 << 15) | (1 << 6);

    pub fn read() -> u64 {
        let mut mxcsr: u32 = 0;
        // SAFETY: `stmxcsr` stores the 32-bit SSE control register to the given, valid, writable address.
        unsafe {
            std::arch::asm!("stmxcsr [{}]", in(reg) &mut mxcsr, options(nostack, preserves_flags));
        }
        u64::from(mxcsr)
    }

    pub fn write(value: u64) {
        let mxcsr = value as u32;
        // SAFETY: `ldmxcsr` loads the SSE control register from a valid address; the value differs from the
        // current one only in the flush bits, which change how subnormal results are rounded, not memory.
        unsafe {
            std::arch::asm!("ldmxcsr [{}]", in(reg) &mxcsr, options(nostack, readonly, preserves_flags));
        }
    }
}

#[cfg(target_arch = "aarch64")]
mod fp_mode {
    /// FPCR flush-to-zero (bit 24).
    pub const FLUSH_BITS: u64 = 1 << 24;

    pub fn read() -> u64 {
        let fpcr: u64;
        // SAFETY: reading FPCR has no side effects.
        unsafe {
            std::arch::asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack, preserves_flags));
        }
        fpcr
    }

    pub fn write(value: u64) {
        // SAFETY: the value differs from the current FPCR only in the flush bit, which changes how subnormal
        // results are rounded, not memory.
        unsafe {
            std::arch::asm!("msr fpcr, {}", in(reg) value, options(nomem, nostack, preserves_flags));
        }
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod fp_mode {
    pub const FLUSH_BITS: u64 = 0;
    pub fn read() -> u64 {
        0
    }
    pub fn write(_: u64) {}
}

/// Samples [`sanitize`] replaced with silence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sanitized {
    /// NaN or infinite samples.
    pub non_finite: u32,
    /// Subnormal samples.
    pub subnormal: u32,
}

impl Sanitized {
    /// Whether anything was replaced.
    pub fn any(&self) -> bool {
        self.non_finite + self.subnormal > 0
    }
}

/// Whether a sample is NaN, infinite or subnormal, from its bits (branch-free, so the scan vectorises).
#[inline]
fn is_unfit(sample: f32) -> bool {
    let magnitude = sample.to_bits() & 0x7fff_ffff;
    (magnitude.wrapping_sub(1) < 0x007f_ffff) | (magnitude >= 0x7f80_0000)
}

/// Replaces every NaN, infinite or subnormal output sample with 0.0, so the host never receives one.
pub fn sanitize(buffer: &mut AudioBuffer<'_>) -> Sanitized {
    let mut report = Sanitized::default();
    for channel in 0..buffer.output_channels() {
        let Some(samples) = buffer.output(channel) else { continue };
        if !samples.iter().fold(false, |bad, &s| bad | is_unfit(s)) {
            continue;
        }
        for sample in samples.iter_mut().filter(|s| is_unfit(**s)) {
            if sample.is_finite() {
                report.subnormal += 1;
            } else {
                report.non_finite += 1;
            }
            *sample = 0.0;
        }
    }
    report
}

/// Runs one block through a shell the way a host's audio thread should: with denormals flushed, and with the
/// output sanitised before the host sees it.
pub fn process_block(
    processor: &mut impl ShellProcessor,
    buffer: &mut AudioBuffer<'_>,
    host: &HostBlock<'_>,
) -> (ProcessStatus, Sanitized) {
    let _flush = DenormalGuard::new();
    let status = processor.process(buffer, host);
    (status, sanitize(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AudioBlock;

    #[test]
    fn unfit_samples_are_classified_by_their_bits() {
        for fit in [0.0, -0.0, 1.0, -1.0, f32::MIN_POSITIVE, f32::MAX] {
            assert!(!is_unfit(fit), "{fit}");
        }
        for unfit in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e-40, -1e-40, f32::from_bits(1)] {
            assert!(is_unfit(unfit), "{unfit}");
        }
    }

    #[test]
    fn sanitize_replaces_and_counts_unfit_samples() {
        let mut block = AudioBlock::new(0, 2, 4);
        block.output_mut(0).copy_from_slice(&[0.5, f32::NAN, 1e-40, -0.25]);
        block.output_mut(1).copy_from_slice(&[f32::INFINITY, 0.0, 0.0, 0.0]);
        let report = sanitize(&mut block.buffer(4));
        assert_eq!(report, Sanitized { non_finite: 2, subnormal: 1 });
        assert_eq!(block.output(0), &[0.5, 0.0, 0.0, -0.25]);
        assert_eq!(block.output(1), &[0.0; 4]);
    }

    #[test]
    fn the_guard_flushes_subnormal_results_and_restores_the_mode() {
        let tiny = std::hint::black_box(f32::MIN_POSITIVE);
        let before = fp_mode::read();
        {
            let _guard = DenormalGuard::new();
            if fp_mode::FLUSH_BITS != 0 {
                assert_eq!(std::hint::black_box(tiny) / std::hint::black_box(4.0), 0.0);
            }
        }
        assert_eq!(fp_mode::read(), before);
        assert!(std::hint::black_box(tiny) / std::hint::black_box(4.0) > 0.0);
    }
}
