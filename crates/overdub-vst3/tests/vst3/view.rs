//! The editor view as a Linux host opens one: created by the controller, given its frame (the host app,
//! whose run loop then drives the view's timer), sized, attached to an X11 window of the host's, and
//! removed again.

use crate::host::Plugin;
use vst3::ComPtr;
use vst3::Steinberg::Vst::{IEditControllerTrait, ViewType};
use vst3::Steinberg::{
    IPlugFrame, IPlugView, IPlugViewTrait, ViewRect, kPlatformTypeX11EmbedWindowID, kResultOk, kResultTrue,
};

impl Plugin {
    /// The controller's editor view (`None`: the plugin has none to offer).
    pub fn create_view(&self) -> Option<ComPtr<IPlugView>> {
        // SAFETY: the controller is alive; this is the UI thread; a returned view is a new reference.
        unsafe { ComPtr::from_raw(self.controller.createView(ViewType::kEditor)) }
    }

    /// Opens the editor's view in the host's window `parent`, as a Linux host does; returns the view and
    /// the size (pixels) it asked for.
    pub fn open_view(&self, parent: u32) -> (ComPtr<IPlugView>, [u32; 2]) {
        let view = self.create_view().expect("the plugin has an editor view");
        let frame = self.app.to_com_ptr::<IPlugFrame>().unwrap();
        // SAFETY: UI-thread calls on live objects; the rect is writable; an X11 parent is the window's id
        // in the pointer, and the window outlives the view (each test removes it first).
        unsafe {
            assert_eq!(view.isPlatformTypeSupported(kPlatformTypeX11EmbedWindowID), kResultTrue);
            assert_eq!(view.setFrame(frame.as_ptr()), kResultOk);
            let mut rect = ViewRect { left: 0, top: 0, right: 0, bottom: 0 };
            assert_eq!(view.getSize(&mut rect), kResultOk);
            let parent = parent as usize as *mut std::ffi::c_void;
            assert_eq!(view.attached(parent, kPlatformTypeX11EmbedWindowID), kResultOk);
            (view, [(rect.right - rect.left) as u32, (rect.bottom - rect.top) as u32])
        }
    }
}

/// Removes the view from its window and lets go of its frame, as a host closing the editor does.
pub fn close_view(view: ComPtr<IPlugView>) {
    // SAFETY: UI-thread calls on a live view.
    unsafe {
        assert_eq!(view.removed(), kResultOk);
        assert_eq!(view.setFrame(std::ptr::null_mut()), kResultOk);
    }
}
