//! One frame of the open editor view, on the host's run-loop timer: the session draws under the control's
//! lock (it reads the shell's shared parameters, display and newest build), then, with no lock or borrow of
//! ours held, the editor's gestures go to the host's `IComponentHandler` as `beginEdit` / `performEdit` /
//! `endEdit` (normalised values: VST3's automation), and a build asking for another size gets it through
//! `IPlugFrame::resizeView`. The value itself is already in the shell's parameters, which the processor
//! takes at its next block.

use crate::export::Export;
use crate::main_thread::MainThread;
use crate::view::{ViewInner, rect};
use overdub_shell::{SharedParams, Shell};
use overdub_window::{Gesture, PluginView};
use vst3::Steinberg::Vst::IComponentHandlerTrait;
use vst3::Steinberg::{IPlugFrameTrait, kResultOk};

/// How often the editor looks at its window, its parameters and new builds.
#[cfg(target_os = "linux")]
pub(crate) const FRAME_MS: u64 = 16;

impl<E: Export> MainThread<E> {
    /// The editor's size in points: the running build's request, or the default before there is one.
    pub(crate) fn editor_points(&self) -> [u32; 2] {
        self.with_shell(|shell| overdub_window::editor_points(shell.editor().as_ref()))
    }

    /// Whether a view is offered: a static logic's editor, or always for a hot plugin (a build with an
    /// editor may come; until then the window says there is none, as the CLAP wrapper's does).
    pub(crate) fn has_editor(&self) -> bool {
        E::HOT || self.with_shell(|shell| shell.editor().is_some())
    }
}

/// The gestures with each value in VST3's normalised terms.
fn normalized(gestures: &mut [Gesture], params: &SharedParams) {
    for gesture in gestures {
        if let Gesture::Value(id, value) = gesture
            && let Some(info) = params.info(*id)
        {
            *value = info.normalize(*value);
        }
    }
}

impl<E: Export> ViewInner<E> {
    /// One frame, if the window is open.
    pub(crate) fn frame(&self) {
        let mut gestures = Vec::new();
        let tick = {
            let mut state = self.state.borrow_mut();
            let Some(session) = state.session.as_mut() else { return };
            self.main.with_shell(|shell| {
                let view =
                    PluginView { params: shell.params(), display: shell.display(), editor: shell.editor() };
                let tick = session.tick(view, &mut gestures);
                normalized(&mut gestures, shell.params());
                tick
            })
        };
        self.report(&gestures);
        match tick {
            Ok(tick) => {
                for note in tick.notes {
                    self.main.log(&format!("overdub: {note}"));
                }
                if let Some(points) = tick.asks_size {
                    self.follow_size(points);
                }
            }
            Err(error) => {
                self.main.log(&format!("overdub: the editor window failed: {error}"));
                self.state.borrow_mut().session = None;
            }
        }
    }

    /// The editor's gestures to the host, in order.
    pub(crate) fn report(&self, gestures: &[Gesture]) {
        if gestures.is_empty() {
            return;
        }
        let Some(handler) = self.main.handler() else { return };
        for gesture in gestures {
            // SAFETY: the handler is the host's, kept alive by this reference; VST3 wants these calls on
            // the UI thread, where the run loop's timer runs, and no lock or borrow of ours is held.
            unsafe {
                match *gesture {
                    Gesture::Begin(id) => handler.beginEdit(id),
                    Gesture::Value(id, value) => handler.performEdit(id, value),
                    Gesture::End(id) => handler.endEdit(id),
                };
            }
        }
    }

    /// Asks the host for the size (points) a new build's editor asks for, and resizes the window when granted.
    fn follow_size(&self, points: [u32; 2]) {
        let frame = self.state.borrow().frame.clone();
        let mut wanted = rect(points);
        // SAFETY: the frame is the host's, kept alive by this reference; `me` is this view's own interface,
        // alive while the view (which owns `self`) is; no borrow of ours is held, as the host calls `onSize`
        // back from inside.
        let granted =
            frame.is_some_and(|frame| unsafe { frame.resizeView(self.me.get(), &mut wanted) } == kResultOk);
        let mut state = self.state.borrow_mut();
        if let Some(session) = &mut state.session
            && granted
            && session.size() != points
            && let Err(error) = session.resize(points)
        {
            drop(state);
            self.main.log(&format!("overdub: cannot resize the editor: {error}"));
        }
    }
}
