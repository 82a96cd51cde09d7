//! Standard MIDI files as timed events at sample positions.

use crate::error::CliError;
use midly::{MetaMessage, MidiMessage, Smf, Timing, TrackEventKind};
use overdub_abi::Event;
use std::path::Path;

/// Events at absolute sample positions, sorted by time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sequence {
    /// `(frame, event)` pairs; each event's own `time` is rewritten per block when played.
    pub events: Vec<(u64, Event)>,
    /// The frame just after the last event.
    pub length: u64,
}

/// Reads a MIDI file (format 0 or 1), following its tempo changes, at `sample_rate`.
pub fn read(path: &Path, sample_rate: f64) -> Result<Sequence, CliError> {
    let bad = |reason: String| CliError::Midi { path: path.to_owned(), reason };
    let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let smf = Smf::parse(&bytes).map_err(|e| bad(e.to_string()))?;
    let mut timed: Vec<(u64, TrackEventKind<'_>)> = Vec::new();
    for track in &smf.tracks {
        let mut tick = 0u64;
        for event in track {
            tick += u64::from(event.delta.as_int());
            timed.push((tick, event.kind));
        }
    }
    timed.sort_by_key(|(tick, _)| *tick);
    let seconds_per_tick = |micros_per_beat: f64| match smf.header.timing {
        Timing::Metrical(per_beat) => micros_per_beat / 1e6 / f64::from(per_beat.as_int().max(1)),
        Timing::Timecode(fps, subframes) => 1.0 / (f64::from(fps.as_f32()) * f64::from(subframes.max(1))),
    };
    let mut tempo = 500_000.0;
    let (mut last_tick, mut seconds) = (0u64, 0.0f64);
    let mut sequence = Sequence::default();
    for (tick, kind) in timed {
        seconds += (tick - last_tick) as f64 * seconds_per_tick(tempo);
        last_tick = tick;
        let frame = (seconds * sample_rate).round() as u64;
        sequence.length = sequence.length.max(frame + 1);
        match kind {
            TrackEventKind::Meta(MetaMessage::Tempo(micros)) => tempo = f64::from(micros.as_int()),
            TrackEventKind::Midi { channel, message } => {
                if let Some(event) = Event::from_midi(0, midi_bytes(channel.as_int(), message)) {
                    sequence.events.push((frame, event));
                }
            }
            _ => {}
        }
    }
    Ok(sequence)
}

/// The three bytes of a channel message.
fn midi_bytes(channel: u8, message: MidiMessage) -> [u8; 3] {
    let status = |kind: u8| kind | (channel & 0x0f);
    match message {
        MidiMessage::NoteOff { key, vel } => [status(0x80), key.as_int(), vel.as_int()],
        MidiMessage::NoteOn { key, vel } => [status(0x90), key.as_int(), vel.as_int()],
        MidiMessage::Aftertouch { key, vel } => [status(0xa0), key.as_int(), vel.as_int()],
        MidiMessage::Controller { controller, value } => [status(0xb0), controller.as_int(), value.as_int()],
        MidiMessage::ProgramChange { program } => [status(0xc0), program.as_int(), 0],
        MidiMessage::ChannelAftertouch { vel } => [status(0xd0), vel.as_int(), 0],
        MidiMessage::PitchBend { bend } => {
            let raw = bend.0.as_int();
            [status(0xe0), (raw & 0x7f) as u8, (raw >> 7) as u8]
        }
    }
}

/// A looping arpeggio (C minor, eighth notes at 120 BPM) for trying an instrument without a MIDI file.
pub fn pattern(sample_rate: f64) -> Sequence {
    const KEYS: [u8; 8] = [48, 55, 60, 63, 67, 63, 60, 55];
    let step = (sample_rate * 0.25).round() as u64;
    let gate = step * 3 / 4;
    let mut events = Vec::with_capacity(KEYS.len() * 2);
    for (i, &key) in KEYS.iter().enumerate() {
        let start = i as u64 * step;
        events.push((start, Event::note_on(0, 0, key, 0.8)));
        events.push((start + gate, Event::note_off(0, 0, key, 0.0)));
    }
    events.sort_by_key(|(frame, _)| *frame);
    Sequence { events, length: step * KEYS.len() as u64 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use midly::num::{u4, u7, u15, u24, u28};
    use midly::{Format, Header, TrackEvent};

    fn event(delta: u32, kind: TrackEventKind<'static>) -> TrackEvent<'static> {
        TrackEvent { delta: u28::new(delta), kind }
    }

    fn note(on: bool, key: u8) -> TrackEventKind<'static> {
        let (key, vel) = (u7::new(key), u7::new(if on { 127 } else { 0 }));
        let message = if on { MidiMessage::NoteOn { key, vel } } else { MidiMessage::NoteOff { key, vel } };
        TrackEventKind::Midi { channel: u4::new(1), message }
    }

    #[test]
    fn events_land_on_frames_following_the_tempo_map() {
        let mut smf = Smf::new(Header::new(Format::SingleTrack, Timing::Metrical(u15::new(480))));
        smf.tracks.push(vec![
            event(0, TrackEventKind::Meta(MetaMessage::Tempo(u24::new(250_000)))),
            event(480, note(true, 60)),
            event(480, TrackEventKind::Meta(MetaMessage::Tempo(u24::new(1_000_000)))),
            event(480, note(false, 60)),
            event(0, TrackEventKind::Meta(MetaMessage::EndOfTrack)),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("song.mid");
        smf.save(&path).unwrap();
        let sequence = read(&path, 1000.0).unwrap();
        let frames: Vec<u64> = sequence.events.iter().map(|(frame, _)| *frame).collect();
        assert_eq!(frames, vec![250, 1500], "a beat is 250 ms at 240 BPM, then 1 s at 60 BPM");
        assert_eq!(sequence.events[0].1, Event::from_midi(0, [0x91, 60, 127]).unwrap());
        assert_eq!(sequence.length, 1501);
    }

    #[test]
    fn a_file_that_is_not_midi_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("song.mid");
        std::fs::write(&path, b"not midi").unwrap();
        let error = read(&path, 48_000.0).unwrap_err().to_string();
        assert!(error.contains("song.mid is not a usable MIDI file"), "{error}");
    }
}
