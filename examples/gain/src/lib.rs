//! A gain in decibels, smoothed so moving it never clicks, with an editor (a slider and an output meter): the
//! smallest complete overdub plugin.

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
        let mut peak = 0.0f32;
        for mut frame in ctx.buffer.frames_mut() {
            let gain = db_to_gain(ctx.params.gain.next());
            for sample in &mut frame {
                *sample *= gain;
                peak = peak.max(sample.abs());
            }
        }
        ctx.display.set_meter(0, peak); // for the editor's meter: lock-free, allocation-free
        ProcessStatus::Normal
    }
}

/// Where the gain slider sits, in points: its rail is the first 200.
const SLIDER: egui::Rect = egui::Rect::from_min_max(egui::pos2(16.0, 60.0), egui::pos2(304.0, 80.0));

/// The editor's own state (kept across code-only rebuilds): whether the meter shows decibels.
#[derive(StateLayout, Default)]
pub struct GainEditor {
    /// The meter's scale.
    pub meter_in_db: bool,
}

impl Editor for GainEditor {
    const SIZE: [u32; 2] = [320, 176];

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut EditorContext<'_>) {
        ui.ctx().request_repaint(); // the meter moves with the audio
        ui.heading("Overdub Gain");
        ui.scope_builder(egui::UiBuilder::new().max_rect(SLIDER), |ui| {
            ui.spacing_mut().slider_width = 200.0;
            cx.slider(ui, "gain");
        });
        ui.add_space(36.0);
        let peak = cx.meter(0);
        let (fill, text) = if self.meter_in_db {
            let db = gain_to_db(peak).max(-60.0);
            ((db + 60.0) / 72.0, format!("{db:.1} dB"))
        } else {
            (peak.min(1.0), format!("{peak:.2}"))
        };
        ui.add(egui::ProgressBar::new(fill).text(text));
        ui.checkbox(&mut self.meter_in_db, "meter in dB");
    }
}

export_logic!(Gain, editor = GainEditor);
