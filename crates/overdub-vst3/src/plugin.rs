//! The VST3 plugin type every export uses: one class that is component, audio processor and edit controller
//! at once (a single-component plugin, which VST3 hosts query for `IEditController` when a component names no
//! controller class). The shell already is a control and a processor sharing only lock-free values; a
//! separate controller would need its own copy of the parameters kept in step through messages.
//!
//! Threads, as VST3 assigns them: everything but `process` (and the queries a host may make from anywhere:
//! latency, tail) is the host's main thread, which owns the shell's control ([`MainThread`]); `process` is the
//! audio thread's, which owns the processor ([`AudioThread`]).

use crate::enums::{bits, signed};
use crate::export::Export;
use crate::main_thread::MainThread;
use crate::notices::Notices;
use crate::processor::AudioThread;
use crate::stream;
use crate::strings::write_utf16;
use overdub_shell::AtomicTail;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use vst3::Steinberg::Vst::BusInfo_::BusFlags_::kDefaultActive;
use vst3::Steinberg::Vst::BusTypes_::kMain;
use vst3::Steinberg::Vst::MediaTypes_::{kAudio, kEvent};
use vst3::Steinberg::Vst::{
    BusDirection, BusDirections_, BusInfo, IAudioProcessor, IComponent, IComponentTrait, IEditController,
    IProcessContextRequirements, IoMode, MediaType, RoutingInfo,
};
use vst3::Steinberg::{
    FUnknown, IBStream, IPluginBaseTrait, TBool, TUID, kInvalidArgument, kNotImplemented, kResultFalse,
    kResultOk, tresult,
};
use vst3::{Class, ComPtr, ComRef};

/// What every thread of one plugin instance shares: lock-free only.
pub(crate) struct Shared {
    /// Flags for the main thread, and where reports go.
    pub(crate) notices: Arc<Notices>,
    /// The logic's tail as the last block reported it.
    pub(crate) tail: AtomicTail,
    /// Allocations the plugin made on the audio thread while processing (its own code: the shell, the
    /// wrapper; a hot logic library counts and reports its own).
    pub(crate) allocations: AtomicU64,
}

/// One plugin instance.
pub struct Vst3Plugin<E: Export> {
    pub(crate) main: Arc<MainThread<E>>,
    /// The processor while active. The audio thread only tries this lock; the main thread takes it only when
    /// VST3 promises no `process` call runs (activation and deactivation).
    pub(crate) audio: Mutex<Option<AudioThread<E>>>,
    pub(crate) shared: Arc<Shared>,
}

impl<E: Export> Class for Vst3Plugin<E> {
    type Interfaces = (IComponent, IAudioProcessor, IEditController, IProcessContextRequirements);
}

impl<E: Export> Vst3Plugin<E> {
    /// A new instance with its shell; `factory_context` is what the host gave the factory, if anything (one
    /// place a Linux host offers its run loop).
    pub(crate) fn new(factory_context: Option<ComPtr<FUnknown>>) -> Result<Self, crate::Vst3Error> {
        let notices = Arc::new(Notices::from_env());
        let shell = E::create_shell(&notices)?;
        let shared = Arc::new(Shared { notices, tail: AtomicTail::new(), allocations: AtomicU64::new(0) });
        let main = MainThread::new(shell, Arc::clone(&shared));
        if let Some(context) = factory_context {
            main.offer_run_loop(context.as_com_ref());
        }
        Ok(Self { main, audio: Mutex::new(None), shared })
    }

    /// Loads a project's state into the shell. Refused bytes change nothing.
    fn load_state(&self, state: *mut IBStream) -> tresult {
        // SAFETY: the host passes a null or valid stream for the duration of this call.
        let Some(state) = (unsafe { ComRef::from_raw(state) }) else { return kInvalidArgument };
        let Some(bytes) = stream::read_to_end(state) else { return kResultFalse };
        if self.main.load_state(&bytes) { kResultOk } else { kResultFalse }
    }
}

impl<E: Export> IPluginBaseTrait for Vst3Plugin<E> {
    unsafe fn initialize(&self, context: *mut FUnknown) -> tresult {
        // SAFETY: the host passes a null or valid context for the duration of this call.
        if let Some(context) = unsafe { ComRef::from_raw(context) } {
            self.main.offer_run_loop(context);
        }
        self.main.initialized();
        kResultOk
    }

    unsafe fn terminate(&self) -> tresult {
        self.main.terminated();
        kResultOk
    }
}

impl<E: Export> IComponentTrait for Vst3Plugin<E> {
    unsafe fn getControllerClassId(&self, _class_id: *mut TUID) -> tresult {
        // The component is its own controller.
        kNotImplemented
    }

    unsafe fn setIoMode(&self, _mode: IoMode) -> tresult {
        kResultOk
    }

    unsafe fn getBusCount(&self, media: MediaType, dir: BusDirection) -> i32 {
        let description = E::DESCRIPTION;
        let is_input = dir == signed(BusDirections_::kInput);
        if media == signed(kAudio) {
            i32::from(description.audio.channels(is_input) > 0)
        } else if media == signed(kEvent) {
            i32::from(is_input && description.note_input)
        } else {
            0
        }
    }

    unsafe fn getBusInfo(
        &self,
        media: MediaType,
        dir: BusDirection,
        index: i32,
        bus: *mut BusInfo,
    ) -> tresult {
        // SAFETY: the host passes a writable bus info.
        let Some(bus) = (unsafe { bus.as_mut() }) else { return kInvalidArgument };
        // SAFETY: the count is answered from the description alone.
        if index != 0 || index >= unsafe { self.getBusCount(media, dir) } {
            return kInvalidArgument;
        }
        let is_input = dir == signed(BusDirections_::kInput);
        let (channels, name) = if media == signed(kAudio) {
            (E::DESCRIPTION.audio.channels(is_input), if is_input { "main in" } else { "main out" })
        } else {
            (16, "notes")
        };
        bus.mediaType = media;
        bus.direction = dir;
        bus.channelCount = i32::try_from(channels).unwrap_or(i32::MAX);
        write_utf16(name, &mut bus.name);
        bus.busType = signed(kMain);
        bus.flags = bits(kDefaultActive);
        kResultOk
    }

    unsafe fn getRoutingInfo(&self, _in_info: *mut RoutingInfo, _out_info: *mut RoutingInfo) -> tresult {
        kNotImplemented
    }

    unsafe fn activateBus(
        &self,
        _media: MediaType,
        _dir: BusDirection,
        _index: i32,
        _state: TBool,
    ) -> tresult {
        kResultOk
    }

    unsafe fn setActive(&self, state: TBool) -> tresult {
        // VST3 calls this only while no `process` runs, so the lock is free but for a misbehaving host.
        let mut audio = self.audio.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if state != 0 {
            if audio.is_some() {
                return kResultOk;
            }
            match self.main.activate() {
                Ok(processor) => {
                    *audio = Some(AudioThread::new(processor));
                    kResultOk
                }
                Err(error) => {
                    self.shared.notices.log(&format!("overdub: cannot activate: {error}"));
                    kResultFalse
                }
            }
        } else {
            if let Some(audio) = audio.take() {
                self.main.deactivate(audio.processor);
            }
            kResultOk
        }
    }

    unsafe fn setState(&self, state: *mut IBStream) -> tresult {
        self.load_state(state)
    }

    unsafe fn getState(&self, state: *mut IBStream) -> tresult {
        // SAFETY: the host passes a null or valid stream for the duration of this call.
        let Some(state) = (unsafe { ComRef::from_raw(state) }) else { return kInvalidArgument };
        if stream::write_all(state, &self.main.save_state()) { kResultOk } else { kResultFalse }
    }
}

impl<E: Export> Vst3Plugin<E> {
    /// `IEditController::setComponentState`: the state the host just gave the component (or another copy of
    /// it). The controller's values are the component's, so loading it again only confirms them; a
    /// controller that ignored it would show, and hand back to the processor, the defaults.
    pub(crate) fn set_component_state(&self, state: *mut IBStream) -> tresult {
        self.load_state(state)
    }
}
