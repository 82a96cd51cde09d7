//! A meter: the audio passes through untouched while `process` writes each channel's peak and RMS and a
//! scope of the first channel into the display channel, and the editor draws them every frame. Writing is
//! a few atomic stores per block (no allocation, no lock): the audio thread never waits for the editor.

use overdub::prelude::*;

/// Meter slots: peak and RMS of the left channel, then of the right.
const PEAK: [usize; 2] = [0, 2];
const RMS: [usize; 2] = [1, 3];

/// How fast the editor's peak falls back, per second, as a fraction of full scale.
#[derive(Params)]
pub struct MeterParams {
    /// Decay of the meters' hold, in dB per second.
    #[param(id = "decay", range = 3.0..=60.0, default = 20.0, unit = "dB/s")]
    pub decay: FloatParam,
}

/// The meter keeps no memory of its own: what it measured goes to the editor.
#[derive(DspState)]
pub struct Meter;

impl PluginLogic for Meter {
    type Params = MeterParams;

    fn create() -> Self {
        Meter
    }

    fn process(&mut self, ctx: &mut Process<'_, MeterParams>) -> ProcessStatus {
        let frames = ctx.buffer.frames();
        for channel in 0..ctx.buffer.output_channels().min(2) {
            let Some(samples) = ctx.buffer.in_place(channel) else { continue };
            let peak = samples.iter().fold(0.0f32, |peak, s| peak.max(s.abs()));
            let rms = (samples.iter().map(|s| s * s).sum::<f32>() / frames.max(1) as f32).sqrt();
            ctx.display.set_meter(PEAK[channel], peak);
            ctx.display.set_meter(RMS[channel], rms);
            if channel == 0 {
                ctx.display.push_scope(samples);
            }
        }
        ProcessStatus::Normal
    }
}

/// Samples the scope shows.
const SCOPE: usize = 512;

/// The editor's own state: the held peaks (falling at the `decay` rate) and whether the scope is shown.
#[derive(StateLayout, Default)]
pub struct MeterEditor {
    /// Held peaks in dB, per channel.
    pub held_db: [f32; 2],
    /// Hide the scope.
    pub no_scope: bool,
}

impl Editor for MeterEditor {
    const SIZE: [u32; 2] = [360, 260];

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut EditorContext<'_>) {
        ui.ctx().request_repaint();
        let dt = ui.input(|input| input.stable_dt).min(0.1);
        let decay = cx.value("decay").unwrap_or(20.0) as f32;
        for (channel, name) in ["L", "R"].into_iter().enumerate() {
            let peak_db = gain_to_db(cx.meter(PEAK[channel])).max(-60.0);
            let rms_db = gain_to_db(cx.meter(RMS[channel])).max(-60.0);
            let held = &mut self.held_db[channel];
            *held = (*held - decay * dt).max(peak_db).max(-60.0);
            ui.add(
                egui::ProgressBar::new((rms_db + 60.0) / 60.0)
                    .text(format!("{name}  rms {rms_db:6.1} dB  peak {:6.1} dB", *held)),
            );
        }
        cx.slider(ui, "decay");
        ui.checkbox(&mut self.no_scope, "hide the scope");
        if !self.no_scope {
            let mut samples = [0.0f32; SCOPE];
            cx.scope(&mut samples);
            let (rect, _) =
                ui.allocate_exact_size(egui::vec2(ui.available_width(), 100.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, egui::Color32::from_gray(20));
            let points: Vec<egui::Pos2> = samples
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let x = rect.left() + rect.width() * i as f32 / (SCOPE - 1) as f32;
                    egui::pos2(x, rect.center().y - s.clamp(-1.0, 1.0) * rect.height() / 2.0)
                })
                .collect();
            ui.painter().add(egui::Shape::line(points, egui::Stroke::new(1.0, egui::Color32::LIGHT_GREEN)));
        }
    }
}

export_logic!(Meter, editor = MeterEditor);

#[cfg(test)]
mod tests {
    use super::*;
    use overdub::alloc_counter::count_allocations;
    use overdub_shell::{
        AudioBlock, Continuity, HostBlock, ProcessConfig, Shell, ShellProcessor, StaticShell,
    };

    #[test]
    fn process_writes_peak_rms_and_scope_for_the_editor_without_allocating() {
        let mut shell = StaticShell::<Meter>::new().expect("create");
        let mut processor =
            shell.activate(ProcessConfig::stereo(48_000.0, 64), Continuity::Reset).expect("activate");
        let mut block = AudioBlock::new(2, 2, 64);
        block.input_mut(0).fill(0.5);
        block.input_mut(1).fill(-0.25);
        processor.process(&mut block.buffer(64), &HostBlock::default());
        let (_, allocations) =
            count_allocations(|| processor.process(&mut block.buffer(64), &HostBlock::default()));
        assert_eq!(allocations, 0, "the audio thread allocates nothing to feed the editor");
        let display = shell.display();
        assert_eq!(display.meter(PEAK[0]), 0.5);
        assert_eq!(display.meter(RMS[1]), 0.25);
        let mut scope = [0.0f32; 8];
        assert_eq!(display.read_scope(&mut scope), 8);
        assert_eq!(scope, [0.5; 8]);
    }
}
