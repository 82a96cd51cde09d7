//! A small CLAP host on clack-host, driving a `.clap` the way a DAW does: one instance of its only plugin,
//! activated for stereo blocks and fed a constant input, with every line the plugin logs kept and its
//! main-thread callbacks run between blocks when it asks for them.

use clack_extensions::log::{HostLog, HostLogImpl, LogSeverity};
use clack_host::prelude::*;
use std::ffi::CString;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

/// The host's side of the instance.
struct Handlers;

/// What the plugin may ask for from any thread.
#[derive(Default)]
struct Shared {
    callback: AtomicBool,
    log: Mutex<Vec<String>>,
}

impl SharedHandler<'_> for Shared {
    fn request_restart(&self) {}
    fn request_process(&self) {}
    fn request_callback(&self) {
        self.callback.store(true, Ordering::Release);
    }
}

impl HostLogImpl for Shared {
    fn log(&self, severity: LogSeverity, message: &str) {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).push(format!("[{severity}] {message}"));
    }
}

impl HostHandlers for Handlers {
    type Shared<'a> = Shared;
    type MainThread<'a> = ();
    type AudioProcessor<'a> = ();

    fn declare_extensions(builder: &mut HostExtensions<Self>, _shared: &Self::Shared<'_>) {
        builder.register::<HostLog>();
    }
}

/// A processing instance of a `.clap`'s plugin, stopped and deactivated when dropped.
pub struct ClapHost {
    processor: Option<StartedPluginAudioProcessor<Handlers>>,
    instance: PluginInstance<Handlers>,
    /// Keeps the plugin's library loaded for as long as the instance lives.
    _entry: PluginEntry,
    inputs: [Vec<f32>; 2],
    outputs: [Vec<f32>; 2],
    in_ports: AudioPorts,
    out_ports: AudioPorts,
    no_events: EventBuffer,
    out_events: EventBuffer,
    steady: u64,
}

impl ClapHost {
    /// Loads the `.clap` at `bundle`, creates its plugin and starts processing stereo blocks of `frames`
    /// samples at `rate`.
    ///
    /// # Panics
    /// With the reason, when the bundle does not load or the plugin refuses to start.
    pub fn start(bundle: &Path, rate: f64, frames: usize) -> Self {
        // SAFETY: the bundle is one of this workspace's own plugins; loading it runs only its CLAP entry.
        let entry = unsafe { PluginEntry::load(bundle) }
            .unwrap_or_else(|error| panic!("load {}: {error}", bundle.display()));
        let factory = entry.get_plugin_factory().expect("the bundle has a plugin factory");
        let descriptor = factory.plugin_descriptor(0).expect("the bundle holds a plugin");
        let id = CString::from(descriptor.id().expect("the plugin has an id"));
        let host = HostInfo::new("overdub bench host", "overdub", "https://example.invalid", "0.1")
            .expect("the host's description has no NUL");
        let mut instance = PluginInstance::<Handlers>::new(|_| Shared::default(), |_| (), &entry, &id, &host)
            .unwrap_or_else(|error| panic!("create the plugin of {}: {error}", bundle.display()));
        let max = u32::try_from(frames).expect("a block size fits in u32");
        let config =
            PluginAudioConfiguration { sample_rate: rate, min_frames_count: 1, max_frames_count: max };
        let stopped = instance.activate(|_, _| (), config).expect("the plugin activates");
        let processor =
            stopped.start_processing().map_err(|_| "start processing").expect("the plugin starts");
        Self {
            processor: Some(processor),
            instance,
            _entry: entry,
            inputs: [vec![0.0; frames], vec![0.0; frames]],
            outputs: [vec![0.0; frames], vec![0.0; frames]],
            in_ports: AudioPorts::with_capacity(2, 1),
            out_ports: AudioPorts::with_capacity(2, 1),
            no_events: EventBuffer::new(),
            out_events: EventBuffer::with_capacity(64),
            steady: 0,
        }
    }

    /// Runs the plugin's main-thread callback if it asked for one, then processes one block whose every input
    /// sample is `input`; returns the last sample of the first output channel.
    pub fn block(&mut self, input: f32) -> f32 {
        if self.instance.access_shared_handler(|shared| shared.callback.swap(false, Ordering::AcqRel)) {
            self.instance.call_on_main_thread_callback();
        }
        let frames = self.inputs[0].len();
        for channel in &mut self.inputs {
            channel.fill(input);
        }
        let inputs = self.in_ports.with_input_buffers([AudioPortBuffer {
            latency: 0,
            channels: AudioPortBufferType::f32_input_only(self.inputs.iter_mut().map(InputChannel::variable)),
        }]);
        let mut outputs = self.out_ports.with_output_buffers([AudioPortBuffer {
            latency: 0,
            channels: AudioPortBufferType::f32_output_only(self.outputs.iter_mut().map(Vec::as_mut_slice)),
        }]);
        self.out_events.clear();
        self.processor
            .as_mut()
            .expect("processing until dropped")
            .process(
                &inputs,
                &mut outputs,
                &self.no_events.as_input(),
                &mut self.out_events.as_output(),
                Some(self.steady),
                None,
            )
            .expect("the plugin processes");
        self.steady += frames as u64;
        self.outputs[0][frames - 1]
    }

    /// Every line the plugin logged so far, with its severity.
    pub fn log(&self) -> Vec<String> {
        self.instance
            .access_shared_handler(|shared| shared.log.lock().unwrap_or_else(PoisonError::into_inner).clone())
    }
}

impl Drop for ClapHost {
    fn drop(&mut self) {
        if let Some(processor) = self.processor.take() {
            self.instance.deactivate(processor.stop_processing());
        }
    }
}
