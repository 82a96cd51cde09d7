//! The author's editor wrapped so every call is guarded: the object a logic library (or a static plugin)
//! hands the shell, owning the editor's own state and the egui context that draws it.

use crate::editor::{Editor, EditorContext};
use crate::guard::{guard, install_panic_hook};
use crate::layout;
use overdub_abi::{EditorEntry, EditorHost, EditorObject, Outcome, PaintedFrame, egui};

/// An editor and its egui context. The context (egui's memory, fonts, the font atlas) is made fresh by each
/// build, since it holds that build's code; the author's state is what a reload may carry over.
pub struct GuardedEditor<E: Editor> {
    state: Box<E>,
    context: egui::Context,
}

impl<E: Editor> GuardedEditor<E> {
    fn around(state: Box<E>) -> Self {
        install_panic_hook();
        Self { state, context: egui::Context::default() }
    }

    fn create() -> Outcome<Box<dyn EditorObject>> {
        guard(|| Box::new(Self::around(Box::default())) as Box<dyn EditorObject>)
    }

    /// # Safety
    /// As for [`EditorEntry::adopt`].
    unsafe fn adopt(state: *mut ()) -> Outcome<Box<dyn EditorObject>> {
        // SAFETY: the caller guarantees `state` is the exclusively owned box of an `E` of identical layout (an
        // equal fingerprint), allocated by the system allocator as every adoptable build's is.
        let state = unsafe { Box::from_raw(state.cast::<E>()) };
        guard(move || Box::new(Self::around(state)) as Box<dyn EditorObject>)
    }
}

impl<E: Editor> EditorObject for GuardedEditor<E> {
    fn frame(&mut self, input: &egui::RawInput, host: &mut dyn EditorHost) -> Outcome<()> {
        let Self { state, context } = self;
        guard(|| {
            let output = context.run_ui(input.clone(), |ui| {
                egui::CentralPanel::default().show_inside(ui, |ui| {
                    state.ui(ui, &mut EditorContext { host: &mut *host });
                });
            });
            let repaint_after = output
                .viewport_output
                .get(&egui::ViewportId::ROOT)
                .map_or(f32::INFINITY, |viewport| viewport.repaint_delay.as_secs_f32());
            let primitives = context.tessellate(output.shapes, output.pixels_per_point);
            host.paint(&PaintedFrame {
                primitives: &primitives,
                textures: &output.textures_delta,
                pixels_per_point: output.pixels_per_point,
                cursor: output.platform_output.cursor_icon,
                repaint_after,
            });
        })
    }

    fn into_state(self: Box<Self>) -> Outcome<*mut ()> {
        guard(move || {
            let Self { state, context } = *self;
            drop(context);
            Box::into_raw(state).cast::<()>()
        })
    }

    fn destroy(self: Box<Self>) -> Outcome<()> {
        guard(move || drop(self))
    }
}

/// How editors of type `E` are made; `adoptable` is false when the logic's allocator is its own (state
/// then never moves between builds).
pub fn editor_entry<E: Editor>(adoptable: bool) -> EditorEntry {
    EditorEntry {
        size: E::SIZE,
        create: GuardedEditor::<E>::create,
        fingerprint: if adoptable { layout::fingerprint::<E>() } else { 0 },
        adopt: GuardedEditor::<E>::adopt,
    }
}
