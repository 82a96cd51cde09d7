//! Blocks of audio, notes and parameter changes through an active plugin, as a host's audio thread runs them.

use crate::objects::{Changes, Events};
use vst3::ComPtr;
use vst3::Steinberg::Vst::{
    AudioBusBuffers, AudioBusBuffers__type0, Event, IAudioProcessor, IAudioProcessorTrait, IEventList,
    IParameterChanges, ProcessData,
};
use vst3::Steinberg::tresult;

/// An active, processing instance and its buffers.
pub struct Running {
    pub(crate) processor: ComPtr<IAudioProcessor>,
    pub inputs: Vec<Vec<f32>>,
    pub outputs: Vec<Vec<f32>>,
}

impl Running {
    /// Processes `frames` samples of `self.inputs` with `notes` and parameter changes `(id, offset,
    /// normalised)`; the result is in `self.outputs`.
    pub fn process(&mut self, frames: usize, notes: &[Event], params: &[(u32, u32, f64)]) -> tresult {
        let mut input_ptrs: Vec<*mut f32> = self.inputs.iter_mut().map(|c| c.as_mut_ptr()).collect();
        let mut output_ptrs: Vec<*mut f32> = self.outputs.iter_mut().map(|c| c.as_mut_ptr()).collect();
        let bus = |ptrs: &mut Vec<*mut f32>| AudioBusBuffers {
            numChannels: ptrs.len() as i32,
            silenceFlags: 0,
            __field0: AudioBusBuffers__type0 { channelBuffers32: ptrs.as_mut_ptr() },
        };
        let mut inputs: Vec<AudioBusBuffers> =
            if input_ptrs.is_empty() { Vec::new() } else { vec![bus(&mut input_ptrs)] };
        let mut outputs = [bus(&mut output_ptrs)];
        let changes = Changes::of(params);
        let events = Events::of(notes.to_vec());
        let mut data = ProcessData {
            processMode: 0,
            symbolicSampleSize: 0,
            numSamples: frames as i32,
            numInputs: inputs.len() as i32,
            numOutputs: 1,
            inputs: inputs.as_mut_ptr(),
            outputs: outputs.as_mut_ptr(),
            inputParameterChanges: changes.as_com_ref::<IParameterChanges>().unwrap().as_ptr(),
            outputParameterChanges: std::ptr::null_mut(),
            inputEvents: events.as_com_ref::<IEventList>().unwrap().as_ptr(),
            outputEvents: std::ptr::null_mut(),
            processContext: std::ptr::null_mut(),
        };
        // SAFETY: every pointer in `data` is valid for `frames` samples until the call returns.
        unsafe { self.processor.process(&mut data) }
    }
}

/// A note-on or note-off event at `offset`.
pub fn note(offset: i32, on: bool, pitch: i16, note_id: i32) -> Event {
    use vst3::Steinberg::Vst::Event_::EventTypes_::{kNoteOffEvent, kNoteOnEvent};
    use vst3::Steinberg::Vst::{Event__type0, NoteOffEvent, NoteOnEvent};
    let (kind, body) = if on {
        let on = NoteOnEvent { channel: 0, pitch, tuning: 0.0, velocity: 1.0, length: 0, noteId: note_id };
        (kNoteOnEvent, Event__type0 { noteOn: on })
    } else {
        let off = NoteOffEvent { channel: 0, pitch, velocity: 0.0, noteId: note_id, tuning: 0.0 };
        (kNoteOffEvent, Event__type0 { noteOff: off })
    };
    Event {
        busIndex: 0,
        sampleOffset: offset,
        ppqPosition: 0.0,
        flags: 0,
        r#type: kind as u16,
        __field0: body,
    }
}
