//! A feedback delay: its delay lines are memory that survives every reload (a code-only edit keeps them
//! ringing in place; a layout change carries them over field by field).

use overdub::prelude::*;

/// Longest delay, in milliseconds.
pub const MAX_TIME_MS: f64 = 2000.0;
/// Channels the delay keeps a line for.
pub const CHANNELS: usize = 2;

/// What the user sets.
#[derive(Params)]
pub struct DelayParams {
    /// Delay time.
    #[param(id = "time", range = 1.0..=MAX_TIME_MS, default = 250.0, unit = "ms")]
    pub time: FloatParam,
    /// How much of each echo is fed back.
    #[param(id = "feedback", range = 0.0..=0.95, default = 0.4)]
    pub feedback: FloatParam,
    /// Dry/wet balance.
    #[param(id = "mix", default = 0.5, smooth_ms = 10.0)]
    pub mix: FloatParam,
}

/// A stereo feedback delay with a dry/wet mix.
#[derive(DspState)]
pub struct Delay {
    lines: Vec<Vec<f32>>,
    write: usize,
    sample_rate: f64,
}

impl PluginLogic for Delay {
    type Params = DelayParams;
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

    fn process(&mut self, ctx: &mut Process<'_, DelayParams>) -> ProcessStatus {
        let Some(len) = self.lines.first().map(Vec::len) else { return ProcessStatus::Normal };
        let delay_ms = f64::from(ctx.params.time.value());
        let delay = ((delay_ms / 1000.0 * self.sample_rate).round() as usize).clamp(1, len - 1);
        let feedback = ctx.params.feedback.value();
        for mut frame in ctx.buffer.frames_mut() {
            let mix = ctx.params.mix.next();
            let write = self.write % len;
            for (sample, line) in frame.iter_mut().zip(&mut self.lines) {
                let echo = line[(write + len - delay) % len];
                line[write] = *sample + echo * feedback;
                *sample = *sample * (1.0 - mix) + echo * mix;
            }
            self.write = (write + 1) % len;
        }
        // Long enough for the echoes to decay by 60 dB at the strongest feedback.
        ProcessStatus::Tail { samples: (self.sample_rate * MAX_TIME_MS / 1000.0 * 8.0) as u32 }
    }
}

export_logic!(Delay);
