//! The shell's side of an editor frame: what the editor reads (parameter values, display data) and where
//! its edits and paint go.

use crate::paint::Canvas;
use overdub_abi::{Display, EditorHost, PaintedFrame, ParamInfo};
use overdub_shell::SharedParams;

/// One step of a parameter gesture the editor made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gesture {
    /// The user started changing the parameter with this id.
    Begin(u32),
    /// The parameter with this id is now this value (already stored in the shell's parameters).
    Value(u32, f64),
    /// The user stopped changing the parameter with this id.
    End(u32),
}

/// Where the editor's parameter gestures go: the format wrapper turns them into the host's automation (CLAP:
/// queued for the audio thread's gesture-begin, value and gesture-end events; VST3: recorded, then sent as
/// `beginEdit` / `performEdit` / `endEdit` once the frame's lock is let go). Main thread only.
pub trait Gestures {
    /// The editor made this step.
    fn gesture(&mut self, gesture: Gesture);
}

/// The frame's gestures, recorded in order.
impl Gestures for Vec<Gesture> {
    fn gesture(&mut self, gesture: Gesture) {
        self.push(gesture);
    }
}

/// What the painted frame asked for besides its pixels.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Painted {
    pub(crate) repaint_after: Option<f32>,
}

/// One frame's [`EditorHost`]: borrows the shell's values and display, the gesture sink and the canvas.
pub(crate) struct FrameHost<'a> {
    pub(crate) params: &'a SharedParams,
    pub(crate) display: &'a Display,
    pub(crate) gestures: &'a mut dyn Gestures,
    /// Parameters inside a gesture the editor began and has not ended.
    pub(crate) open: &'a mut Vec<u32>,
    pub(crate) canvas: &'a mut Canvas,
    pub(crate) size: [u32; 2],
    pub(crate) painted: Option<Painted>,
}

impl FrameHost<'_> {
    fn id(&self, index: usize) -> Option<u32> {
        self.params.infos().get(index).map(|info| info.id)
    }
}

impl EditorHost for FrameHost<'_> {
    fn params(&self) -> &[ParamInfo] {
        self.params.infos()
    }

    fn value(&self, index: usize) -> f64 {
        if index < self.params.infos().len() { self.params.value(index) } else { 0.0 }
    }

    fn begin_edit(&mut self, index: usize) {
        let Some(id) = self.id(index) else { return };
        if !self.open.contains(&id) {
            self.open.push(id);
            self.gestures.gesture(Gesture::Begin(id));
        }
    }

    fn edit(&mut self, index: usize, value: f64) {
        let Some(id) = self.id(index) else { return };
        if let Some(stored) = self.params.edit(id, value) {
            self.gestures.gesture(Gesture::Value(id, stored));
        }
    }

    fn end_edit(&mut self, index: usize) {
        let Some(id) = self.id(index) else { return };
        if let Some(at) = self.open.iter().position(|&open| open == id) {
            self.open.swap_remove(at);
            self.gestures.gesture(Gesture::End(id));
        }
    }

    fn display(&self) -> &Display {
        self.display
    }

    fn paint(&mut self, frame: &PaintedFrame<'_>) {
        self.canvas.paint(frame, self.size);
        self.painted =
            Some(Painted { repaint_after: frame.repaint_after.is_finite().then_some(frame.repaint_after) });
    }
}
