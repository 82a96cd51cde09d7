//! A polyphonic saw synth with an attack/release envelope. Its voices are state: notes held across a reload
//! keep sounding.

use overdub::prelude::*;

/// Voices that can sound at once; a new note beyond them takes the quietest voice.
pub const VOICES: usize = 16;

/// What the user sets.
#[derive(Params)]
pub struct SynthParams {
    /// Output level.
    #[param(id = "level", default = 0.25, smooth_ms = 10.0)]
    pub level: FloatParam,
    /// Time from silence to full level.
    #[param(id = "attack", range = 0.1..=2000.0, default = 5.0, unit = "ms")]
    pub attack: FloatParam,
    /// Time from full level to silence after the key is released.
    #[param(id = "release", range = 1.0..=5000.0, default = 200.0, unit = "ms")]
    pub release: FloatParam,
}

/// One sounding note.
#[derive(DspState, Clone, Copy, Default)]
pub struct Voice {
    key: u32,
    note_id: i32,
    held: u32,
    velocity: f32,
    phase: f32,
    envelope: f32,
}

/// Sixteen saw voices through a linear attack/release envelope.
#[derive(DspState)]
pub struct Synth {
    voices: [Voice; VOICES],
    sample_rate: f64,
}

impl PluginLogic for Synth {
    type Params = SynthParams;

    fn create() -> Self {
        Self { voices: [Voice::default(); VOICES], sample_rate: 48_000.0 }
    }

    fn reset(&mut self, sample_rate: f64, _max_block: usize) {
        self.voices = [Voice::default(); VOICES];
        self.sample_rate = sample_rate;
    }

    fn process(&mut self, ctx: &mut Process<'_, SynthParams>) -> ProcessStatus {
        let rate = self.sample_rate as f32;
        let attack = 1.0 / (ctx.params.attack.value() / 1000.0 * rate).max(1.0);
        let release = 1.0 / (ctx.params.release.value() / 1000.0 * rate).max(1.0);
        let mut next_event = 0;
        for mut frame in ctx.buffer.frames_mut() {
            while let Some(event) = ctx.events.get(next_event).filter(|e| e.time as usize <= frame.index()) {
                self.handle(&event.body);
                next_event += 1;
            }
            let mut sample = 0.0;
            for voice in self.voices.iter_mut().filter(|v| v.envelope > 0.0 || v.held != 0) {
                let target = if voice.held != 0 { 1.0 } else { 0.0 };
                voice.envelope = if target > voice.envelope {
                    (voice.envelope + attack).min(1.0)
                } else {
                    (voice.envelope - release).max(0.0)
                };
                let frequency = 440.0 * 2f32.powf((voice.key as f32 - 69.0) / 12.0);
                voice.phase = (voice.phase + frequency / rate).fract();
                sample += (2.0 * voice.phase - 1.0) * voice.envelope * voice.velocity;
            }
            frame.fill(sample * ctx.params.level.next());
        }
        while let Some(event) = ctx.events.get(next_event) {
            self.handle(&event.body);
            next_event += 1;
        }
        let sounding = self.voices.iter().filter(|v| v.envelope > 0.0 || v.held != 0).count();
        ctx.display.set_meter(0, sounding as f32); // for the editor: how many voices sound
        if sounding > 0 { ProcessStatus::KeepAlive } else { ProcessStatus::Normal }
    }
}

impl Synth {
    fn handle(&mut self, body: &EventBody) {
        match body {
            EventBody::NoteOn(note) => {
                let quietest = (0..VOICES)
                    .min_by(|&a, &b| {
                        let (a, b) = (&self.voices[a], &self.voices[b]);
                        (a.held, a.envelope)
                            .partial_cmp(&(b.held, b.envelope))
                            .unwrap_or(std::cmp::Ordering::Equal)
                    })
                    .unwrap_or(0);
                self.voices[quietest] = Voice {
                    key: u32::from(note.key),
                    note_id: note.note_id,
                    held: 1,
                    velocity: note.velocity,
                    phase: 0.0,
                    envelope: 0.0,
                };
            }
            EventBody::NoteOff(note) => {
                for voice in self.voices.iter_mut().filter(|v| v.held != 0 && v.key == u32::from(note.key)) {
                    if note.note_id == Note::NO_ID
                        || voice.note_id == Note::NO_ID
                        || voice.note_id == note.note_id
                    {
                        voice.held = 0;
                    }
                }
            }
            _ => {}
        }
    }
}

/// The editor's pages.
#[derive(StateLayout, Default, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// Level and envelope.
    #[default]
    Sound,
    /// What the synth is.
    About,
}

/// The editor's own state: the page shown, kept across code-only rebuilds (the page stays open while you
/// edit its code).
#[derive(StateLayout, Default)]
pub struct SynthEditor {
    /// The page shown.
    pub page: Page,
}

impl Editor for SynthEditor {
    const SIZE: [u32; 2] = [340, 200];

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut EditorContext<'_>) {
        ui.ctx().request_repaint(); // the voice count follows the notes
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.page, Page::Sound, "Sound");
            ui.selectable_value(&mut self.page, Page::About, "About");
        });
        ui.separator();
        match self.page {
            Page::Sound => {
                for id in ["level", "attack", "release"] {
                    cx.slider(ui, id);
                }
                ui.label(format!("voices sounding: {}", cx.meter(0) as usize));
            }
            Page::About => {
                ui.label("A polyphonic saw synth: notes held across a reload keep sounding.");
            }
        }
    }
}

export_logic!(Synth, editor = SynthEditor);
