//! A feedback delay: its delay lines are state that survives every reload (a code-only edit keeps them
//! ringing in place; a layout change carries them through `save_state`/`load_state`).

use overdub::prelude::*;

/// Index of the delay time (milliseconds) in [`Delay::PARAMS`].
pub const TIME: usize = 0;
/// Index of the feedback amount.
pub const FEEDBACK: usize = 1;
/// Index of the dry/wet mix.
pub const MIX: usize = 2;
/// Longest delay, in milliseconds.
pub const MAX_TIME_MS: f64 = 2000.0;
/// Channels the delay keeps a line for.
pub const CHANNELS: usize = 2;

/// A stereo feedback delay with a dry/wet mix.
#[derive(StateLayout)]
pub struct Delay {
    lines: Vec<Vec<f32>>,
    write: u64,
    sample_rate: f64,
}

impl PluginLogic for Delay {
    const ID: &'static str = "dev.overdub.examples.delay";
    const NAME: &'static str = "Overdub Delay";
    const PARAMS: &'static [ParamInfo] = &[
        ParamInfo::new(1, "Time").range(1.0, MAX_TIME_MS).default_value(250.0).unit("ms"),
        ParamInfo::new(2, "Feedback").range(0.0, 0.95).default_value(0.4),
        ParamInfo::new(3, "Mix").default_value(0.5),
    ];
    const ON_FAULT: OnFault = OnFault::PassThrough;

    fn create() -> Self {
        Self { lines: Vec::new(), write: 0, sample_rate: 0.0 }
    }

    fn reset(&mut self, sample_rate: f64, _max_block: usize) {
        let len = (MAX_TIME_MS / 1000.0 * sample_rate).ceil() as usize + 1;
        self.lines = vec![vec![0.0; len]; CHANNELS];
        self.write = 0;
        self.sample_rate = sample_rate;
    }

    fn process(&mut self, ctx: &mut Process<'_>) -> ProcessStatus {
        let Some(len) = self.lines.first().map(Vec::len) else { return ProcessStatus::Normal };
        let delay = ((ctx.params.get(TIME) / 1000.0 * self.sample_rate).round() as usize).clamp(1, len - 1);
        let feedback = ctx.params.get(FEEDBACK) as f32;
        let mix = ctx.params.get(MIX) as f32;
        let start = self.write;
        for (channel, line) in self.lines.iter_mut().enumerate().take(ctx.buffer.output_channels()) {
            let Some(samples) = ctx.buffer.in_place(channel) else { continue };
            for (write, sample) in (start..).zip(samples.iter_mut()) {
                let w = (write % len as u64) as usize;
                let echo = line[(w + len - delay) % len];
                line[w] = *sample + echo * feedback;
                *sample = *sample * (1.0 - mix) + echo * mix;
            }
        }
        self.write = start + ctx.buffer.frames() as u64;
        ProcessStatus::Tail { samples: self.tail_samples() }
    }

    fn save_state(&self, out: &mut StateWriter<'_>) {
        out.u64(self.write);
        out.u64(self.lines.len() as u64);
        for line in &self.lines {
            out.f32s(line);
        }
    }

    fn load_state(&mut self, state: &mut StateReader<'_>) -> Result<(), StateError> {
        let write = state.u64()?;
        let count = state.u64()?;
        if count > CHANNELS as u64 {
            return Err(StateError::invalid(format_args!(
                "state holds {count} delay lines, at most {CHANNELS}"
            )));
        }
        for index in 0..count as usize {
            let len = state.peek(8)?.try_into().map(u64::from_le_bytes).unwrap_or(0);
            match self.lines.get_mut(index).filter(|line| line.len() as u64 == len) {
                Some(line) => state.f32s_into(line)?,
                // Lines of another sample rate, or an instance not reset yet: the echoes are dropped.
                None => {
                    let bytes = usize::try_from(len).ok().and_then(|n| n.checked_mul(4)?.checked_add(8));
                    state.bytes(bytes.unwrap_or(usize::MAX))?;
                }
            }
        }
        state.finish()?;
        self.write = write;
        Ok(())
    }

    fn tail(&self) -> Tail {
        Tail::Samples(self.tail_samples())
    }
}

impl Delay {
    /// Long enough for the echoes to decay by 60 dB at the strongest feedback.
    fn tail_samples(&self) -> u32 {
        (self.sample_rate * MAX_TIME_MS / 1000.0 * 8.0) as u32
    }
}

export_logic!(Delay);
