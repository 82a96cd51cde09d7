//! A VST3 block's events in overdub's terms: notes from the event list, sample-accurate parameter changes
//! from the parameter queues (normalised values turned into the logic's plain ones), and the transport.
//! Everything here runs on the audio thread: no allocation (the event list's capacity is fixed), no lock.

use crate::enums::bits;
use crate::params;
use overdub_abi::{Event, EventBody, Note, ParamChange, ParamInfo, PolyPressure, TimeSignature, Transport};
use vst3::ComRef;
use vst3::Steinberg::Vst::Event_::EventTypes_::{kNoteOffEvent, kNoteOnEvent, kPolyPressureEvent};
use vst3::Steinberg::Vst::ProcessContext_::StatesAndFlags_::{
    kBarPositionValid, kCycleActive, kCycleValid, kPlaying, kProjectTimeMusicValid, kRecording, kTempoValid,
    kTimeSigValid,
};
use vst3::Steinberg::Vst::{
    IEventList, IEventListTrait, IParamValueQueueTrait, IParameterChanges, IParameterChangesTrait,
    ProcessContext,
};
use vst3::Steinberg::kResultOk;

/// Events one host block can carry into the logic; more are dropped (hosts send far fewer).
pub(crate) const EVENTS_PER_BLOCK: usize = 4096;

/// Inserts `event` after every event at or before its time, keeping `out` sorted and stable (notes and each
/// parameter's points arrive in order; merging them this way needs no scratch memory). Drops it when `out`
/// is full.
fn insert(out: &mut Vec<Event>, event: Event) {
    if out.len() == out.capacity() {
        return;
    }
    let at = out.partition_point(|e| e.time <= event.time);
    out.insert(at, event);
}

/// Appends the notes of `list` to `out`.
///
/// # Safety
/// `list` is null or the host's event list for the block being processed.
pub(crate) unsafe fn notes(list: *mut IEventList, out: &mut Vec<Event>) {
    // SAFETY: the caller promises a null or valid event list for the duration of this call.
    let Some(list) = (unsafe { ComRef::from_raw(list) }) else { return };
    // SAFETY: a valid event list answers its count.
    let count = unsafe { list.getEventCount() };
    for index in 0..count {
        // SAFETY: `Event` is plain data (numbers and a union of plain structs): all zeros is a valid value,
        // and the host overwrites it.
        let mut event = unsafe { std::mem::zeroed::<vst3::Steinberg::Vst::Event>() };
        // SAFETY: `index` is below the count the list gave; `event` is writable.
        if unsafe { list.getEvent(index, &mut event) } != kResultOk {
            continue;
        }
        let time = u32::try_from(event.sampleOffset).unwrap_or(0);
        let kind = u32::from(event.r#type);
        // SAFETY: each union field read is the one the event's type names.
        let body = unsafe {
            if kind == bits(kNoteOnEvent) {
                let on = event.__field0.noteOn;
                note(on.channel, on.pitch, on.velocity, on.noteId).map(EventBody::NoteOn)
            } else if kind == bits(kNoteOffEvent) {
                let off = event.__field0.noteOff;
                note(off.channel, off.pitch, off.velocity, off.noteId).map(EventBody::NoteOff)
            } else if kind == bits(kPolyPressureEvent) {
                let pressure = event.__field0.polyPressure;
                note(pressure.channel, pressure.pitch, pressure.pressure, -1).map(|n| {
                    EventBody::PolyPressure(PolyPressure {
                        channel: n.channel,
                        key: n.key,
                        value: n.velocity,
                    })
                })
            } else {
                None
            }
        };
        if let Some(body) = body {
            insert(out, Event { time, body });
        }
    }
}

fn note(channel: i16, pitch: i16, velocity: f32, note_id: i32) -> Option<Note> {
    let key = u8::try_from(pitch).ok().filter(|&k| k < 128)?;
    Some(Note {
        channel: u8::try_from(channel).unwrap_or(0) & 0x0f,
        key,
        velocity: velocity.clamp(0.0, 1.0),
        note_id: if note_id < 0 { Note::NO_ID } else { note_id },
    })
}

/// Calls `each(offset, id, plain value)` for every point of every parameter queue in `changes`, in each
/// queue's order; ids `params` lacks (a list a reload changed before the host caught up) are skipped.
///
/// # Safety
/// `changes` is null or the host's parameter changes for the block being processed.
pub(crate) unsafe fn param_points(
    changes: *mut IParameterChanges,
    params: &[ParamInfo],
    mut each: impl FnMut(u32, u32, f64),
) {
    // SAFETY: the caller promises null or valid parameter changes for the duration of this call.
    let Some(changes) = (unsafe { ComRef::from_raw(changes) }) else { return };
    // SAFETY: valid parameter changes answer their count.
    for index in 0..unsafe { changes.getParameterCount() } {
        // SAFETY: `index` is below the count; the queue it returns is the host's, valid for this block.
        let Some(queue) = (unsafe { ComRef::from_raw(changes.getParameterData(index)) }) else { continue };
        // SAFETY: a valid queue answers its id.
        let id = unsafe { queue.getParameterId() };
        let Some(info) = params::find(params, id) else { continue };
        // SAFETY: a valid queue answers its point count.
        for point in 0..unsafe { queue.getPointCount() } {
            let (mut offset, mut value) = (0, 0.0);
            // SAFETY: `point` is below the count; both out-pointers are writable.
            if unsafe { queue.getPoint(point, &mut offset, &mut value) } == kResultOk {
                each(u32::try_from(offset).unwrap_or(0), id, info.denormalize(value));
            }
        }
    }
}

/// Appends the parameter changes of `changes` to `out`, each at its sample.
///
/// # Safety
/// As [`param_points`].
pub(crate) unsafe fn param_changes(
    changes: *mut IParameterChanges,
    params: &[ParamInfo],
    out: &mut Vec<Event>,
) {
    // SAFETY: the caller's promise is passed on.
    unsafe {
        param_points(changes, params, |time, id, value| {
            insert(out, Event { time, body: EventBody::ParamChange(ParamChange { index: 0, id, value }) });
        });
    }
}

/// The host's timeline as overdub describes it.
pub(crate) fn transport(context: &ProcessContext) -> Transport {
    let state = context.state;
    let has = |flag| state & bits(flag) != 0;
    let mut transport = Transport {
        playing: has(kPlaying),
        recording: has(kRecording),
        looping: has(kCycleActive),
        position_samples: context.projectTimeSamples,
        ..Transport::default()
    };
    if has(kTempoValid) {
        transport.tempo = context.tempo;
    }
    if has(kTimeSigValid) {
        transport.time_signature = TimeSignature {
            numerator: u16::try_from(context.timeSigNumerator).unwrap_or(4),
            denominator: u16::try_from(context.timeSigDenominator).unwrap_or(4),
        };
    }
    if has(kProjectTimeMusicValid) {
        transport.position_beats = context.projectTimeMusic;
    }
    if has(kBarPositionValid) {
        transport.bar_start_beats = context.barPositionMusic;
    }
    if has(kCycleValid) {
        transport.loop_start_beats = context.cycleStartMusic;
        transport.loop_end_beats = context.cycleEndMusic;
    }
    transport
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(time: u32, key: u8) -> Event {
        Event { time, body: EventBody::NoteOn(Note { channel: 0, key, velocity: 1.0, note_id: Note::NO_ID }) }
    }

    #[test]
    fn merged_events_stay_in_time_order_and_keep_arrival_order_at_one_time() {
        let mut out = Vec::with_capacity(8);
        for event in [at(5, 1), at(9, 2), at(2, 3), at(5, 4), at(0, 5)] {
            insert(&mut out, event);
        }
        let keys: Vec<u8> = out
            .iter()
            .map(|e| match e.body {
                EventBody::NoteOn(n) => n.key,
                _ => 0,
            })
            .collect();
        assert_eq!(keys, [5, 3, 1, 4, 2]);
        let capacity = out.capacity();
        while out.len() < capacity {
            insert(&mut out, at(1, 0));
        }
        insert(&mut out, at(1, 0));
        assert_eq!((out.len(), out.capacity()), (capacity, capacity), "a full list drops, never grows");
    }

    #[test]
    fn notes_outside_midi_range_are_dropped_and_ids_kept() {
        assert!(note(0, 128, 1.0, 1).is_none());
        assert!(note(0, -1, 1.0, 1).is_none());
        let n = note(17, 60, 2.0, 7).unwrap();
        assert_eq!((n.channel, n.key, n.velocity, n.note_id), (1, 60, 1.0, 7));
        assert_eq!(note(0, 60, 0.5, -1).unwrap().note_id, Note::NO_ID);
    }
}
