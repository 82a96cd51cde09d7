//! The audio thread: host buffers and events handed to the shell without copying or allocating, under the
//! denormal guard, with the output sanitised.

use crate::events::{self, EVENTS_PER_BLOCK};
use crate::main_thread::MainThread;
use crate::notices::Notice;
use crate::plugin::{Export, Shared};
use clack_plugin::prelude::*;
use overdub_abi::{AudioBuffer, Event, Tail};
use overdub_shell::{HostBlock, ProcessConfig, Shell, audio_path};
use std::cell::Cell;

/// One activation of a plugin instance, running on the host's audio thread.
pub struct Processor<'a, E: Export> {
    pub(crate) shared: &'a Shared<'a, E>,
    events: Vec<Event>,
    sample_rate: f64,
    tail: Cell<Tail>,
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
        main_thread.activate(ProcessConfig {
            sample_rate: audio_config.sample_rate,
            max_block: audio_config.max_frames_count as usize,
            input_channels: layout.inputs as usize,
            output_channels: layout.outputs as usize,
        })?;
        let tail = shared.lock().tail();
        Ok(Self {
            shared,
            events: Vec::with_capacity(EVENTS_PER_BLOCK),
            sample_rate: audio_config.sample_rate,
            tail: Cell::new(tail),
            fault_reported: false,
        })
    }

    fn process(
        &mut self,
        process: Process,
        mut audio: Audio,
        events: Events,
    ) -> Result<ProcessStatus, PluginError> {
        events::translate(events.input, &mut self.events);
        let frames = audio.frames_count() as usize;
        let (inputs, outputs) = audio.raw_buffers();
        let (input_ptrs, input_channels) =
            inputs.first().filter(|port| !port.data32.is_null()).map_or((std::ptr::null(), 0), |port| {
                (port.data32.cast::<*const f32>(), port.channel_count as usize)
            });
        let Some(output) = outputs.first().filter(|port| !port.data32.is_null()) else {
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
        let Some(mut shell) = self.shared.try_lock() else {
            for channel in 0..buffer.output_channels() {
                buffer.output(channel).into_iter().for_each(|out| out.fill(0.0));
            }
            return Ok(ProcessStatus::Continue);
        };
        let transport = process.transport.map(|t| events::transport(t, self.sample_rate));
        let host = HostBlock {
            events: &self.events,
            transport: transport.as_ref(),
            steady_time: process.steady_time,
        };
        let (status, _) = audio_path::process_block(&mut *shell, &mut buffer, &host);
        self.shared.mirror.publish(shell.params());
        let faulted = shell.fault().is_some();
        drop(shell);
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
        main_thread.deactivated();
    }
}

impl<E: Export> Processor<'_, E> {
    /// The logic's tail, or the last one known when the main thread holds the shell.
    pub(crate) fn tail(&self) -> Tail {
        if let Some(mut shell) = self.shared.try_lock() {
            self.tail.set(shell.tail());
        }
        self.tail.get()
    }
}
