//! The audio thread's work: one object, sized before it starts, that feeds the logic, runs it under the
//! audio-path guards, measures and records its output, and notices when new code took over. No allocation,
//! lock or system call per block.

use super::meter::{Levels, Meter};
use super::notes::NotePlayer;
use super::signals::SignalSource;
use overdub_abi::Event;
use overdub_shell::{AudioBlock, HostBlock, Shell, audio_path};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Events one block can carry from a note sequence.
const EVENTS_PER_BLOCK: usize = 512;

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
}

/// How long muting or unmuting the input takes.
pub const FADE_SECONDS: f64 = 0.01;

/// Feeds and runs a shell block by block.
pub struct Renderer<S> {
    shell: S,
    block: AudioBlock,
    channels: usize,
    max_block: usize,
    source: SignalSource,
    notes: Option<NotePlayer>,
    events: Vec<Event>,
    meter: Meter,
    shared: Arc<Shared>,
    recorder: Option<rtrb::Producer<f32>>,
    code: usize,
    input_gain: f32,
    fade_step: f32,
}

impl<S: Shell> Renderer<S> {
    /// Runs `shell` (already activated for `channels` in and out and `max_block`) on `source` and `notes`;
    /// `recorder`, when given, receives the output interleaved (samples that do not fit are dropped).
    pub fn new(
        shell: S,
        channels: usize,
        max_block: usize,
        source: SignalSource,
        sample_rate: f64,
        notes: Option<NotePlayer>,
        recorder: Option<rtrb::Producer<f32>>,
    ) -> Self {
        let code = code_identity(&shell);
        Self {
            shell,
            block: AudioBlock::new(channels, channels, max_block),
            channels,
            max_block,
            source,
            notes,
            events: Vec::with_capacity(EVENTS_PER_BLOCK),
            meter: Meter::new((sample_rate / 10.0) as u64),
            shared: Arc::new(Shared {
                levels: Levels::default(),
                frames: AtomicU64::new(0),
                swaps: AtomicU64::new(0),
                last_swap_frame: AtomicU64::new(0),
                sanitized: AtomicU64::new(0),
                mute_input: AtomicBool::new(false),
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
        for chunk in out.chunks_mut(self.max_block * out_channels) {
            let frames = chunk.len() / out_channels;
            self.process(frames);
            for (frame, samples) in chunk.chunks_exact_mut(out_channels).enumerate() {
                for (channel, sample) in samples.iter_mut().enumerate() {
                    *sample = self.block.output(channel % self.channels)[frame];
                }
            }
        }
    }

    /// Processes the next `frames` frames (at most `max_block`).
    pub fn process(&mut self, frames: usize) {
        let start = self.shared.frames.load(Ordering::Relaxed);
        self.source.advance(frames);
        for channel in 0..self.channels {
            self.block.input_mut(channel)[..frames].copy_from_slice(self.source.channel(channel, frames));
        }
        self.fade_input(frames);
        self.events.clear();
        if let Some(notes) = &mut self.notes {
            notes.fill(frames, &mut self.events);
        }
        let mut buffer = self.block.buffer(frames);
        let (_, sanitized) =
            audio_path::process_block(&mut self.shell, &mut buffer, &HostBlock::events(&self.events));
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
        for channel in 0..self.channels {
            self.meter.add(&self.block.output(channel)[..frames]);
        }
        self.meter.end_block(frames, self.channels, &self.shared.levels);
        if let Some(recorder) = &mut self.recorder {
            for frame in 0..frames {
                for channel in 0..self.channels {
                    let _ = recorder.push(self.block.output(channel)[frame]);
                }
            }
        }
        self.shared.frames.store(start + frames as u64, Ordering::Release);
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
            for channel in 0..self.channels {
                self.block.input_mut(channel)[frame] *= self.input_gain;
            }
        }
    }
}

/// Identifies the running code without allocating: the logic's id string lives in its library, so its address
/// changes exactly when another build takes over.
fn code_identity(shell: &impl Shell) -> usize {
    shell.info().id.as_ptr() as usize
}
