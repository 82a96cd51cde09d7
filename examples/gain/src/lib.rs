//! A gain with a smoothed level in decibels: the smallest complete overdub plugin.

use overdub::prelude::*;

/// Index of the gain parameter in [`Gain::PARAMS`].
pub const GAIN: usize = 0;

/// Scales every channel by a gain that glides over 20 ms, so moving it never clicks.
#[derive(StateLayout)]
pub struct Gain {
    level: Smoothed,
}

/// Decibels to a linear factor.
pub fn db_to_linear(db: f64) -> f32 {
    10f64.powf(db / 20.0) as f32
}

impl PluginLogic for Gain {
    const ID: &'static str = "dev.overdub.examples.gain";
    const NAME: &'static str = "Overdub Gain";
    const PARAMS: &'static [ParamInfo] =
        &[ParamInfo::new(1, "Gain").range(-60.0, 12.0).default_value(0.0).unit("dB")];
    const ON_FAULT: OnFault = OnFault::PassThrough;

    fn create() -> Self {
        Self { level: Smoothed::new(1.0) }
    }

    fn reset(&mut self, sample_rate: f64, _max_block: usize) {
        self.level.set_ramp(sample_rate, 20.0);
    }

    fn process(&mut self, ctx: &mut Process<'_>) -> ProcessStatus {
        self.level.set_target(db_to_linear(ctx.params.get(GAIN)));
        let start = self.level;
        for channel in 0..ctx.buffer.output_channels() {
            let mut level = start;
            for sample in ctx.buffer.in_place(channel).into_iter().flatten() {
                *sample *= level.next_value();
            }
            self.level = level;
        }
        ProcessStatus::Normal
    }
}

export_logic!(Gain);
