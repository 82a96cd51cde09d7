//! The audio thread: the host's buffers, events and parameter queues handed to the shell's processor without
//! copying, allocating or locking, under the denormal guard, with the output sanitised. The processor is this
//! thread's own: it sits behind a lock the audio thread only ever tries (never waits for), which the main
//! thread takes only while the host guarantees no processing (activation, deactivation).

use crate::enums::{bits, signed};
use crate::events::{self, EVENTS_PER_BLOCK};
use crate::export::Export;
use crate::notices::Notice;
use crate::plugin::{Shared, Vst3Plugin};
use overdub::alloc_counter::count_allocations;
use overdub_abi::{AudioBuffer, Event};
use overdub_shell::{HostBlock, Shell, ShellProcessor, audio_path};
use std::sync::atomic::Ordering;
use vst3::Steinberg::Vst::BusDirections_::{kInput, kOutput};
use vst3::Steinberg::Vst::IProcessContextRequirements_::Flags_::{
    kNeedBarPositionMusic, kNeedContinousTimeSamples, kNeedCycleMusic, kNeedProjectTimeMusic, kNeedTempo,
    kNeedTimeSignature, kNeedTransportState,
};
use vst3::Steinberg::Vst::ProcessContext_::StatesAndFlags_::kContTimeValid;
use vst3::Steinberg::Vst::SymbolicSampleSizes_::kSample32;
use vst3::Steinberg::Vst::{
    AudioBusBuffers, BusDirection, IAudioProcessorTrait, IProcessContextRequirementsTrait, ProcessData,
    ProcessSetup, SpeakerArrangement, kInfiniteTail,
};
use vst3::Steinberg::{kInvalidArgument, kResultFalse, kResultOk, kResultTrue, tresult, uint32};

/// The processor a shell hands out.
pub(crate) type ShellProcessorOf<E> = <<E as Export>::Shell as Shell>::Processor;

/// One activation of a plugin instance, run on the host's audio thread.
pub(crate) struct AudioThread<E: Export> {
    /// The shell's audio-thread half.
    pub(crate) processor: ShellProcessorOf<E>,
    /// The events of the block being processed; capacity fixed at activation, never grown.
    events: Vec<Event>,
    fault_reported: bool,
}

impl<E: Export> AudioThread<E> {
    pub(crate) fn new(processor: ShellProcessorOf<E>) -> Self {
        Self { processor, events: Vec::with_capacity(EVENTS_PER_BLOCK), fault_reported: false }
    }

    /// One `process` call. Real-time safe.
    ///
    /// # Safety
    /// `data` is the host's process data for this call: its buffers, lists and context valid throughout.
    unsafe fn process(&mut self, data: &mut ProcessData, shared: &Shared) -> tresult {
        let params = self.processor.info().params;
        let frames = usize::try_from(data.numSamples).unwrap_or(0);
        let output = first_bus(data.outputs, data.numOutputs);
        if frames == 0 || output.is_none() {
            // A flush (or a block with nothing to write): the parameter changes still land.
            // SAFETY: the caller promises the host's parameter changes are valid for this call.
            unsafe {
                events::param_points(data.inputParameterChanges, params, |_, id, value| {
                    let _ = self.processor.set_param(id, value);
                });
            }
            return kResultOk;
        }
        if data.symbolicSampleSize != signed(kSample32) {
            return kResultFalse;
        }
        self.events.clear();
        // SAFETY: the caller promises the host's event list and parameter changes are valid for this call.
        unsafe {
            events::notes(data.inputEvents, &mut self.events);
            events::param_changes(data.inputParameterChanges, params, &mut self.events);
        }
        let output = output.expect("checked above");
        let (input_ptrs, input_channels) = first_bus(data.inputs, data.numInputs)
            .map_or((std::ptr::null(), 0), |bus| (bus.channels.cast_const(), bus.count));
        // SAFETY: VST3 hands the plugin, for the duration of `process`, `numChannels` channel pointers per bus,
        // each valid for `numSamples` samples (read for inputs, read and write for outputs), and no one else
        // touches them meanwhile. Output channels are distinct buffers; a host processing in place passes the
        // same pointer for an input channel and its output, otherwise the buffers are separate, as
        // `from_raw` requires.
        let mut buffer = unsafe {
            AudioBuffer::from_raw(
                input_ptrs.cast::<*const f32>(),
                input_channels,
                output.channels.cast_const(),
                output.count,
                frames,
            )
        };
        // SAFETY: the host's process context, when given, is valid for this call.
        let context = unsafe { data.processContext.as_ref() };
        let transport = context.map(events::transport);
        let host = HostBlock {
            events: &self.events,
            transport: transport.as_ref(),
            steady_time: context
                .filter(|c| c.state & bits(kContTimeValid) != 0)
                .and_then(|c| u64::try_from(c.continousTimeSamples).ok()),
            display: None,
        };
        let ((status, _), allocations) =
            count_allocations(|| audio_path::process_block(&mut self.processor, &mut buffer, &host));
        if allocations > 0 {
            shared.allocations.fetch_add(allocations, Ordering::Relaxed);
            shared.notices.raise(Notice::Allocated);
        }
        shared.tail.store(status);
        let faulted = self.processor.is_faulted();
        if faulted && !self.fault_reported {
            shared.notices.raise(Notice::Faulted);
        }
        self.fault_reported = faulted;
        // SAFETY: `output.bus` points into the host's output bus array, writable for this call.
        unsafe { (*output.bus).silenceFlags = 0 };
        kResultOk
    }
}

/// The first bus of a host's bus array: its channel pointers and count.
struct Bus {
    bus: *mut AudioBusBuffers,
    channels: *mut *mut f32,
    count: usize,
}

/// The first bus of `buses`, when there is one with channels.
fn first_bus(buses: *mut AudioBusBuffers, count: i32) -> Option<Bus> {
    if buses.is_null() || count < 1 {
        return None;
    }
    // SAFETY: the host passes `count` bus structs at `buses` for the duration of `process`; 32-bit processing
    // (the only size this plugin accepts) uses the `channelBuffers32` member of the union.
    let (channels, count) = unsafe { ((*buses).__field0.channelBuffers32, (*buses).numChannels) };
    let count = usize::try_from(count).unwrap_or(0);
    (!channels.is_null() && count > 0).then_some(Bus { bus: buses, channels, count })
}

/// Writes silence into every output channel of `data`. Real-time safe.
///
/// # Safety
/// As for `process`: `data`'s output buffers are valid for `numSamples` samples.
unsafe fn silence(data: &mut ProcessData) {
    let frames = usize::try_from(data.numSamples).unwrap_or(0);
    let Some(output) = first_bus(data.outputs, data.numOutputs) else { return };
    for channel in 0..output.count {
        // SAFETY: the host's output channel pointers are valid for `frames` writable samples.
        unsafe {
            let samples = *output.channels.add(channel);
            if !samples.is_null() {
                std::slice::from_raw_parts_mut(samples, frames).fill(0.0);
            }
        }
    }
    // SAFETY: as above, the bus struct is writable for this call.
    unsafe { (*output.bus).silenceFlags = u64::MAX >> (64 - output.count.min(64)) };
}

/// The speaker arrangement of `channels` channels: mono, stereo, or that many speakers.
pub(crate) fn arrangement(channels: u32) -> SpeakerArrangement {
    match channels {
        0 => 0,
        1 => vst3::Steinberg::Vst::SpeakerArr::kMono,
        n => u64::MAX >> (64 - n.min(64)),
    }
}

impl<E: Export> IAudioProcessorTrait for Vst3Plugin<E> {
    unsafe fn setBusArrangements(
        &self,
        inputs: *mut SpeakerArrangement,
        num_ins: i32,
        outputs: *mut SpeakerArrangement,
        num_outs: i32,
    ) -> tresult {
        let layout = E::DESCRIPTION.audio;
        let matches = |arrangements: *mut SpeakerArrangement, count: i32, channels: u32| {
            let wanted = i32::from(channels > 0);
            // SAFETY: the host passes `count` arrangements at `arrangements`.
            count == wanted && (wanted == 0 || unsafe { *arrangements } == arrangement(channels))
        };
        if matches(inputs, num_ins, layout.inputs) && matches(outputs, num_outs, layout.outputs) {
            kResultTrue
        } else {
            kResultFalse
        }
    }

    unsafe fn getBusArrangement(
        &self,
        dir: BusDirection,
        index: i32,
        arr: *mut SpeakerArrangement,
    ) -> tresult {
        let is_input = dir == signed(kInput);
        let channels = E::DESCRIPTION.audio.channels(is_input);
        if index != 0 || channels == 0 || arr.is_null() || !(is_input || dir == signed(kOutput)) {
            return kInvalidArgument;
        }
        // SAFETY: the host passes a writable arrangement.
        unsafe { *arr = arrangement(channels) };
        kResultOk
    }

    unsafe fn canProcessSampleSize(&self, symbolic_sample_size: i32) -> tresult {
        if symbolic_sample_size == signed(kSample32) { kResultTrue } else { kResultFalse }
    }

    unsafe fn getLatencySamples(&self) -> uint32 {
        self.main.latency_for_host()
    }

    unsafe fn setupProcessing(&self, setup: *mut ProcessSetup) -> tresult {
        // SAFETY: the host passes a readable setup.
        let Some(setup) = (unsafe { setup.as_ref() }) else { return kInvalidArgument };
        if setup.symbolicSampleSize != signed(kSample32) {
            return kResultFalse;
        }
        self.main.setup(setup.sampleRate, usize::try_from(setup.maxSamplesPerBlock).unwrap_or(0));
        kResultOk
    }

    unsafe fn setProcessing(&self, _state: u8) -> tresult {
        kResultOk
    }

    unsafe fn process(&self, data: *mut ProcessData) -> tresult {
        // SAFETY: the host passes process data valid for this call.
        let Some(data) = (unsafe { data.as_mut() }) else { return kInvalidArgument };
        let mut audio = match self.audio.try_lock() {
            Ok(audio) => audio,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                // The main thread is (de)activating: a host that processes meanwhile gets silence, not a wait.
                // SAFETY: the host's buffers are valid for this call.
                unsafe { silence(data) };
                return kResultOk;
            }
        };
        match audio.as_mut() {
            // SAFETY: the host's process data is valid for this call.
            Some(audio) => unsafe { audio.process(data, &self.shared) },
            None => {
                // SAFETY: as above.
                unsafe { silence(data) };
                kResultOk
            }
        }
    }

    unsafe fn getTailSamples(&self) -> uint32 {
        self.shared.tail.load().unwrap_or(kInfiniteTail)
    }
}

impl<E: Export> IProcessContextRequirementsTrait for Vst3Plugin<E> {
    unsafe fn getProcessContextRequirements(&self) -> uint32 {
        [
            kNeedContinousTimeSamples,
            kNeedProjectTimeMusic,
            kNeedBarPositionMusic,
            kNeedCycleMusic,
            kNeedTempo,
            kNeedTimeSignature,
            kNeedTransportState,
        ]
        .into_iter()
        .fold(0, |flags, flag| flags | bits(flag))
    }
}
