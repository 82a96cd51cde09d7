//! The audio thread: host buffers and events handed to the shell's processor without copying, allocating or
//! locking, under the denormal guard, with the output sanitised. The processor is this thread's own: no host
//! call on the main thread can hold it up or silence a block.

use crate::events::{self, EVENTS_PER_BLOCK};
use crate::gestures::{self, EditReceiver};
use crate::main_thread::{MainThread, ShellProcessorOf};
use crate::notices::Notice;
use crate::params;
use crate::plugin::{Export, Shared};
use clack_plugin::prelude::*;
use overdub::alloc_counter::count_allocations;
use overdub_abi::{AudioBuffer, Event};
use overdub_shell::{HostBlock, ProcessConfig, ShellProcessor, audio_path};
use std::sync::atomic::Ordering;

/// One activation of a plugin instance, running on the host's audio thread.
pub struct Processor<'a, E: Export> {
    pub(crate) shared: &'a Shared<'a, E>,
    /// The shell's audio-thread half.
    pub(crate) processor: ShellProcessorOf<E>,
    /// The editor's gestures, written to the host as output events.
    edits: EditReceiver,
    /// The events of the block being processed; capacity fixed at activation, never grown.
    events: Vec<Event>,
    sample_rate: f64,
    fault_reported: bool,
}

impl<'a, E: Export> PluginAudioProcessor<'a, Shared<'a, E>, MainThread<'a, E>> for Processor<'a, E> {
    fn activate(
        _host: HostAudioProcessorHandle<'a>,
        main_thread: &MainThread<'a, E>,
        shared: &'a Shared<'a, E>,
        audio_config: PluginAudioConfiguration,
    ) -> Result<Self, PluginError> {
        let layout = E::DESCRIPTION.audio;
        let (processor, edits) = main_thread.activate(ProcessConfig {
            sample_rate: audio_config.sample_rate,
            max_block: audio_config.max_frames_count as usize,
            input_channels: layout.inputs as usize,
            output_channels: layout.outputs as usize,
        })?;
        Ok(Self {
            shared,
            processor,
            edits,
            events: Vec::with_capacity(EVENTS_PER_BLOCK),
            sample_rate: audio_config.sample_rate,
            fault_reported: false,
        })
    }

    fn process(
        &mut self,
        process: Process,
        mut audio: Audio,
        events: Events,
    ) -> Result<ProcessStatus, PluginError> {
        self.events.clear();
        events::translate(events.input, &mut self.events);
        let frames = audio.frames_count() as usize;
        let (inputs, outputs) = audio.raw_buffers();
        let (input_ptrs, input_channels) =
            inputs.first().filter(|port| !port.data32.is_null()).map_or((std::ptr::null(), 0), |port| {
                (port.data32.cast::<*const f32>(), port.channel_count as usize)
            });
        let Some(output) = outputs.first().filter(|port| !port.data32.is_null()) else {
            // No output to write: the automation still lands, and the editor's gestures reach the host.
            params::apply(&mut self.processor, events.input);
            gestures::write(&mut self.edits, events.output);
            return Ok(ProcessStatus::Continue);
        };
        // SAFETY: CLAP hands the plugin, for the duration of `process`, `channel_count` channel pointers per
        // port, each valid for `frames_count` samples (read for inputs, read and write for outputs), and no
        // one else touches them meanwhile. Output channels are distinct buffers; a host that processes in
        // place passes the very same pointer for an input channel and its output (the main ports are
        // declared as an in-place pair), otherwise the buffers are separate, as `from_raw` requires.
        let mut buffer = unsafe {
            AudioBuffer::from_raw(
                input_ptrs,
                input_channels,
                output.data32.cast_const(),
                output.channel_count as usize,
                frames,
            )
        };
        let transport = process.transport.map(|t| events::transport(t, self.sample_rate));
        let host = HostBlock {
            events: &self.events,
            transport: transport.as_ref(),
            steady_time: process.steady_time,
            display: None,
        };
        let edits = &mut self.edits;
        let output_events = events.output;
        let ((status, _), allocations) = count_allocations(|| {
            gestures::write(edits, output_events);
            audio_path::process_block(&mut self.processor, &mut buffer, &host)
        });
        if allocations > 0 {
            self.shared.allocations.fetch_add(allocations, Ordering::Relaxed);
            self.shared.notices.raise(Notice::Allocated);
        }
        self.shared.tail.store(status);
        let faulted = self.processor.is_faulted();
        if faulted && !self.fault_reported {
            self.shared.notices.raise(Notice::Faulted);
        }
        self.fault_reported = faulted;
        Ok(match status {
            overdub_abi::ProcessStatus::Normal => ProcessStatus::ContinueIfNotQuiet,
            overdub_abi::ProcessStatus::Tail { .. } => ProcessStatus::Tail,
            overdub_abi::ProcessStatus::KeepAlive => ProcessStatus::Continue,
        })
    }

    fn deactivate(self, main_thread: &MainThread<'a, E>) {
        main_thread.deactivated(self.processor, self.edits);
    }
}

impl<E: Export> Processor<'_, E> {
    /// The logic's tail as the last processed block reported it (none before the first), in samples, `None`
    /// when endless. Lock-free, so a host may ask from any thread, even while a block is processed.
    pub(crate) fn tail(&self) -> Option<u32> {
        self.shared.tail.load()
    }

    /// A host flush on the audio thread: `input`'s parameter changes set on the processor, the editor's
    /// gestures written to `output`. Real-time safe.
    pub(crate) fn flush_params(
        &mut self,
        input: &clack_plugin::events::io::InputEvents<'_>,
        output: &mut clack_plugin::events::io::OutputEvents<'_>,
    ) {
        params::apply(&mut self.processor, input);
        gestures::write(&mut self.edits, output);
    }
}
