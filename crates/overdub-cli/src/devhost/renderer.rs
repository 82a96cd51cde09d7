//! The audio thread's work: one object, sized before it starts, that feeds the logic, runs it under the
//! audio-path guards, measures and records its output, and notices when new code took over. No allocation,
//! lock or system call per block.

use super::meter::{Levels, Meter};
use super::notes::NotePlayer;
use super::signals::{Signal, SignalSource};
use overdub_abi::{Event, ProcessStatus};
use overdub_shell::audio_path::{self, Sanitized};
use overdub_shell::{AudioBlock, HostBlock, ShellProcessor};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Events one block can carry from a note sequence.
const EVENTS_PER_BLOCK: usize = 1024;

/// What the audio thread reports while it runs.
#[derive(Debug)]
pub struct Shared {
    /// Output levels of the last meter window.
    pub levels: Levels,
    /// Frames processed so far.
    pub frames: AtomicU64,
    /// Times the running code changed (a hot shell swapped a new build in).
    pub swaps: AtomicU64,
    /// The frame at which the code last changed.
    pub last_swap_frame: AtomicU64,
    /// Output samples the audio path replaced because they were NaN, infinite or subnormal.
    pub sanitized: AtomicU64,
    /// Fades the input out (over [`FADE_SECONDS`]) while set, and back in when cleared.
    pub mute_input: AtomicBool,
    /// Blocks the null device finished after their deadline (a sound card would have played a gap).
    pub late_blocks: AtomicU64,
}

/// How long muting or unmuting the input takes.
pub const FADE_SECONDS: f64 = 0.01;

/// A shell's buffers and the notes played into it, sized once: runs one block of the inputs written into it
/// and the notes that fall in that block through the audio-path guards. Both the live renderer and
/// `overdub render` feed a shell through it.
pub struct BlockRunner {
    block: AudioBlock,
    channels: usize,
    max_block: usize,
    notes: Option<NotePlayer>,
    events: Vec<Event>,
}

impl BlockRunner {
    /// Buffers for `channels` inputs and outputs and blocks of at most `max_block` frames (at least one),
    /// with `notes` played into the shell.
    ///
    /// # Panics
    ///
    /// When `channels` is 0: there would be nothing to feed or read.
    pub fn new(channels: usize, max_block: usize, notes: Option<NotePlayer>) -> Self {
        assert!(channels > 0, "a shell is run with at least one channel");
        let max_block = max_block.max(1);
        Self {
            block: AudioBlock::new(channels, channels, max_block),
            channels,
            max_block,
            notes,
            events: Vec::with_capacity(EVENTS_PER_BLOCK),
        }
    }

    /// Inputs and outputs (at least one).
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// Largest block (at least one frame).
    pub fn max_block(&self) -> usize {
        self.max_block
    }

    /// Input `channel` for the next [`BlockRunner::run`], `max_block` frames long.
    pub fn input_mut(&mut self, channel: usize) -> &mut [f32] {
        self.block.input_mut(channel)
    }

    /// Output `channel` of the last [`BlockRunner::run`], `max_block` frames long.
    pub fn output(&self, channel: usize) -> &[f32] {
        self.block.output(channel)
    }

    /// Runs the next `frames` frames (clamped to `max_block`) of the inputs and the notes through
    /// `processor`; returns the frames run, the output samples the audio path replaced, and the logic's
    /// status.
    pub fn run(
        &mut self,
        processor: &mut impl ShellProcessor,
        frames: usize,
    ) -> (usize, Sanitized, ProcessStatus) {
        let frames = frames.min(self.max_block);
        self.events.clear();
        if let Some(notes) = &mut self.notes {
            notes.fill(frames, &mut self.events);
        }
        let (status, sanitized) = audio_path::process_block(
            processor,
            &mut self.block.buffer(frames),
            &HostBlock::events(&self.events),
        );
        (frames, sanitized, status)
    }
}

/// Feeds and runs a shell block by block.
pub struct Renderer<S> {
    shell: S,
    runner: BlockRunner,
    source: SignalSource,
    meter: Meter,
    shared: Arc<Shared>,
    recorder: Option<rtrb::Producer<f32>>,
    code: usize,
    input_gain: f32,
    fade_step: f32,
}

impl<S: ShellProcessor> Renderer<S> {
    /// Runs `shell` (already activated for `channels` in and out and `max_block`) on `signal` and `notes`;
    /// `recorder`, when given, receives the output interleaved (samples that do not fit are dropped).
    ///
    /// # Panics
    ///
    /// When `channels` is 0 (checked here, so the audio thread never divides by it).
    pub fn new(
        shell: S,
        channels: usize,
        max_block: usize,
        signal: Signal,
        sample_rate: f64,
        notes: Option<NotePlayer>,
        recorder: Option<rtrb::Producer<f32>>,
    ) -> Self {
        let code = code_identity(&shell);
        let runner = BlockRunner::new(channels, max_block, notes);
        Self {
            shell,
            source: SignalSource::new(signal, sample_rate, runner.max_block()),
            runner,
            meter: Meter::new((sample_rate / 10.0) as u64),
            shared: Arc::new(Shared {
                levels: Levels::default(),
                frames: AtomicU64::new(0),
                swaps: AtomicU64::new(0),
                last_swap_frame: AtomicU64::new(0),
                sanitized: AtomicU64::new(0),
                mute_input: AtomicBool::new(false),
                late_blocks: AtomicU64::new(0),
            }),
            recorder,
            code,
            input_gain: 1.0,
            fade_step: (1.0 / (FADE_SECONDS * sample_rate).max(1.0)) as f32,
        }
    }

    /// What the renderer reports, for other threads.
    pub fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// The shell, once the audio has stopped.
    pub fn into_shell(self) -> S {
        self.shell
    }

    /// Fills `out`, interleaved with `out_channels` channels, processing it in blocks of at most `max_block`.
    pub fn render_interleaved(&mut self, out: &mut [f32], out_channels: usize) {
        let out_channels = out_channels.max(1);
        let channels = self.runner.channels();
        for chunk in out.chunks_mut(self.runner.max_block() * out_channels) {
            let frames = self.process(chunk.len() / out_channels);
            for (frame, samples) in chunk.chunks_exact_mut(out_channels).take(frames).enumerate() {
                for (channel, sample) in samples.iter_mut().enumerate() {
                    *sample = self.runner.output(channel % channels)[frame];
                }
            }
        }
    }

    /// Processes the next `frames` frames; more than `max_block` are clamped to it. Returns the frames
    /// processed.
    pub fn process(&mut self, frames: usize) -> usize {
        let frames = frames.min(self.runner.max_block());
        let channels = self.runner.channels();
        let start = self.shared.frames.load(Ordering::Relaxed);
        self.source.advance(frames);
        for channel in 0..channels {
            let input = &mut self.runner.input_mut(channel)[..frames];
            let source = self.source.channel(channel, frames);
            input[..source.len()].copy_from_slice(source);
            input[source.len()..].fill(0.0);
        }
        self.fade_input(frames);
        let (frames, sanitized, _) = self.runner.run(&mut self.shell, frames);
        if sanitized.any() {
            let count = u64::from(sanitized.non_finite + sanitized.subnormal);
            self.shared.sanitized.fetch_add(count, Ordering::Relaxed);
        }
        let code = code_identity(&self.shell);
        if code != self.code {
            self.code = code;
            self.shared.last_swap_frame.store(start, Ordering::Relaxed);
            self.shared.swaps.fetch_add(1, Ordering::Release);
        }
        for channel in 0..channels {
            self.meter.add(&self.runner.output(channel)[..frames]);
        }
        self.meter.end_block(frames, channels, &self.shared.levels);
        if let Some(recorder) = &mut self.recorder {
            for frame in 0..frames {
                for channel in 0..channels {
                    let _ = recorder.push(self.runner.output(channel)[frame]);
                }
            }
        }
        self.shared.frames.store(start + frames as u64, Ordering::Release);
        frames
    }
}

impl<S> Renderer<S> {
    /// Moves the input's gain towards muted or full, sample by sample; nothing to do at full gain.
    fn fade_input(&mut self, frames: usize) {
        let target = if self.shared.mute_input.load(Ordering::Relaxed) { 0.0 } else { 1.0 };
        if self.input_gain == 1.0 && target == 1.0 {
            return;
        }
        for frame in 0..frames {
            self.input_gain = if target > self.input_gain {
                (self.input_gain + self.fade_step).min(target)
            } else {
                (self.input_gain - self.fade_step).max(target)
            };
            for channel in 0..self.runner.channels() {
                self.runner.input_mut(channel)[frame] *= self.input_gain;
            }
        }
    }
}

/// Identifies the running code without allocating: the logic's id string lives in its library, so its address
/// changes exactly when another build takes over.
fn code_identity(shell: &impl ShellProcessor) -> usize {
    shell.info().id.as_ptr() as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devhost::test_logic;

    fn renderer(max_block: usize) -> Renderer<impl ShellProcessor> {
        Renderer::new(
            test_logic::processor(max_block),
            2,
            max_block,
            Signal::Sine(440.0),
            48_000.0,
            None,
            None,
        )
    }

    #[test]
    fn more_frames_than_the_largest_block_are_clamped_not_a_panic() {
        let mut renderer = renderer(64);
        assert_eq!(renderer.process(1000), 64);
        assert_eq!(renderer.shared().frames.load(Ordering::Acquire), 64);
    }

    #[test]
    fn interleaved_output_of_any_length_is_filled_block_by_block() {
        let mut renderer = renderer(64);
        let mut out = vec![f32::NAN; 3 * 150];
        renderer.render_interleaved(&mut out, 3);
        assert!(out.iter().all(|s| s.is_finite()), "every sample is written");
        assert_eq!(renderer.shared().frames.load(Ordering::Acquire), 150);
    }

    #[test]
    #[should_panic(expected = "at least one channel")]
    fn no_channels_is_refused_when_built() {
        let _ = BlockRunner::new(0, 64, None);
    }
}
