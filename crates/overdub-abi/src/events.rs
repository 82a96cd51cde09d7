//! Timed events: notes, MIDI controllers and parameter changes, each at a sample offset in the block.

/// Something that happens at a sample inside the current block.
///
/// Events arrive sorted by `time`, an offset from the first sample of the block the logic is processing.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    /// Sample offset from the start of the block.
    pub time: u32,
    /// What happens.
    pub body: EventBody,
}

/// The kinds of event a logic can receive.
#[repr(C, u8)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EventBody {
    /// A key went down.
    NoteOn(Note) = 0,
    /// A key went up.
    NoteOff(Note) = 1,
    /// A MIDI continuous controller moved.
    ControlChange(ControlChange) = 2,
    /// The pitch wheel moved.
    PitchBend(PitchBend) = 3,
    /// Channel (mono) aftertouch.
    ChannelPressure(ChannelPressure) = 4,
    /// Per-key (polyphonic) aftertouch.
    PolyPressure(PolyPressure) = 5,
    /// A parameter took a new value; the shell has already updated the parameter values for this point on.
    ParamChange(ParamChange) = 6,
}

/// A note on or off.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Note {
    /// MIDI channel, 0–15.
    pub channel: u8,
    /// MIDI key, 0–127 (60 is middle C).
    pub key: u8,
    /// Velocity, 0.0–1.0.
    pub velocity: f32,
    /// The host's identifier for this note, or [`Note::NO_ID`]; lets a note-off find its exact voice.
    pub note_id: i32,
}

impl Note {
    /// The note carries no host identifier.
    pub const NO_ID: i32 = -1;
}

/// A MIDI control change, value normalised to 0.0–1.0.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ControlChange {
    /// MIDI channel, 0–15.
    pub channel: u8,
    /// Controller number, 0–127.
    pub controller: u8,
    /// 0.0–1.0 (MIDI 0–127).
    pub value: f32,
}

/// A pitch-bend, normalised to -1.0–1.0 with 0.0 at rest.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PitchBend {
    /// MIDI channel, 0–15.
    pub channel: u8,
    /// -1.0–1.0.
    pub value: f32,
}

/// Channel pressure, 0.0–1.0.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChannelPressure {
    /// MIDI channel, 0–15.
    pub channel: u8,
    /// 0.0–1.0.
    pub value: f32,
}

/// Pressure on one key, 0.0–1.0.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PolyPressure {
    /// MIDI channel, 0–15.
    pub channel: u8,
    /// MIDI key, 0–127.
    pub key: u8,
    /// 0.0–1.0.
    pub value: f32,
}

/// A parameter's new value at this sample.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamChange {
    /// Position of the parameter in the logic's parameter list.
    pub index: u32,
    /// The parameter's stable id.
    pub id: u32,
    /// The new plain (not normalised) value.
    pub value: f64,
}

impl Event {
    /// A note-on without a host note id.
    pub const fn note_on(time: u32, channel: u8, key: u8, velocity: f32) -> Self {
        Self::note(time, true, channel, key, velocity)
    }

    /// A note-off without a host note id.
    pub const fn note_off(time: u32, channel: u8, key: u8, velocity: f32) -> Self {
        Self::note(time, false, channel, key, velocity)
    }

    const fn note(time: u32, on: bool, channel: u8, key: u8, velocity: f32) -> Self {
        let note = Note { channel, key, velocity, note_id: Note::NO_ID };
        Self { time, body: if on { EventBody::NoteOn(note) } else { EventBody::NoteOff(note) } }
    }

    /// Decodes a three-byte MIDI 1.0 channel message; `None` for messages that carry no event here.
    ///
    /// A note-on with velocity 0 is a note-off, as MIDI specifies.
    pub fn from_midi(time: u32, bytes: [u8; 3]) -> Option<Self> {
        let channel = bytes[0] & 0x0f;
        let (data1, data2) = (bytes[1] & 0x7f, bytes[2] & 0x7f);
        let unit = |v: u8| f32::from(v) / 127.0;
        let body = match bytes[0] & 0xf0 {
            0x80 => {
                EventBody::NoteOff(Note { channel, key: data1, velocity: unit(data2), note_id: Note::NO_ID })
            }
            0x90 if data2 == 0 => {
                EventBody::NoteOff(Note { channel, key: data1, velocity: 0.0, note_id: Note::NO_ID })
            }
            0x90 => {
                EventBody::NoteOn(Note { channel, key: data1, velocity: unit(data2), note_id: Note::NO_ID })
            }
            0xa0 => EventBody::PolyPressure(PolyPressure { channel, key: data1, value: unit(data2) }),
            0xb0 => {
                EventBody::ControlChange(ControlChange { channel, controller: data1, value: unit(data2) })
            }
            0xd0 => EventBody::ChannelPressure(ChannelPressure { channel, value: unit(data1) }),
            0xe0 => {
                let raw = (i32::from(data2) << 7) | i32::from(data1);
                EventBody::PitchBend(PitchBend { channel, value: (raw - 8192) as f32 / 8192.0 })
            }
            _ => return None,
        };
        Some(Self { time, body })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_note_on_and_treats_zero_velocity_as_off() {
        let on = Event::from_midi(5, [0x92, 60, 127]).unwrap();
        assert_eq!(on.time, 5);
        assert_eq!(on.body, EventBody::NoteOn(Note { channel: 2, key: 60, velocity: 1.0, note_id: -1 }));
        let off = Event::from_midi(0, [0x90, 60, 0]).unwrap();
        assert!(matches!(off.body, EventBody::NoteOff(Note { key: 60, .. })));
    }

    #[test]
    fn decodes_pitch_bend_centre_and_extremes() {
        let centre = Event::from_midi(0, [0xe0, 0x00, 0x40]).unwrap();
        assert_eq!(centre.body, EventBody::PitchBend(PitchBend { channel: 0, value: 0.0 }));
        let low = Event::from_midi(0, [0xe0, 0, 0]).unwrap();
        assert_eq!(low.body, EventBody::PitchBend(PitchBend { channel: 0, value: -1.0 }));
    }

    #[test]
    fn decodes_controllers_and_pressure() {
        let cc = Event::from_midi(0, [0xb1, 74, 127]).unwrap();
        assert_eq!(
            cc.body,
            EventBody::ControlChange(ControlChange { channel: 1, controller: 74, value: 1.0 })
        );
        let at = Event::from_midi(0, [0xd0, 127, 0]).unwrap();
        assert_eq!(at.body, EventBody::ChannelPressure(ChannelPressure { channel: 0, value: 1.0 }));
        assert!(Event::from_midi(0, [0xf8, 0, 0]).is_none(), "clock carries no event");
    }
}
