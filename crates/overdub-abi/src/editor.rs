//! The plugin's editor as it crosses the boundary: the guarded [`EditorObject`] a logic library makes, the
//! [`EditorHost`] the shell hands it each frame, and the egui types that pass between them.
//!
//! The editor's egui context lives inside the library (its memory holds the library's own code), so what
//! crosses is plain data: egui's input for a frame goes in by reference, the frame's tessellated meshes and
//! texture changes come back by reference through [`EditorHost::paint`], and each side copies what it keeps.
//! Nothing allocated on one side is freed on the other. egui's version and these types' layouts are in the
//! canary, so a library built against another egui is refused before any of this runs.

use crate::display::Display;
use crate::object::Outcome;
use crate::params::ParamInfo;

pub use egui;

/// One frame's painted output, lent to the shell for the length of [`EditorHost::paint`].
#[repr(C)]
pub struct PaintedFrame<'a> {
    /// The frame's meshes, clipped, in paint order.
    pub primitives: &'a [egui::ClippedPrimitive],
    /// Textures to create, update or free before painting (the font atlas among them).
    pub textures: &'a egui::TexturesDelta,
    /// Physical pixels per egui point the meshes were tessellated for.
    pub pixels_per_point: f32,
    /// The mouse cursor the editor asks for.
    pub cursor: egui::CursorIcon,
    /// Seconds until egui wants another frame even without input (`f32::INFINITY`: none).
    pub repaint_after: f32,
}

/// What an editor may ask of the shell during a frame: the parameters' values, edits the shell reports to
/// the host as automation wrapped in begin/end gestures, the audio thread's display data, and painting.
/// Implemented by the shell; every method runs on the main thread.
pub trait EditorHost {
    /// The parameters, in the logic's order.
    fn params(&self) -> &[ParamInfo];
    /// The latest value of the parameter at `index`, whoever set it (host automation included).
    fn value(&self, index: usize) -> f64;
    /// The user started changing the parameter at `index` (a drag began).
    fn begin_edit(&mut self, index: usize);
    /// A new value for the parameter at `index`, inside a gesture.
    fn edit(&mut self, index: usize, value: f64);
    /// The user stopped changing the parameter at `index`.
    fn end_edit(&mut self, index: usize);
    /// Meters and scope the audio thread wrote.
    fn display(&self) -> &Display;
    /// Takes the frame's output: applies the texture changes and paints the meshes.
    fn paint(&mut self, frame: &PaintedFrame<'_>);
}

/// An editor instance behind a vtable, made by the library that holds its code; every method runs the
/// author's code under the library's own `catch_unwind` and returns a panic as a fault. Main thread only.
pub trait EditorObject {
    /// Runs one frame for `input` and hands its output to `host.paint`.
    fn frame(&mut self, input: &egui::RawInput, host: &mut dyn EditorHost) -> Outcome<()>;
    /// Drops the editor inside the library but hands out its own state (the author's struct, boxed) for a
    /// build whose [`EditorEntry::fingerprint`] is equal to take over with [`EditorEntry::adopt`].
    fn into_state(self: Box<Self>) -> Outcome<*mut ()>;
    /// Drops the editor inside the library, with the library's allocator and panic guard.
    fn destroy(self: Box<Self>) -> Outcome<()>;
}

/// How a logic's editor is made: the library's `overdub_editor` export returns it, a static plugin reads it
/// from the compiled-in logic.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EditorEntry {
    /// The window size the editor asks for, in points.
    pub size: [u32; 2],
    /// A new editor with fresh state.
    pub create: fn() -> Outcome<Box<dyn EditorObject>>,
    /// Fingerprint of the editor state's layout, or 0 when state must never be adopted.
    pub fingerprint: u64,
    /// A new editor around state an equal-fingerprint build's [`EditorObject::into_state`] handed out.
    ///
    /// # Safety
    /// `state` came from `into_state` of an editor whose entry had this entry's non-zero fingerprint, and
    /// nothing else owns it.
    pub adopt: unsafe fn(state: *mut ()) -> Outcome<Box<dyn EditorObject>>,
}
