//! A small CLAP host on clack-host: loads a `.clap`, answers the plugin's requests the way CLAP prescribes
//! (callbacks on the main thread, rescans recorded), and runs blocks of audio and events through it.

use clack_extensions::audio_ports::{AudioPortInfoBuffer, PluginAudioPorts};
use clack_extensions::gui::{
    GuiApiType, GuiConfiguration, GuiSize, HostGui, HostGuiImpl, PluginGui, Window as GuiWindow,
};
use clack_extensions::latency::{HostLatency, HostLatencyImpl, PluginLatency};
use clack_extensions::log::{HostLog, HostLogImpl, LogSeverity};
use clack_extensions::note_ports::{NotePortInfoBuffer, PluginNotePorts};
use clack_extensions::params::{
    HostParams, HostParamsImplMainThread, HostParamsImplShared, ParamClearFlags, ParamInfoBuffer,
    ParamRescanFlags, PluginParams,
};
use clack_extensions::state::PluginState;
use clack_extensions::timer::{HostTimer, HostTimerImpl, PluginTimer, TimerId};
use clack_host::prelude::*;
use std::cell::{Cell, RefCell};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The host's side of one plugin instance.
pub struct TestHost;

/// Requests a plugin may make from any thread.
#[derive(Default)]
pub struct Shared {
    pub callback: AtomicBool,
    pub restart: AtomicBool,
    pub flush: AtomicBool,
    pub log: Mutex<Vec<String>>,
    /// Sizes the editor asked its window to take (the host grants each).
    pub resizes: Mutex<Vec<[u32; 2]>>,
}

impl SharedHandler<'_> for Shared {
    fn request_restart(&self) {
        self.restart.store(true, Ordering::SeqCst);
    }
    fn request_process(&self) {}
    fn request_callback(&self) {
        self.callback.store(true, Ordering::SeqCst);
    }
}

impl HostLogImpl for Shared {
    fn log(&self, severity: LogSeverity, message: &str) {
        self.log.lock().unwrap().push(format!("[{severity}] {message}"));
    }
}

impl HostGuiImpl for Shared {
    fn resize_hints_changed(&self) {}
    fn request_resize(&self, new_size: GuiSize) -> Result<(), HostError> {
        self.resizes.lock().unwrap().push([new_size.width, new_size.height]);
        Ok(())
    }
    fn request_show(&self) -> Result<(), HostError> {
        Ok(())
    }
    fn request_hide(&self) -> Result<(), HostError> {
        Ok(())
    }
    fn closed(&self, _was_destroyed: bool) {}
}

impl HostParamsImplShared for Shared {
    fn request_flush(&self) {
        self.flush.store(true, Ordering::SeqCst);
    }
}

/// Main-thread notifications the plugin sent.
#[derive(Default)]
pub struct MainThread {
    pub rescans: RefCell<Vec<ParamRescanFlags>>,
    pub latency_changes: Cell<u32>,
    /// Timers the plugin registered.
    pub timers: RefCell<Vec<TimerId>>,
}

impl HostTimerImpl for MainThread {
    fn register_timer(&self, _period_ms: u32) -> Result<TimerId, HostError> {
        let id = TimerId(self.timers.borrow().len() as u32 + 1);
        self.timers.borrow_mut().push(id);
        Ok(id)
    }
    fn unregister_timer(&self, timer_id: TimerId) -> Result<(), HostError> {
        self.timers.borrow_mut().retain(|&id| id != timer_id);
        Ok(())
    }
}

impl MainThreadHandler<'_> for MainThread {}

impl HostParamsImplMainThread for MainThread {
    fn rescan(&self, flags: ParamRescanFlags) {
        self.rescans.borrow_mut().push(flags);
    }
    fn clear(&self, _param_id: ClapId, _flags: ParamClearFlags) {}
}

impl HostLatencyImpl for MainThread {
    fn changed(&self) {
        self.latency_changes.set(self.latency_changes.get() + 1);
    }
}

impl HostHandlers for TestHost {
    type Shared<'a> = Shared;
    type MainThread<'a> = MainThread;
    type AudioProcessor<'a> = ();

    fn declare_extensions(builder: &mut HostExtensions<Self>, _shared: &Self::Shared<'_>) {
        builder
            .register::<HostLog>()
            .register::<HostParams>()
            .register::<HostLatency>()
            .register::<HostTimer>()
            .register::<HostGui>();
    }
}

/// A loaded plugin instance and the entry it came from.
pub struct Plugin {
    pub instance: PluginInstance<TestHost>,
    /// Keeps the library loaded for as long as the instance lives.
    _entry: PluginEntry,
}

/// The first plugin's id and name in a `.clap`, and its feature tags.
pub fn describe(entry: &PluginEntry) -> (String, String, Vec<String>) {
    let factory = entry.get_plugin_factory().expect("a plugin factory");
    assert_eq!(factory.plugin_count(), 1);
    let descriptor = factory.plugin_descriptor(0).expect("a descriptor");
    let text = |s: Option<&std::ffi::CStr>| s.unwrap().to_str().unwrap().to_owned();
    (
        text(descriptor.id()),
        text(descriptor.name()),
        descriptor.features().map(|f| f.to_str().unwrap().to_owned()).collect(),
    )
}

/// Loads the entry of the `.clap` at `path`.
pub fn entry(path: &Path) -> PluginEntry {
    // SAFETY: the test built this plugin from this workspace; loading it runs only its CLAP entry code.
    unsafe { PluginEntry::load(path) }.unwrap_or_else(|e| panic!("load {}: {e}", path.display()))
}

impl Plugin {
    /// Loads a fresh instance of the only plugin in the `.clap` at `path`.
    pub fn load(path: &Path) -> Self {
        let entry = entry(path);
        let (id, ..) = describe(&entry);
        let id = std::ffi::CString::new(id).unwrap();
        let host = HostInfo::new("overdub test host", "overdub", "https://example.invalid", "0.1").unwrap();
        let instance = PluginInstance::<TestHost>::new(
            |_| Shared::default(),
            |_| MainThread::default(),
            &entry,
            &id,
            &host,
        )
        .expect("plugin instance");
        Self { instance, _entry: entry }
    }

    fn ext<
        E: clack_host::extensions::Extension<ExtensionSide = clack_host::extensions::PluginExtensionSide>,
    >(
        &mut self,
    ) -> Option<E> {
        self.instance.plugin_handle().get_extension::<E>()
    }

    /// Which of the extensions the plugin offers: audio-ports, note-ports, params, state, latency, tail.
    pub fn extensions(&mut self) -> [bool; 6] {
        [
            self.ext::<PluginAudioPorts>().is_some(),
            self.ext::<PluginNotePorts>().is_some(),
            self.ext::<PluginParams>().is_some(),
            self.ext::<PluginState>().is_some(),
            self.ext::<PluginLatency>().is_some(),
            self.ext::<clack_extensions::tail::PluginTail>().is_some(),
        ]
    }

    /// (channel count, in-place pair) of the main audio port in each direction, when there is one.
    pub fn audio_port(&mut self, is_input: bool) -> Option<(u32, Option<u32>)> {
        let ports = self.ext::<PluginAudioPorts>()?;
        let handle = self.instance.plugin_handle();
        if ports.count(&handle, is_input) == 0 {
            return None;
        }
        let mut buffer = AudioPortInfoBuffer::new();
        let info = ports.get(&handle, 0, is_input, &mut buffer)?;
        Some((info.channel_count, info.in_place_pair.map(|id| id.get())))
    }

    /// The note dialects of the input note port, as CLAP bits.
    pub fn note_dialects(&mut self) -> Option<u32> {
        let ports = self.ext::<PluginNotePorts>()?;
        let handle = self.instance.plugin_handle();
        let mut buffer = NotePortInfoBuffer::new();
        let info = ports.get(&handle, 0, true, &mut buffer)?;
        Some(info.supported_dialects.bits())
    }

    /// Parameter ids and names.
    pub fn params(&mut self) -> Vec<(u32, String)> {
        let params = self.ext::<PluginParams>().expect("params");
        let handle = self.instance.plugin_handle();
        (0..params.count(&handle))
            .map(|index| {
                let mut buffer = ParamInfoBuffer::new();
                let info = params.get_info(&handle, index, &mut buffer).expect("param info");
                (info.id.get(), String::from_utf8_lossy(info.name).into_owned())
            })
            .collect()
    }

    /// A parameter's value, as the host reads it on the main thread.
    pub fn value(&mut self, id: u32) -> Option<f64> {
        let params = self.ext::<PluginParams>()?;
        params.get_value(&self.instance.plugin_handle(), ClapId::new(id))
    }

    /// The plugin's text for `value`.
    pub fn value_to_text(&mut self, id: u32, value: f64) -> Option<String> {
        let params = self.ext::<PluginParams>()?;
        let mut buffer = [0u8; 64];
        let text =
            params.value_to_text(&self.instance.plugin_handle(), ClapId::new(id), value, &mut buffer).ok()?;
        Some(String::from_utf8_lossy(text).trim_end_matches('\0').to_owned())
    }

    /// The plugin's value for `text`.
    pub fn text_to_value(&mut self, id: u32, text: &str) -> Option<f64> {
        let params = self.ext::<PluginParams>()?;
        let text = std::ffi::CString::new(text).unwrap();
        params.text_to_value(&self.instance.plugin_handle(), ClapId::new(id), &text)
    }

    /// Sets parameters through a main-thread flush (the plugin must be inactive).
    pub fn flush(&mut self, values: &[(u32, f64)]) {
        let params = self.ext::<PluginParams>().expect("params");
        let mut events = EventBuffer::new();
        for &(id, value) in values {
            events.push(&param_event(0, id, value));
        }
        let mut out = EventBuffer::new();
        let mut handle =
            self.instance.inactive_plugin_handle().expect("flushed on the main thread while inactive");
        params.flush(&mut handle, &events.as_input(), &mut out.as_output());
    }

    /// The plugin's saved state.
    pub fn save(&mut self) -> Vec<u8> {
        let state = self.ext::<PluginState>().expect("state");
        let mut bytes = Vec::new();
        state.save(&self.instance.plugin_handle(), &mut bytes).expect("save state");
        bytes
    }

    /// Hands `bytes` to the plugin's state loader.
    pub fn load_state(&mut self, bytes: &[u8]) -> Result<(), clack_extensions::state::StateError> {
        let state = self.ext::<PluginState>().expect("state");
        state.load(&self.instance.plugin_handle(), &mut &bytes[..])
    }

    /// The plugin's latency.
    pub fn latency(&mut self) -> u32 {
        let latency = self.ext::<PluginLatency>().expect("latency");
        latency.get(&self.instance.plugin_handle())
    }

    /// Runs the main-thread callback when the plugin asked for one; returns whether it did.
    pub fn poll_callback(&mut self) -> bool {
        let requested = self.instance.access_shared_handler(|s| s.callback.swap(false, Ordering::SeqCst));
        if requested {
            self.instance.call_on_main_thread_callback();
        }
        requested
    }

    /// Everything the plugin logged so far.
    pub fn log(&self) -> Vec<String> {
        self.instance.access_shared_handler(|s| s.log.lock().unwrap().clone())
    }

    /// The sizes the plugin's editor asked its window to take, in order.
    pub fn resizes(&self) -> Vec<[u32; 2]> {
        self.instance.access_shared_handler(|s| s.resizes.lock().unwrap().clone())
    }

    /// Whether the plugin asked for a restart since the last call; clears the request.
    pub fn take_restart(&self) -> bool {
        self.instance.access_shared_handler(|s| s.restart.swap(false, Ordering::SeqCst))
    }

    /// How often the plugin told the host its latency changed.
    pub fn latency_changes(&mut self) -> u32 {
        self.instance.access_handler(|m| m.latency_changes.get())
    }

    /// The parameter rescans the plugin asked for.
    pub fn rescans(&mut self) -> Vec<ParamRescanFlags> {
        self.instance.access_handler(|m| m.rescans.borrow().clone())
    }

    /// Creates the plugin's editor embedded in the X window `parent` and shows it; returns its size.
    pub fn open_editor(&mut self, parent: u32) -> GuiSize {
        let gui = self.ext::<PluginGui>().expect("the gui extension");
        let handle = self.instance.plugin_handle();
        let config = GuiConfiguration { api_type: GuiApiType::X11, is_floating: false };
        assert!(gui.is_api_supported(&handle, config), "X11 editors are supported");
        gui.create(&handle, config).expect("create the editor");
        let size = gui.get_size(&handle).expect("the editor's size");
        // SAFETY: the test's host window outlives the editor: each test destroys the editor first.
        unsafe { gui.set_parent(&handle, GuiWindow::from_x11_handle(parent.into())) }
            .expect("set the parent");
        gui.show(&handle).expect("show the editor");
        size
    }

    /// Destroys the editor.
    pub fn close_editor(&mut self) {
        let gui = self.ext::<PluginGui>().expect("the gui extension");
        gui.destroy(&self.instance.plugin_handle());
    }

    /// Fires every timer the plugin registered once, as a host's timer loop does each period.
    pub fn fire_timers(&mut self) {
        let timers = self.instance.access_handler(|m| m.timers.borrow().clone());
        let timer = self.ext::<PluginTimer>().expect("timer support");
        let handle = self.instance.plugin_handle();
        for id in timers {
            timer.on_timer(&handle, id);
        }
    }

    /// Whether the plugin asked for a parameter flush since the last call.
    pub fn take_flush_request(&self) -> bool {
        self.instance.access_shared_handler(|s| s.flush.swap(false, Ordering::SeqCst))
    }

    /// Activates and starts processing with `channels` in and out.
    pub fn start(&mut self, sample_rate: f64, max_block: u32, inputs: usize, outputs: usize) -> Running {
        let config =
            PluginAudioConfiguration { sample_rate, min_frames_count: 1, max_frames_count: max_block };
        let stopped = self.instance.activate(|_, _| (), config).expect("activate");
        let processor = stopped.start_processing().map_err(|_| "start processing").unwrap();
        Running {
            processor: Some(processor),
            inputs: vec![vec![0.0; max_block as usize]; inputs],
            outputs: vec![vec![0.0; max_block as usize]; outputs],
            in_ports: AudioPorts::with_capacity(inputs, 1),
            out_ports: AudioPorts::with_capacity(outputs, 1),
            steady: 0,
            automation: Vec::new(),
        }
    }

    /// Stops and deactivates.
    pub fn stop(&mut self, mut running: Running) {
        let processor = running.processor.take().unwrap().stop_processing();
        self.instance.deactivate(processor);
    }
}

/// An active, processing instance and its buffers.
pub struct Running {
    processor: Option<StartedPluginAudioProcessor<TestHost>>,
    pub inputs: Vec<Vec<f32>>,
    pub outputs: Vec<Vec<f32>>,
    in_ports: AudioPorts,
    out_ports: AudioPorts,
    steady: u64,
    /// The parameter events the plugin sent the host, in order.
    pub automation: Vec<Automation>,
}

/// A parameter event a plugin sent its host: a gesture's begin, a value, or its end.
pub use overdub_window::Gesture as Automation;

/// The parameter events among a plugin's output events.
pub fn automation(events: &EventBuffer, into: &mut Vec<Automation>) {
    use clack_host::events::spaces::CoreEventSpace;
    for event in events {
        match event.as_core_event() {
            Some(CoreEventSpace::ParamGestureBegin(e)) => {
                into.push(Automation::Begin(e.param_id().unwrap().get()))
            }
            Some(CoreEventSpace::ParamValue(e)) => {
                into.push(Automation::Value(e.param_id().unwrap().get(), e.value()))
            }
            Some(CoreEventSpace::ParamGestureEnd(e)) => {
                into.push(Automation::End(e.param_id().unwrap().get()))
            }
            _ => {}
        }
    }
}

impl Running {
    /// Processes `frames` samples of `self.inputs` with `events`; the result is in `self.outputs`.
    pub fn process(&mut self, frames: usize, events: &EventBuffer) -> ProcessStatus {
        let inputs: Vec<_> = if self.inputs.is_empty() {
            Vec::new()
        } else {
            vec![AudioPortBuffer {
                latency: 0,
                channels: AudioPortBufferType::f32_input_only(
                    self.inputs.iter_mut().map(|c| InputChannel::variable(&mut c[..frames])),
                ),
            }]
        };
        let inputs = self.in_ports.with_input_buffers(inputs);
        let mut outputs = self.out_ports.with_output_buffers([AudioPortBuffer {
            latency: 0,
            channels: AudioPortBufferType::f32_output_only(self.outputs.iter_mut().map(|c| &mut c[..frames])),
        }]);
        let mut out_events = EventBuffer::new();
        let status = self
            .processor
            .as_mut()
            .unwrap()
            .process(
                &inputs,
                &mut outputs,
                &events.as_input(),
                &mut out_events.as_output(),
                Some(self.steady),
                None,
            )
            .expect("process");
        self.steady += frames as u64;
        automation(&out_events, &mut self.automation);
        status
    }

    /// Sets parameters through an audio-thread flush, between blocks.
    pub fn flush(&mut self, values: &[(u32, f64)]) {
        let processor = self.processor.as_mut().unwrap();
        let mut handle = processor.plugin_handle();
        let params = handle.get_extension::<PluginParams>().expect("params");
        let mut events = EventBuffer::new();
        for &(id, value) in values {
            events.push(&param_event(0, id, value));
        }
        let mut out = EventBuffer::new();
        params.flush_active(&mut handle, &events.as_input(), &mut out.as_output());
    }
}

/// A parameter change at `time`.
pub fn param_event(time: u32, id: u32, value: f64) -> clack_host::events::event_types::ParamValueEvent {
    clack_host::events::event_types::ParamValueEvent::new(time, ClapId::new(id), Pckn::match_all(), value)
}
