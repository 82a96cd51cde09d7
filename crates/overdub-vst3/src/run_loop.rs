//! A timer on the host's Linux run loop: the one way VST3 gives a plugin to run code on the main (UI) thread,
//! which is where the plugin's tick must run (`restartComponent` is a main-thread call) and where the open
//! editor draws its frames.

use vst3::Steinberg::Linux::{IRunLoop, IRunLoopTrait, ITimerHandler, ITimerHandlerTrait};
use vst3::Steinberg::kResultOk;
use vst3::{Class, ComPtr, ComWrapper};

/// The tick, as a COM object the run loop calls.
struct TickHandler {
    tick: Box<dyn Fn()>,
}

impl Class for TickHandler {
    type Interfaces = (ITimerHandler,);
}

impl ITimerHandlerTrait for TickHandler {
    unsafe fn onTimer(&self) {
        (self.tick)();
    }
}

/// A registered timer; unregistered when dropped.
pub(crate) struct Timer {
    run_loop: ComPtr<IRunLoop>,
    handler: ComPtr<ITimerHandler>,
}

impl Timer {
    /// Registers `tick` with `run_loop`, called every `period_ms` on the run loop's thread (the UI thread,
    /// so `tick` may hold what only that thread touches); `None` when the host refuses.
    pub(crate) fn start(
        run_loop: ComPtr<IRunLoop>,
        period_ms: u64,
        tick: impl Fn() + 'static,
    ) -> Option<Self> {
        let handler = ComWrapper::new(TickHandler { tick: Box::new(tick) })
            .to_com_ptr::<ITimerHandler>()
            .expect("the tick handler implements ITimerHandler");
        // SAFETY: both objects are alive (held here); the run loop keeps its own reference to the handler
        // until it is unregistered in `drop`.
        let registered = unsafe { run_loop.registerTimer(handler.as_ptr(), period_ms) };
        (registered == kResultOk).then_some(Self { run_loop, handler })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        // SAFETY: the handler was registered with this run loop, both still alive.
        unsafe { self.run_loop.unregisterTimer(self.handler.as_ptr()) };
    }
}
