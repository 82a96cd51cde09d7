//! A gain in decibels, smoothed so moving it never clicks: the smallest complete overdub plugin.

use overdub::prelude::*;

/// The one parameter.
#[derive(Params)]
pub struct GainParams {
    /// Level in decibels, gliding over 20 ms.
    #[param(id = "gain", range = -60.0..=12.0, default = 0.0, unit = "dB", smooth_ms = 20.0)]
    pub gain: FloatParam,
}

/// Scales every channel by the gain; it keeps no memory of its own.
#[derive(DspState)]
pub struct Gain;

impl PluginLogic for Gain {
    type Params = GainParams;
    const ON_FAULT: OnFault = OnFault::PassThrough;

    fn create() -> Self {
        Gain
    }

    fn process(&mut self, ctx: &mut Process<'_, GainParams>) -> ProcessStatus {
        for mut frame in ctx.buffer.frames_mut() {
            let gain = db_to_gain(ctx.params.gain.next());
            for sample in &mut frame {
                *sample *= gain;
            }
        }
        ProcessStatus::Normal
    }
}

export_logic!(Gain);
