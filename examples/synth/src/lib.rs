//! A polyphonic saw synth with an attack/release envelope. Its voices are state: notes held across a reload
//! keep sounding.

use overdub::prelude::*;

/// Voices that can sound at once; a new note beyond them takes the quietest voice.
pub const VOICES: usize = 16;
/// Index of the output level in [`Synth::PARAMS`].
pub const LEVEL: usize = 0;
/// Index of the attack time (milliseconds).
pub const ATTACK: usize = 1;
/// Index of the release time (milliseconds).
pub const RELEASE: usize = 2;

/// One sounding note.
#[derive(StateLayout, Clone, Copy, Default)]
pub struct Voice {
    key: u32,
    note_id: i32,
    held: u32,
    velocity: f32,
    phase: f32,
    envelope: f32,
}

/// Sixteen saw voices through a linear attack/release envelope.
#[derive(StateLayout)]
pub struct Synth {
    voices: [Voice; VOICES],
    sample_rate: f64,
}

impl PluginLogic for Synth {
    const ID: &'static str = "dev.overdub.examples.synth";
    const NAME: &'static str = "Overdub Synth";
    const PARAMS: &'static [ParamInfo] = &[
        ParamInfo::new(1, "Level").default_value(0.25),
        ParamInfo::new(2, "Attack").range(0.1, 2000.0).default_value(5.0).unit("ms"),
        ParamInfo::new(3, "Release").range(1.0, 5000.0).default_value(200.0).unit("ms"),
    ];

    fn create() -> Self {
        Self { voices: [Voice::default(); VOICES], sample_rate: 48_000.0 }
    }

    fn reset(&mut self, sample_rate: f64, _max_block: usize) {
        self.voices = [Voice::default(); VOICES];
        self.sample_rate = sample_rate;
    }

    fn process(&mut self, ctx: &mut Process<'_>) -> ProcessStatus {
        let rate = self.sample_rate as f32;
        let attack = 1.0 / (ctx.params.get(ATTACK) as f32 / 1000.0 * rate).max(1.0);
        let release = 1.0 / (ctx.params.get(RELEASE) as f32 / 1000.0 * rate).max(1.0);
        let level = ctx.params.get(LEVEL) as f32;
        let frames = ctx.buffer.frames();
        for channel in 0..ctx.buffer.output_channels() {
            ctx.buffer.output(channel).into_iter().for_each(|out| out.fill(0.0));
        }
        let mut next_event = 0;
        for frame in 0..frames {
            while let Some(event) = ctx.events.get(next_event).filter(|e| e.time as usize <= frame) {
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
            for channel in 0..ctx.buffer.output_channels() {
                if let Some(out) = ctx.buffer.output(channel) {
                    out[frame] = sample * level;
                }
            }
        }
        while let Some(event) = ctx.events.get(next_event) {
            self.handle(&event.body);
            next_event += 1;
        }
        if self.voices.iter().any(|v| v.envelope > 0.0 || v.held != 0) {
            ProcessStatus::KeepAlive
        } else {
            ProcessStatus::Normal
        }
    }

    fn save_state(&self, out: &mut StateWriter<'_>) {
        out.u32(VOICES as u32);
        for voice in &self.voices {
            out.u32(voice.key);
            out.u32(voice.note_id as u32);
            out.u32(voice.held);
            out.f32(voice.velocity);
            out.f32(voice.phase);
            out.f32(voice.envelope);
        }
    }

    fn load_state(&mut self, state: &mut StateReader<'_>) -> Result<(), StateError> {
        let count = state.u32()? as usize;
        let mut voices = [Voice::default(); VOICES];
        for index in 0..count {
            let voice = Voice {
                key: state.u32()?.min(127),
                note_id: state.u32()? as i32,
                held: state.u32()?,
                velocity: state.f32()?,
                phase: state.f32()?,
                envelope: state.f32()?,
            };
            if let Some(slot) = voices.get_mut(index) {
                *slot = voice;
            }
        }
        state.finish()?;
        self.voices = voices;
        Ok(())
    }

    fn tail(&self) -> Tail {
        Tail::Samples((self.sample_rate * 5.0) as u32)
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

export_logic!(Synth);
