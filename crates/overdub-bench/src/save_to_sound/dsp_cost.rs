//! What a block of the DSP fixture costs, built in each profile: the library loaded into a hot shell (as the
//! dev host runs it) and timed on stereo noise, beside the real-time budget of the block.

use overdub_loader::HotShell;
use overdub_shell::{AudioBlock, Continuity, HostBlock, ProcessConfig, Shell, ShellProcessor};
use std::path::Path;
use std::time::Instant;

/// Frames per block, as `overdub dev` plays by default.
pub const BLOCK: usize = 256;

/// Sample rate.
pub const RATE: f64 = 48_000.0;

/// Blocks timed per round.
const BLOCKS: usize = 400;

/// Microseconds one block of `library` takes, median of five rounds.
pub fn per_block_us(library: &Path) -> f64 {
    let mut shell = HotShell::load(library).expect("the DSP fixture loads");
    let mut processor =
        shell.activate(ProcessConfig::stereo(RATE, BLOCK), Continuity::Reset).expect("activate");
    let mut audio = AudioBlock::new(2, 2, BLOCK);
    let mut rng = 0x2545_f491_u32;
    let mut rounds: Vec<f64> = (0..5)
        .map(|_| {
            let mut busy = 0.0;
            for _ in 0..BLOCKS {
                for channel in 0..2 {
                    for sample in audio.input_mut(channel) {
                        rng ^= rng << 13;
                        rng ^= rng >> 17;
                        rng ^= rng << 5;
                        *sample = (rng as f32 / u32::MAX as f32 - 0.5) * 0.5;
                    }
                }
                let started = Instant::now();
                processor.process(&mut audio.buffer(BLOCK), &HostBlock::default());
                busy += started.elapsed().as_secs_f64();
            }
            busy * 1e6 / BLOCKS as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

/// A block's real-time budget, µs.
pub fn budget_us() -> f64 {
    BLOCK as f64 / RATE * 1e6
}
