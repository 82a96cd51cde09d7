//! The host's side of the VST3 API, as a test host implements it on the same bindings the plugin uses: the
//! application context (with a Linux run loop whose timers the test runs, and the frame an editor view sits
//! in), the component handler (restart requests and edits recorded), memory streams, parameter queues and
//! event lists.

use overdub_window::Gesture;
use std::ffi::c_void;
use std::sync::{Arc, Mutex};
use vst3::Steinberg::Linux::{
    IEventHandler, IRunLoop, IRunLoopTrait, ITimerHandler, ITimerHandlerTrait, TimerInterval,
};
use vst3::Steinberg::Vst::{
    Event, IComponentHandler, IComponentHandlerTrait, IEventList, IEventListTrait, IHostApplication,
    IHostApplicationTrait, IParamValueQueue, IParamValueQueueTrait, IParameterChanges,
    IParameterChangesTrait, ParamID, ParamValue, String128,
};
use vst3::Steinberg::{
    IBStream, IBStreamTrait, IPlugFrame, IPlugFrameTrait, IPlugView, IPlugViewTrait, TUID, ViewRect, int32,
    int64, kInvalidArgument, kNotImplemented, kResultFalse, kResultOk, tresult,
};
use vst3::{Class, ComPtr, ComRef, ComWrapper};

/// The host application: its name, the run loop a Linux plugin schedules main-thread work on, and the
/// frame of an editor view (whose run loop is the same, as in a host with one UI thread).
#[derive(Default)]
pub struct HostApp {
    timers: Mutex<Vec<ComPtr<ITimerHandler>>>,
    /// The sizes a view asked for through `resizeView`, in pixels.
    pub resizes: Mutex<Vec<[i32; 2]>>,
}

impl Class for HostApp {
    type Interfaces = (IHostApplication, IRunLoop, IPlugFrame);
}

impl HostApp {
    /// Runs every registered timer once, as the host's run loop would when their period came round.
    pub fn run_timers(&self) {
        let timers = self.timers.lock().unwrap().clone();
        for timer in timers {
            // SAFETY: the handler is the plugin's, kept alive by our reference, called on the main thread.
            unsafe { timer.onTimer() };
        }
    }

    /// Timers registered now.
    pub fn timer_count(&self) -> usize {
        self.timers.lock().unwrap().len()
    }
}

impl IHostApplicationTrait for HostApp {
    unsafe fn getName(&self, name: *mut String128) -> tresult {
        let text: Vec<u16> = "overdub test host".encode_utf16().chain([0]).collect();
        // SAFETY: the plugin passes a writable `String128`, longer than the name.
        unsafe { (&mut *name)[..text.len()].copy_from_slice(&text) };
        kResultOk
    }

    unsafe fn createInstance(&self, _cid: *mut TUID, _iid: *mut TUID, obj: *mut *mut c_void) -> tresult {
        // SAFETY: the plugin passes a writable out-pointer.
        unsafe { *obj = std::ptr::null_mut() };
        kNotImplemented
    }
}

impl IRunLoopTrait for HostApp {
    unsafe fn registerEventHandler(&self, _handler: *mut IEventHandler, _fd: i32) -> tresult {
        kNotImplemented
    }

    unsafe fn unregisterEventHandler(&self, _handler: *mut IEventHandler) -> tresult {
        kNotImplemented
    }

    unsafe fn registerTimer(&self, handler: *mut ITimerHandler, _period: TimerInterval) -> tresult {
        // SAFETY: the plugin passes a valid handler; keeping it takes a reference of our own.
        match unsafe { ComRef::from_raw(handler) } {
            Some(handler) => {
                self.timers.lock().unwrap().push(handler.to_com_ptr());
                kResultOk
            }
            None => kInvalidArgument,
        }
    }

    unsafe fn unregisterTimer(&self, handler: *mut ITimerHandler) -> tresult {
        self.timers.lock().unwrap().retain(|timer| timer.as_ptr() != handler);
        kResultOk
    }
}

impl IPlugFrameTrait for HostApp {
    unsafe fn resizeView(&self, view: *mut IPlugView, new_size: *mut ViewRect) -> tresult {
        // SAFETY: the plugin passes its view and a readable rect, valid for this call.
        let (Some(view), Some(size)) = (unsafe { ComRef::from_raw(view) }, unsafe { new_size.as_mut() })
        else {
            return kInvalidArgument;
        };
        self.resizes.lock().unwrap().push([size.right - size.left, size.bottom - size.top]);
        // SAFETY: as a host does once its window has the new size: the view is alive, on the UI thread.
        unsafe { view.onSize(size) }
    }
}

/// The component handler: what the plugin asked of the host.
#[derive(Default)]
pub struct Handler {
    pub restarts: Arc<Mutex<Vec<i32>>>,
    /// The editor's edits, as `beginEdit` / `performEdit` (normalised values) / `endEdit`.
    pub edits: Arc<Mutex<Vec<Gesture>>>,
}

impl Class for Handler {
    type Interfaces = (IComponentHandler,);
}

impl IComponentHandlerTrait for Handler {
    unsafe fn beginEdit(&self, id: ParamID) -> tresult {
        self.edits.lock().unwrap().push(Gesture::Begin(id));
        kResultOk
    }
    unsafe fn performEdit(&self, id: ParamID, value: ParamValue) -> tresult {
        self.edits.lock().unwrap().push(Gesture::Value(id, value));
        kResultOk
    }
    unsafe fn endEdit(&self, id: ParamID) -> tresult {
        self.edits.lock().unwrap().push(Gesture::End(id));
        kResultOk
    }
    unsafe fn restartComponent(&self, flags: int32) -> tresult {
        self.restarts.lock().unwrap().push(flags);
        kResultOk
    }
}

/// A stream in memory, as hosts hand plugins for their state.
#[derive(Default)]
pub struct MemoryStream {
    inner: Mutex<(Vec<u8>, usize)>,
}

impl Class for MemoryStream {
    type Interfaces = (IBStream,);
}

impl MemoryStream {
    /// A stream to read `bytes` from.
    pub fn holding(bytes: &[u8]) -> ComWrapper<Self> {
        ComWrapper::new(Self { inner: Mutex::new((bytes.to_vec(), 0)) })
    }

    /// What was written.
    pub fn bytes(&self) -> Vec<u8> {
        self.inner.lock().unwrap().0.clone()
    }

    /// Back to the start, as a host does before handing the same stream on.
    pub fn rewind(&self) {
        self.inner.lock().unwrap().1 = 0;
    }
}

impl IBStreamTrait for MemoryStream {
    unsafe fn read(&self, buffer: *mut c_void, count: int32, read: *mut int32) -> tresult {
        let mut inner = self.inner.lock().unwrap();
        let (bytes, position) = &mut *inner;
        let n = usize::try_from(count).unwrap_or(0).min(bytes.len() - *position);
        // SAFETY: the plugin passes `count` writable bytes.
        unsafe { std::ptr::copy_nonoverlapping(bytes[*position..].as_ptr(), buffer.cast(), n) };
        *position += n;
        if !read.is_null() {
            // SAFETY: a non-null out-pointer is writable.
            unsafe { *read = n as int32 };
        }
        kResultOk
    }

    unsafe fn write(&self, buffer: *mut c_void, count: int32, written: *mut int32) -> tresult {
        let mut inner = self.inner.lock().unwrap();
        let (bytes, position) = &mut *inner;
        let n = usize::try_from(count).unwrap_or(0);
        // SAFETY: the plugin passes `count` readable bytes.
        let data = unsafe { std::slice::from_raw_parts(buffer.cast::<u8>(), n) };
        bytes.truncate(*position);
        bytes.extend_from_slice(data);
        *position += n;
        if !written.is_null() {
            // SAFETY: a non-null out-pointer is writable.
            unsafe { *written = count };
        }
        kResultOk
    }

    unsafe fn seek(&self, pos: int64, mode: int32, result: *mut int64) -> tresult {
        let mut inner = self.inner.lock().unwrap();
        let (bytes, position) = &mut *inner;
        let base = match mode {
            0 => 0,
            1 => *position as i64,
            2 => bytes.len() as i64,
            _ => return kInvalidArgument,
        };
        *position = (base + pos).clamp(0, bytes.len() as i64) as usize;
        if !result.is_null() {
            // SAFETY: a non-null out-pointer is writable.
            unsafe { *result = *position as int64 };
        }
        kResultOk
    }

    unsafe fn tell(&self, pos: *mut int64) -> tresult {
        // SAFETY: the plugin passes a writable out-pointer.
        unsafe { *pos = self.inner.lock().unwrap().1 as int64 };
        kResultOk
    }
}

/// One parameter's points in a block.
pub struct Queue {
    id: ParamID,
    points: Vec<(i32, f64)>,
}

impl Class for Queue {
    type Interfaces = (IParamValueQueue,);
}

impl IParamValueQueueTrait for Queue {
    unsafe fn getParameterId(&self) -> ParamID {
        self.id
    }
    unsafe fn getPointCount(&self) -> int32 {
        self.points.len() as int32
    }
    unsafe fn getPoint(&self, index: int32, offset: *mut int32, value: *mut ParamValue) -> tresult {
        let Some(&(at, v)) = usize::try_from(index).ok().and_then(|i| self.points.get(i)) else {
            return kResultFalse;
        };
        // SAFETY: the plugin passes writable out-pointers.
        unsafe {
            *offset = at;
            *value = v;
        }
        kResultOk
    }
    unsafe fn addPoint(&self, _offset: int32, _value: ParamValue, _index: *mut int32) -> tresult {
        kResultFalse
    }
}

/// A block's parameter changes: `(id, sample offset, normalised value)`, grouped into a queue per id.
pub struct Changes {
    queues: Vec<ComWrapper<Queue>>,
}

impl Class for Changes {
    type Interfaces = (IParameterChanges,);
}

impl Changes {
    pub fn of(points: &[(u32, u32, f64)]) -> ComWrapper<Self> {
        let mut queues: Vec<Queue> = Vec::new();
        for &(id, offset, value) in points {
            match queues.iter_mut().find(|q| q.id == id) {
                Some(queue) => queue.points.push((offset as i32, value)),
                None => queues.push(Queue { id, points: vec![(offset as i32, value)] }),
            }
        }
        ComWrapper::new(Self { queues: queues.into_iter().map(ComWrapper::new).collect() })
    }
}

impl IParameterChangesTrait for Changes {
    unsafe fn getParameterCount(&self) -> int32 {
        self.queues.len() as int32
    }
    unsafe fn getParameterData(&self, index: int32) -> *mut IParamValueQueue {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.queues.get(i))
            .and_then(|queue| queue.as_com_ref::<IParamValueQueue>())
            .map_or(std::ptr::null_mut(), |queue| queue.as_ptr())
    }
    unsafe fn addParameterData(&self, _id: *const ParamID, _index: *mut int32) -> *mut IParamValueQueue {
        std::ptr::null_mut()
    }
}

/// A block's note events.
pub struct Events {
    events: Vec<Event>,
}

impl Class for Events {
    type Interfaces = (IEventList,);
}

impl Events {
    pub fn of(events: Vec<Event>) -> ComWrapper<Self> {
        ComWrapper::new(Self { events })
    }
}

impl IEventListTrait for Events {
    unsafe fn getEventCount(&self) -> int32 {
        self.events.len() as int32
    }
    unsafe fn getEvent(&self, index: int32, event: *mut Event) -> tresult {
        let Some(found) = usize::try_from(index).ok().and_then(|i| self.events.get(i)) else {
            return kResultFalse;
        };
        // SAFETY: the plugin passes a writable event.
        unsafe { *event = *found };
        kResultOk
    }
    unsafe fn addEvent(&self, _event: *mut Event) -> tresult {
        kResultFalse
    }
}
