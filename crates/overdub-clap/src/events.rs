//! CLAP events and transport in overdub's terms: notes (CLAP and MIDI dialects), MIDI controllers and
//! sample-accurate parameter changes.

use clack_plugin::events::event_types::{TransportEvent, TransportFlags};
use clack_plugin::events::io::InputEvents;
use clack_plugin::events::spaces::CoreEventSpace;
use clack_plugin::events::{Match, Pckn};
use overdub_abi::{Event, EventBody, Note, ParamChange, TimeSignature, Transport};

/// Events one host block can carry into the logic; more are dropped (hosts send far fewer).
pub(crate) const EVENTS_PER_BLOCK: usize = 4096;

/// Appends the host's events to `out`, up to its capacity (never grown; the rest are dropped). Real-time
/// safe.
pub(crate) fn translate(input: &InputEvents<'_>, out: &mut Vec<Event>) {
    for event in input {
        if out.len() == out.capacity() {
            break;
        }
        let time = event.header().time();
        let body = match event.as_core_event() {
            Some(CoreEventSpace::NoteOn(e)) => note(e.pckn(), e.velocity()).map(EventBody::NoteOn),
            Some(CoreEventSpace::NoteOff(e)) => note(e.pckn(), e.velocity()).map(EventBody::NoteOff),
            Some(CoreEventSpace::NoteChoke(e)) => note(e.pckn(), 0.0).map(EventBody::NoteOff),
            Some(CoreEventSpace::Midi(e)) => Event::from_midi(time, e.data()).map(|e| e.body),
            // The shell fills in the parameter's index.
            Some(CoreEventSpace::ParamValue(e)) => e
                .param_id()
                .map(|id| EventBody::ParamChange(ParamChange { index: 0, id: id.get(), value: e.value() })),
            _ => None,
        };
        if let Some(body) = body {
            out.push(Event { time, body });
        }
    }
}

fn note(pckn: Pckn, velocity: f64) -> Option<Note> {
    let specific = |m: Match<u16>| m.into_specific().and_then(|v| u8::try_from(v).ok());
    let key = specific(pckn.key).filter(|&k| k < 128)?;
    Some(Note {
        channel: specific(pckn.channel).unwrap_or(0) & 0x0f,
        key,
        velocity: velocity.clamp(0.0, 1.0) as f32,
        note_id: pckn.note_id.into_specific().and_then(|id| i32::try_from(id).ok()).unwrap_or(Note::NO_ID),
    })
}

/// The host's transport as overdub describes it.
pub(crate) fn transport(event: &TransportEvent, sample_rate: f64) -> Transport {
    let flags = event.flags;
    let mut transport = Transport {
        playing: flags.contains(TransportFlags::IS_PLAYING),
        recording: flags.contains(TransportFlags::IS_RECORDING),
        looping: flags.contains(TransportFlags::IS_LOOP_ACTIVE),
        ..Transport::default()
    };
    if flags.contains(TransportFlags::HAS_TEMPO) {
        transport.tempo = event.tempo;
    }
    if flags.contains(TransportFlags::HAS_TIME_SIGNATURE) {
        transport.time_signature = TimeSignature {
            numerator: event.time_signature_numerator,
            denominator: event.time_signature_denominator,
        };
    }
    if flags.contains(TransportFlags::HAS_BEATS_TIMELINE) {
        transport.position_beats = event.song_pos_beats.to_float();
        transport.bar_start_beats = event.bar_start.to_float();
        transport.loop_start_beats = event.loop_start_beats.to_float();
        transport.loop_end_beats = event.loop_end_beats.to_float();
    }
    if flags.contains(TransportFlags::HAS_SECONDS_TIMELINE) {
        transport.position_samples = (event.song_pos_seconds.to_float() * sample_rate).round() as i64;
    }
    transport
}
