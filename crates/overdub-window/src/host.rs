//! The shell's side of an editor frame: what the editor reads (parameter values, display data) and where
//! its edits and paint go.

use crate::paint::Canvas;
use overdub_abi::{Display, EditorHost, PaintedFrame, ParamInfo};
use overdub_shell::SharedParams;

/// Where the editor's parameter gestures go: the format wrapper turns them into the host's automation
/// (CLAP: gesture-begin, value and gesture-end events). The value is already stored in the shell's
/// parameters when `value` is called. Main thread only.
pub trait Gestures {
    /// The user started changing the parameter with `id`.
    fn begin(&mut self, id: u32);
    /// The parameter with `id` is now `value`.
    fn value(&mut self, id: u32, value: f64);
    /// The user stopped changing the parameter with `id`.
    fn end(&mut self, id: u32);
}

/// One step of a gesture, as data: for a wrapper that hands the editor's edits on after the frame (through
/// a queue to the audio thread for CLAP, to the host's component handler once the frame's lock is let go for
/// VST3) rather than while the editor draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gesture {
    /// A gesture began on the parameter with this id.
    Begin(u32),
    /// A new value inside a gesture.
    Value(u32, f64),
    /// A gesture ended.
    End(u32),
}

/// The gestures of a frame, recorded in order.
impl Gestures for Vec<Gesture> {
    fn begin(&mut self, id: u32) {
        self.push(Gesture::Begin(id));
    }
    fn value(&mut self, id: u32, value: f64) {
        self.push(Gesture::Value(id, value));
    }
    fn end(&mut self, id: u32) {
        self.push(Gesture::End(id));
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
            self.gestures.begin(id);
        }
    }

    fn edit(&mut self, index: usize, value: f64) {
        let Some(id) = self.id(index) else { return };
        if let Some(stored) = self.params.edit(id, value) {
            self.gestures.value(id, stored);
        }
    }

    fn end_edit(&mut self, index: usize) {
        let Some(id) = self.id(index) else { return };
        if let Some(at) = self.open.iter().position(|&open| open == id) {
            self.open.swap_remove(at);
            self.gestures.end(id);
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
