//! The plugin's editor as a VST3 `IPlugView`: on Linux an X11 window embedded in the host's
//! (`kPlatformTypeX11EmbedWindowID`), drawn by overdub-window's session, which switches to each new build's
//! editor code on its next frame. Frames are driven by a timer on the host's `IRunLoop`, asked of the
//! `IPlugFrame` the host sets, as VST3 on Linux requires: no thread of the plugin's own. Every call here is
//! the host's UI thread; the view reads the shell's shared parameters and display and never touches the
//! processor.
//!
//! macOS (`NSView`) and Windows (`HWND`) views are not written: overdub-window opens X11 windows only, so
//! there `isPlatformTypeSupported` answers no and a host shows its generic parameter editor.

use crate::export::Export;
use crate::main_thread::MainThread;
use overdub_window::EditorSession;
use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::rc::Rc;
use std::sync::Arc;
use vst3::Steinberg::{
    FIDString, IPlugFrame, IPlugView, IPlugViewTrait, TBool, ViewRect, char16, int16, kInvalidArgument,
    kResultFalse, kResultOk, kResultTrue, tresult,
};
use vst3::{Class, ComPtr, ComRef, ComWrapper};

/// One editor view, between the host's `createView` and its last release.
pub(crate) struct EditorView<E: Export> {
    inner: Rc<ViewInner<E>>,
}

/// What the view and its run-loop timer share (the timer holds it weakly: the view owns it).
pub(crate) struct ViewInner<E: Export> {
    pub(crate) main: Arc<MainThread<E>>,
    /// This view's own interface pointer, for `IPlugFrame::resizeView`: the object that owns this value,
    /// not a reference of its own.
    pub(crate) me: Cell<*mut IPlugView>,
    pub(crate) state: RefCell<ViewState>,
}

/// The view's window and what it knows of the host. Borrowed for one call at a time, never across a call
/// into the host (which may call the view back, as `resizeView` does with `onSize`).
#[derive(Default)]
pub(crate) struct ViewState {
    pub(crate) session: Option<EditorSession>,
    pub(crate) frame: Option<ComPtr<IPlugFrame>>,
    #[cfg(target_os = "linux")]
    pub(crate) timer: Option<crate::run_loop::Timer>,
}

impl<E: Export> Class for EditorView<E> {
    type Interfaces = (IPlugView,);
}

impl<E: Export> EditorView<E> {
    /// A new view of the plugin behind `main`, as the host gets it from `createView`.
    pub(crate) fn create(main: Arc<MainThread<E>>) -> ComPtr<IPlugView> {
        let inner = Rc::new(ViewInner {
            main,
            me: Cell::new(std::ptr::null_mut()),
            state: RefCell::new(ViewState::default()),
        });
        let view = ComWrapper::new(Self { inner: Rc::clone(&inner) });
        let pointer = view.to_com_ptr::<IPlugView>().expect("the view implements IPlugView");
        inner.me.set(pointer.as_ptr());
        pointer
    }
}

/// Whether `platform` is one this view opens a window on.
fn supported(platform: FIDString) -> bool {
    if platform.is_null() {
        return false;
    }
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CStr;
        // SAFETY: a non-null platform type is a NUL-terminated string, and the SDK's constant is one.
        unsafe { CStr::from_ptr(platform) == CStr::from_ptr(vst3::Steinberg::kPlatformTypeX11EmbedWindowID) }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// A rect of `size` pixels at the origin.
pub(crate) fn rect(size: [u32; 2]) -> ViewRect {
    let side = |pixels: u32| i32::try_from(pixels).unwrap_or(i32::MAX);
    ViewRect { left: 0, top: 0, right: side(size[0]), bottom: side(size[1]) }
}

impl<E: Export> ViewInner<E> {
    /// The view's size in pixels: the window's, or the editor's request before there is a window.
    fn size(&self) -> [u32; 2] {
        match &self.state.borrow().session {
            Some(session) => session.size(),
            None => self.main.editor_points(),
        }
    }

    /// Opens the editor's window inside the host's X11 window `window`, starts its frames on the run loop
    /// of the frame the host set, and draws the first one.
    #[cfg(target_os = "linux")]
    fn attach(self: &Rc<Self>, window: u32) -> tresult {
        let Some(run_loop) = self
            .state
            .borrow()
            .frame
            .as_ref()
            .and_then(|frame| frame.cast::<vst3::Steinberg::Linux::IRunLoop>())
        else {
            self.main.log("overdub: the host gave the editor no run loop (IRunLoop on its IPlugFrame)");
            return kResultFalse;
        };
        let points = self.main.editor_points();
        let opened = EditorSession::open(&overdub_window::Parent::Embedded(window), points, 1.0)
            .and_then(|mut session| session.show(true).map(|()| session));
        let session = match opened {
            Ok(session) => session,
            Err(error) => {
                self.main.log(&format!("overdub: cannot open the editor: {error}"));
                return kResultFalse;
            }
        };
        let me = Rc::downgrade(self);
        let timer = crate::run_loop::Timer::start(run_loop, crate::frames::FRAME_MS, move || {
            if let Some(view) = me.upgrade() {
                view.frame();
            }
        });
        {
            let mut state = self.state.borrow_mut();
            state.session = Some(session);
            state.timer = timer;
        }
        self.frame();
        kResultOk
    }
}

impl<E: Export> IPlugViewTrait for EditorView<E> {
    unsafe fn isPlatformTypeSupported(&self, platform: FIDString) -> tresult {
        if supported(platform) { kResultTrue } else { kResultFalse }
    }

    unsafe fn attached(&self, parent: *mut c_void, platform: FIDString) -> tresult {
        if !supported(platform) || parent.is_null() {
            return kResultFalse;
        }
        if self.inner.state.borrow().session.is_some() {
            return kResultFalse;
        }
        #[cfg(target_os = "linux")]
        {
            // An X11 parent is the window's id (an XID, 32 bits on the wire) in the pointer.
            let Ok(window) = u32::try_from(parent as usize) else { return kInvalidArgument };
            self.inner.attach(window)
        }
        #[cfg(not(target_os = "linux"))]
        {
            kResultFalse
        }
    }

    unsafe fn removed(&self) -> tresult {
        // Taken out first: unregistering the timer and ending a drag are calls into the host, made with no
        // borrow held.
        let mut session = self.inner.state.borrow_mut().session.take();
        let mut ended = Vec::new();
        if let Some(session) = &mut session {
            session.end_gestures(&mut ended);
        }
        self.inner.report(&ended);
        #[cfg(target_os = "linux")]
        {
            let timer = self.inner.state.borrow_mut().timer.take();
            drop(timer);
        }
        drop(session);
        kResultOk
    }

    unsafe fn onWheel(&self, _distance: f32) -> tresult {
        // The window gets its own input from the X server.
        kResultFalse
    }

    unsafe fn onKeyDown(&self, _key: char16, _key_code: int16, _modifiers: int16) -> tresult {
        kResultFalse
    }

    unsafe fn onKeyUp(&self, _key: char16, _key_code: int16, _modifiers: int16) -> tresult {
        kResultFalse
    }

    unsafe fn getSize(&self, size: *mut ViewRect) -> tresult {
        // SAFETY: the host passes a writable rect.
        let Some(size) = (unsafe { size.as_mut() }) else { return kInvalidArgument };
        *size = rect(self.inner.size());
        kResultOk
    }

    unsafe fn onSize(&self, new_size: *mut ViewRect) -> tresult {
        // SAFETY: the host passes a readable rect.
        let Some(new_size) = (unsafe { new_size.as_ref() }) else { return kInvalidArgument };
        let side = |from: i32, to: i32| u32::try_from(to.saturating_sub(from)).unwrap_or(0).max(1);
        let pixels = [side(new_size.left, new_size.right), side(new_size.top, new_size.bottom)];
        let mut state = self.inner.state.borrow_mut();
        match &mut state.session {
            Some(session) => match session.resize(pixels) {
                Ok(()) => kResultOk,
                Err(error) => {
                    drop(state);
                    self.inner.main.log(&format!("overdub: cannot resize the editor: {error}"));
                    kResultFalse
                }
            },
            None => kResultOk,
        }
    }

    unsafe fn onFocus(&self, _state: TBool) -> tresult {
        kResultOk
    }

    unsafe fn setFrame(&self, frame: *mut IPlugFrame) -> tresult {
        // SAFETY: the host passes a null or valid frame; keeping it takes a reference of our own.
        let frame = unsafe { ComRef::from_raw(frame) }.map(|frame| frame.to_com_ptr());
        self.inner.state.borrow_mut().frame = frame;
        kResultOk
    }

    unsafe fn canResize(&self) -> tresult {
        // The editor's code sets its size; a new build may ask for another (see `frames`).
        kResultFalse
    }

    unsafe fn checkSizeConstraint(&self, rect_in: *mut ViewRect) -> tresult {
        // SAFETY: the host passes a writable rect.
        let Some(asked) = (unsafe { rect_in.as_mut() }) else { return kInvalidArgument };
        let [width, height] = self.inner.size();
        let fixed = rect([width, height]);
        asked.right = asked.left.saturating_add(fixed.right);
        asked.bottom = asked.top.saturating_add(fixed.bottom);
        kResultTrue
    }
}
