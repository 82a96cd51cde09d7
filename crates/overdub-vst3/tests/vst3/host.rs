//! A small VST3 host on the `vst3` bindings: loads a `.vst3` bundle's module, lists its factory's classes,
//! instantiates the plugin as a DAW does (component, then its controller: the component itself when it names
//! no controller class), and runs blocks of audio, notes and parameter changes through it.

use crate::objects::{Handler, HostApp, MemoryStream};
use crate::running::Running;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use vst3::Steinberg::Vst::{
    BusDirections_, BusInfo, IAudioProcessor, IAudioProcessorTrait, IComponent, IComponentHandler,
    IComponentTrait, IEditController, IEditControllerTrait, MediaTypes_, ParameterInfo, ProcessSetup,
    SpeakerArr,
};
use vst3::Steinberg::{
    FUnknown, IBStream, IPluginBaseTrait, IPluginFactory, IPluginFactory2, IPluginFactory2Trait,
    IPluginFactoryTrait, PClassInfo2, PFactoryInfo, TUID, kResultOk, tresult,
};
use vst3::{ComPtr, ComWrapper};

/// A loaded `.vst3` module: the library and its factory.
pub struct Module {
    pub factory: ComPtr<IPluginFactory>,
    library: libloading::Library,
}

/// The binary inside a Linux `.vst3` bundle.
pub fn binary_of(bundle: &Path) -> PathBuf {
    let stem = bundle.file_stem().unwrap().to_str().unwrap();
    bundle.join("Contents").join(format!("{}-linux", std::env::consts::ARCH)).join(format!("{stem}.so"))
}

fn text(chars: &[std::ffi::c_char]) -> String {
    let bytes: Vec<u8> = chars.iter().map(|c| c.to_ne_bytes()[0]).take_while(|&b| b != 0).collect();
    String::from_utf8(bytes).unwrap()
}

fn wide(chars: &[u16]) -> String {
    String::from_utf16(&chars[..chars.iter().position(|&c| c == 0).unwrap_or(chars.len())]).unwrap()
}

/// A class as the factory lists it.
pub struct ClassInfo {
    pub cid: TUID,
    pub category: String,
    pub name: String,
    pub subcategories: String,
    pub vendor: String,
    pub sdk_version: String,
}

impl Module {
    /// Loads the module of the bundle at `bundle` and calls its entry point, as a Linux host does.
    pub fn load(bundle: &Path) -> Self {
        let binary = binary_of(bundle);
        // SAFETY: the test built this plugin from this workspace; loading it runs only its initialisers.
        let library = unsafe { libloading::Library::new(&binary) }
            .unwrap_or_else(|e| panic!("load {}: {e}", binary.display()));
        // SAFETY: the symbols have the types VST3 gives them; the library stays loaded while they are used.
        let factory = unsafe {
            let entry: libloading::Symbol<'_, unsafe extern "system" fn(*mut std::ffi::c_void) -> bool> =
                library.get(b"ModuleEntry").expect("ModuleEntry");
            assert!(entry(std::ptr::null_mut()), "ModuleEntry failed");
            let get: libloading::Symbol<'_, unsafe extern "system" fn() -> *mut IPluginFactory> =
                library.get(b"GetPluginFactory").expect("GetPluginFactory");
            ComPtr::from_raw(get()).expect("a factory")
        };
        Self { factory, library }
    }

    /// The factory's vendor and its class count.
    pub fn factory_info(&self) -> (String, i32) {
        // SAFETY: `PFactoryInfo` is plain data; the factory fills it.
        let mut info: PFactoryInfo = unsafe { std::mem::zeroed() };
        // SAFETY: the factory is alive and `info` writable.
        assert_eq!(unsafe { self.factory.getFactoryInfo(&mut info) }, kResultOk);
        // SAFETY: as above.
        (text(&info.vendor), unsafe { self.factory.countClasses() })
    }

    /// The first class, as `IPluginFactory2` lists it.
    pub fn class(&self) -> ClassInfo {
        let factory = self.factory.cast::<IPluginFactory2>().expect("IPluginFactory2");
        // SAFETY: `PClassInfo2` is plain data; the factory fills it.
        let mut info: PClassInfo2 = unsafe { std::mem::zeroed() };
        // SAFETY: the factory is alive and `info` writable.
        assert_eq!(unsafe { factory.getClassInfo2(0, &mut info) }, kResultOk);
        ClassInfo {
            cid: info.cid,
            category: text(&info.category),
            name: text(&info.name),
            subcategories: text(&info.subCategories),
            vendor: text(&info.vendor),
            sdk_version: text(&info.sdkVersion),
        }
    }
}

impl Drop for Module {
    fn drop(&mut self) {
        // SAFETY: the symbol has the type VST3 gives it; every object of the module is released by now.
        unsafe {
            if let Ok(exit) = self.library.get::<unsafe extern "system" fn() -> bool>(b"ModuleExit") {
                exit();
            }
        }
    }
}

/// One plugin instance, as a DAW holds it.
pub struct Plugin {
    pub component: ComPtr<IComponent>,
    pub processor: ComPtr<IAudioProcessor>,
    pub controller: ComPtr<IEditController>,
    pub app: ComWrapper<HostApp>,
    restarts: Arc<Mutex<Vec<i32>>>,
    /// The edits the plugin's editor reported to the component handler.
    pub edits: Arc<Mutex<Vec<overdub_window::Gesture>>>,
    active: bool,
    // Released last: the module outlives the objects it made.
    _module: Module,
}

impl Plugin {
    /// A new instance of the bundle's plugin, initialised and connected to the host's objects.
    pub fn load(bundle: &Path) -> Self {
        Self::load_with(bundle, &[])
    }

    /// [`Plugin::load`] with the environment variables `env` set while the instance is created (a plugin
    /// reads them then): tests running side by side must not see one another's.
    pub fn load_with(bundle: &Path, env: &[(&str, &Path)]) -> Self {
        static LOADING: Mutex<()> = Mutex::new(());
        let _loading = LOADING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for (key, value) in env {
            // SAFETY: every test creates its instances under this lock, and nothing else reads these variables.
            unsafe { std::env::set_var(key, value) };
        }
        let plugin = Self::create(bundle);
        for (key, _) in env {
            // SAFETY: as above.
            unsafe { std::env::remove_var(key) };
        }
        plugin
    }

    fn create(bundle: &Path) -> Self {
        let module = Module::load(bundle);
        let class = module.class();
        let mut raw = std::ptr::null_mut();
        // SAFETY: the class id and interface id are 16 bytes each; `raw` is writable.
        let created = unsafe {
            module.factory.createInstance(
                class.cid.as_ptr(),
                <IComponent as vst3::Interface>::IID.as_ptr().cast(),
                &mut raw,
            )
        };
        assert_eq!(created, kResultOk, "createInstance");
        // SAFETY: on success `raw` is a new reference to an `IComponent`.
        let component = unsafe { ComPtr::from_raw(raw.cast::<IComponent>()) }.expect("a component");
        let app = ComWrapper::new(HostApp::default());
        let context = app.to_com_ptr::<FUnknown>().unwrap();
        // SAFETY: the component and the context are alive; this is the main thread.
        assert_eq!(unsafe { component.initialize(context.as_ptr()) }, kResultOk);
        let mut controller_cid: TUID = [0; 16];
        // SAFETY: as above; the out-pointer is writable.
        let separate = unsafe { component.getControllerClassId(&mut controller_cid) } == kResultOk;
        assert!(!separate, "an overdub plugin is its own controller");
        let controller = component.cast::<IEditController>().expect("the component is the edit controller");
        let handler = Handler::default();
        let restarts = Arc::clone(&handler.restarts);
        let edits = Arc::clone(&handler.edits);
        let handler = ComWrapper::new(handler).to_com_ptr::<IComponentHandler>().unwrap();
        // SAFETY: both objects are alive; the plugin keeps its own reference to the handler.
        assert_eq!(unsafe { controller.setComponentHandler(handler.as_ptr()) }, kResultOk);
        let processor = component.cast::<IAudioProcessor>().expect("an audio processor");
        Self { component, processor, controller, app, restarts, edits, active: false, _module: module }
    }

    /// (channel count, name) of every bus of `media` in direction `input`.
    pub fn buses(&self, media: u32, input: bool) -> Vec<(i32, String)> {
        let dir = if input { BusDirections_::kInput } else { BusDirections_::kOutput } as i32;
        // SAFETY: the component is alive; this is the main thread.
        let count = unsafe { self.component.getBusCount(media as i32, dir) };
        (0..count)
            .map(|index| {
                // SAFETY: `BusInfo` is plain data; the plugin fills it.
                let mut bus: BusInfo = unsafe { std::mem::zeroed() };
                // SAFETY: the component is alive and `bus` writable; this is the main thread.
                let found = unsafe { self.component.getBusInfo(media as i32, dir, index, &mut bus) };
                assert_eq!(found, kResultOk);
                (bus.channelCount, wide(&bus.name))
            })
            .collect()
    }

    /// Every parameter: (id, title, step count, default normalised value, flags).
    pub fn params(&self) -> Vec<(u32, String, i32, f64, i32)> {
        // SAFETY: the controller is alive; this is the main thread.
        let count = unsafe { self.controller.getParameterCount() };
        (0..count)
            .map(|index| {
                // SAFETY: `ParameterInfo` is plain data; the plugin fills it.
                let mut info: ParameterInfo = unsafe { std::mem::zeroed() };
                // SAFETY: as above.
                assert_eq!(unsafe { self.controller.getParameterInfo(index, &mut info) }, kResultOk);
                (info.id, wide(&info.title), info.stepCount, info.defaultNormalizedValue, info.flags)
            })
            .collect()
    }

    /// A parameter's normalised value, as the controller shows it.
    pub fn value(&self, id: u32) -> f64 {
        // SAFETY: the controller is alive; this is the main thread.
        unsafe { self.controller.getParamNormalized(id) }
    }

    /// A parameter's plain value.
    pub fn plain(&self, id: u32) -> f64 {
        // SAFETY: as above.
        unsafe { self.controller.normalizedParamToPlain(id, self.value(id)) }
    }

    /// The normalised value of `plain` for parameter `id`.
    pub fn normalized(&self, id: u32, plain: f64) -> f64 {
        // SAFETY: as above.
        unsafe { self.controller.plainParamToNormalized(id, plain) }
    }

    /// Sets a parameter on the controller, as a host does for a user's edit.
    pub fn set(&self, id: u32, normalized: f64) -> tresult {
        // SAFETY: as above.
        unsafe { self.controller.setParamNormalized(id, normalized) }
    }

    /// The plugin's text for a normalised value.
    pub fn text(&self, id: u32, normalized: f64) -> Option<String> {
        let mut out = [0u16; 128];
        // SAFETY: as above; `out` is a writable `String128`.
        (unsafe { self.controller.getParamStringByValue(id, normalized, &mut out) } == kResultOk)
            .then(|| wide(&out))
    }

    /// The plugin's normalised value for typed text.
    pub fn parse(&self, id: u32, typed: &str) -> Option<f64> {
        let mut units: Vec<u16> = typed.encode_utf16().chain([0]).collect();
        let mut value = 0.0;
        // SAFETY: as above; the text is NUL-terminated and the value writable.
        (unsafe { self.controller.getParamValueByString(id, units.as_mut_ptr(), &mut value) } == kResultOk)
            .then_some(value)
    }

    /// The component's state and the controller's, as a DAW saves a project.
    pub fn save(&self) -> (Vec<u8>, Vec<u8>) {
        let component = ComWrapper::new(MemoryStream::default());
        let controller = ComWrapper::new(MemoryStream::default());
        // SAFETY: the plugin and the streams are alive; this is the main thread.
        unsafe {
            assert_eq!(self.component.getState(stream(&component)), kResultOk);
            assert_eq!(self.controller.getState(stream(&controller)), kResultOk);
        }
        (component.bytes(), controller.bytes())
    }

    /// Restores a project as a DAW does: the component's state, the same bytes to the controller
    /// (`setComponentState`), then the controller's own. The first refusal is returned.
    pub fn restore(&self, component: &[u8], controller: &[u8]) -> tresult {
        let bytes = MemoryStream::holding(component);
        // SAFETY: the plugin and the streams are alive; this is the main thread.
        unsafe {
            let loaded = self.component.setState(stream(&bytes));
            if loaded != kResultOk {
                return loaded;
            }
            bytes.rewind();
            let synced = self.controller.setComponentState(stream(&bytes));
            if synced != kResultOk {
                return synced;
            }
            self.controller.setState(stream(&MemoryStream::holding(controller)))
        }
    }

    /// The latency the plugin reports.
    pub fn latency(&self) -> u32 {
        // SAFETY: the processor is alive.
        unsafe { self.processor.getLatencySamples() }
    }

    /// The tail the plugin reports.
    pub fn tail(&self) -> u32 {
        // SAFETY: as above.
        unsafe { self.processor.getTailSamples() }
    }

    /// Runs the host's run loop once (the plugin's main-thread timer).
    pub fn run_loop(&self) {
        self.app.run_timers();
    }

    /// The restart flags the plugin asked for since the last call.
    pub fn take_restarts(&self) -> Vec<i32> {
        std::mem::take(&mut *self.restarts.lock().unwrap())
    }

    /// Sets up, activates and starts processing, with `inputs` and `outputs` channels.
    pub fn start(&mut self, sample_rate: f64, max_block: i32, inputs: usize, outputs: usize) -> Running {
        let arrangement =
            |channels: usize| if channels == 1 { SpeakerArr::kMono } else { SpeakerArr::kStereo };
        let mut ins: Vec<u64> = (inputs > 0).then(|| arrangement(inputs)).into_iter().collect();
        let mut outs = vec![arrangement(outputs)];
        let mut setup = ProcessSetup {
            processMode: 0,
            symbolicSampleSize: 0,
            maxSamplesPerBlock: max_block,
            sampleRate: sample_rate,
        };
        // SAFETY: the plugin is alive; this is the main thread; the pointers are valid for the calls.
        unsafe {
            assert_eq!(
                self.processor.setBusArrangements(ins.as_mut_ptr(), ins.len() as i32, outs.as_mut_ptr(), 1),
                kResultOk
            );
            assert_eq!(self.processor.setupProcessing(&mut setup), kResultOk);
            assert_eq!(self.component.setActive(1), kResultOk);
            assert_eq!(self.processor.setProcessing(1), kResultOk);
        }
        self.active = true;
        Running {
            processor: self.processor.clone(),
            inputs: vec![vec![0.0; max_block as usize]; inputs],
            outputs: vec![vec![0.0; max_block as usize]; outputs],
        }
    }

    /// Stops processing and deactivates.
    pub fn stop(&mut self, running: Running) {
        drop(running);
        // SAFETY: the plugin is alive; this is the main thread.
        unsafe {
            assert_eq!(self.processor.setProcessing(0), kResultOk);
            assert_eq!(self.component.setActive(0), kResultOk);
        }
        self.active = false;
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        // SAFETY: the plugin is alive; this is the main thread.
        unsafe {
            if self.active {
                self.component.setActive(0);
            }
            self.component.terminate();
        }
    }
}

fn stream(wrapper: &ComWrapper<MemoryStream>) -> *mut IBStream {
    wrapper.as_com_ref::<IBStream>().unwrap().as_ptr()
}

/// The media types, as the bus queries take them.
pub const AUDIO: u32 = MediaTypes_::kAudio;
/// Note events.
pub const EVENTS: u32 = MediaTypes_::kEvent;
