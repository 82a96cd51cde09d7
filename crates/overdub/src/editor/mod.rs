//! The plugin's editor, written in the logic crate and reloaded with it: a function of the editor's own
//! state, the parameters and the audio thread's display data, drawn with egui.
//!
//! ```
//! use overdub::prelude::*;
//!
//! #[derive(StateLayout, Default)] // the editor's own state: kept on a code-only rebuild, reset (and said so) otherwise
//! pub struct GainEditor {
//!     pub show_meter: bool,
//! }
//!
//! impl Editor for GainEditor {
//!     const SIZE: [u32; 2] = [320, 160];
//!
//!     fn ui(&mut self, ui: &mut egui::Ui, cx: &mut EditorContext<'_>) {
//!         ui.heading("Gain");
//!         cx.slider(ui, "gain"); // a drag reaches the host as automation inside a begin/end gesture
//!         ui.checkbox(&mut self.show_meter, "meter");
//!         if self.show_meter {
//!             ui.add(egui::ProgressBar::new(cx.meter(0)));
//!         }
//!     }
//! }
//! ```
//!
//! `export_logic!(Gain, editor = GainEditor)` makes it the logic's editor. The window it opens in belongs to
//! the shell (the host's, embedded, or the dev host's own); on every rebuild the open window draws the new
//! code on its next frame.

mod context;
mod guarded;

pub use context::EditorContext;
pub use guarded::{GuardedEditor, editor_entry};

use crate::layout::StateLayout;

/// A plugin's editor. The implementing type is the editor's own state (selected tab, text being typed,
/// what is folded): derive [`StateLayout`] and [`Default`] for it. A rebuild that leaves its layout unchanged
/// keeps it as it is; one that changed it starts from `Default`.
///
/// Runs on the host's main thread only, never touching the audio thread's objects: parameter values come
/// from the shell, edits go back through it, and the audio thread's meters and scope arrive through a
/// lock-free channel ([`EditorContext::meter`], [`EditorContext::scope`]).
pub trait Editor: StateLayout + Default + 'static {
    /// The window size the editor opens at, in points.
    const SIZE: [u32; 2] = [400, 300];

    /// Draws one frame. A panic here is caught inside the library: the window shows the error in place of
    /// the editor, and the next good build revives it.
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut EditorContext<'_>);
}

/// egui, the version the boundary is built with (re-exported so a logic crate names no version of its own).
pub use overdub_abi::egui;
