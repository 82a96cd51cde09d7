//! What every format's editor tests share: the panel fixture's look and what a capture of it shows, an
//! editor window embedded in a [`HostWindow`] with input sent to it frames apart while the format's host
//! runs, and the gesture a drag must produce. Each format's test host supplies one period of its loop
//! ([`EditorHost`]); waits share the test's one deadline.

use crate::wait::test_deadline;
use crate::workspace_root;
use crate::x11::HostWindow;
use overdub_window::Gesture;
use overdub_window::capture::{Capture, capture};
use std::path::PathBuf;

/// The panel fixture's first build's block (`fixtures/panel`).
pub const GREEN: [u8; 3] = [0, 200, 0];
/// The block of `panel_v2`, a code-only edit of `panel`.
pub const MAGENTA: [u8; 3] = [220, 0, 220];
/// The block of `panel_layout`, whose editor state has another layout.
pub const BLUE: [u8; 3] = [0, 80, 255];
/// The squares the panel draws, one per press of its button.
pub const PRESS_YELLOW: [u8; 3] = [250, 200, 0];
/// The panel's block at the top: 240 × 40 points.
pub const BLOCK_PIXELS: usize = 240 * 40;
/// One press square: 10 × 10 points.
pub const SQUARE_PIXELS: usize = 100;

/// A capture of the same size in the window's background colour (nothing drawn).
pub fn blank(shot: &Capture) -> Capture {
    Capture { width: shot.width, height: shot.height, rgb: vec![[0, 0, 0]; shot.rgb.len()] }
}

/// Whether a capture shows (nine tenths of) the panel's block in `colour`.
pub fn shows_block(colour: [u8; 3]) -> impl Fn(&Capture) -> bool {
    move |shot| shot.count_near(colour, 6) >= BLOCK_PIXELS * 9 / 10
}

/// Whether a capture shows the error view in place of the panel: its title in a light red, and nothing
/// of the panel's first (green) build.
pub fn shows_the_error_view(shot: &Capture) -> bool {
    shot.count_near(GREEN, 6) == 0 && shot.count_near([0xff, 0x80, 0x70], 40) > 50
}

/// How many press squares the panel shows.
pub fn presses(shot: &Capture) -> usize {
    (shot.count_near(PRESS_YELLOW, 6) + SQUARE_PIXELS / 2) / SQUARE_PIXELS
}

/// Where screenshots of this run go (`target/editor-shots`).
pub fn shots_dir() -> PathBuf {
    let dir = workspace_root().join("target").join("editor-shots");
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    dir
}

/// Asserts `automation` holds a gesture on `id`: a begin, then values, then an end, and no value outside
/// it. Returns the values.
pub fn assert_one_gesture(automation: &[Gesture], id: u32) -> Vec<f64> {
    let begin = automation.iter().position(|a| *a == Gesture::Begin(id)).expect("a gesture began");
    let end = automation.iter().rposition(|a| *a == Gesture::End(id)).expect("the gesture ended");
    assert!(begin < end, "{automation:?}");
    let values: Vec<f64> = automation[begin..end]
        .iter()
        .filter_map(|a| match a {
            Gesture::Value(v, value) if *v == id => Some(*value),
            _ => None,
        })
        .collect();
    assert!(!values.is_empty(), "values inside the gesture: {automation:?}");
    let outside =
        automation[..begin].iter().chain(&automation[end..]).any(|a| matches!(a, Gesture::Value(..)));
    assert!(!outside, "every value is inside a begin/end pair: {automation:?}");
    values
}

/// Asserts `automation` holds a gesture on `id` begun and not ended yet (a drag still held).
pub fn assert_gesture_held(automation: &[Gesture], id: u32) {
    assert_eq!(automation.first(), Some(&Gesture::Begin(id)), "{automation:?}");
    assert!(!automation.contains(&Gesture::End(id)), "the button is still held: {automation:?}");
}

/// Asserts `automation` holds one gesture on `id` and its end comes last: the window closing ended it.
pub fn assert_gesture_ended_last(automation: &[Gesture], id: u32) {
    assert_one_gesture(automation, id);
    assert_eq!(automation.last(), Some(&Gesture::End(id)), "closing the window ended the gesture");
}

/// A format's test host with an editor open.
pub trait EditorHost {
    /// One period of the host's loop: its callbacks and timers, a block of audio.
    fn period(&mut self);
    /// What the plugin reported so far, for failure messages.
    fn log(&self) -> String;
}

/// An editor's window embedded in a host's window.
pub struct OpenEditor {
    /// The host's window.
    pub host_window: HostWindow,
    /// The editor's window inside it.
    pub editor: u32,
}

impl OpenEditor {
    /// The editor the plugin embedded in `host_window`: its one child window.
    pub fn embedded_in(host_window: HostWindow) -> Self {
        let children = host_window.children();
        assert_eq!(children.len(), 1, "the editor's window is embedded in the host's");
        Self { editor: children[0], host_window }
    }

    /// What the editor's window shows now.
    pub fn shot(&self) -> Capture {
        capture(self.editor).expect("read the editor's pixels")
    }

    /// Runs `host` until the editor's window shows what `seen` wants, within the test's deadline.
    pub fn wait_for(
        &self,
        host: &mut impl EditorHost,
        what: &str,
        seen: impl Fn(&Capture) -> bool,
    ) -> Capture {
        let deadline = test_deadline();
        loop {
            host.period();
            let shot = self.shot();
            if seen(&shot) {
                return shot;
            }
            deadline.check(|| format!("the editor never showed {what}; log: {}", host.log()));
        }
    }

    /// The first frame: something drawn, at the size the plugin said.
    pub fn wait_for_first_frame(&self, host: &mut impl EditorHost, size: [u32; 2]) -> Capture {
        let shot = self.wait_for(host, "the first frame", |shot| {
            [shot.width, shot.height] == size && shot.differing(&blank(shot)) > 0
        });
        assert_eq!([shot.width, shot.height], size);
        shot
    }

    /// A click at `(x, y)` of the editor: moved there, pressed, released, a few host periods apart.
    pub fn click(&self, host: &mut impl EditorHost, x: i16, y: i16) {
        self.host_window.motion(self.editor, x, y, false);
        periods(host, 3);
        self.host_window.button(self.editor, x, y, true);
        periods(host, 3);
        self.host_window.button(self.editor, x, y, false);
        periods(host, 3);
    }

    /// A drag along `y` from `from` to `to`, in steps, host periods apart.
    pub fn drag(&self, host: &mut impl EditorHost, y: i16, from: i16, to: i16) {
        self.press_and_move(host, y, from, to);
        self.host_window.button(self.editor, to, y, false);
        periods(host, 5);
    }

    /// The first part of a drag: pressed at `from` and moved to `to` along `y`, still held.
    pub fn press_and_move(&self, host: &mut impl EditorHost, y: i16, from: i16, to: i16) {
        self.host_window.motion(self.editor, from, y, false);
        periods(host, 3);
        self.host_window.button(self.editor, from, y, true);
        periods(host, 3);
        for step in 1..=8 {
            let x = from + (to - from) * step / 8;
            self.host_window.motion(self.editor, x, y, true);
            periods(host, 2);
        }
    }

    /// Asserts the editor's window is the one first embedded: never closed and reopened.
    pub fn still_the_same_window(&self) {
        assert_eq!(self.host_window.children(), [self.editor], "the window was never reopened");
    }
}

/// Runs `count` periods of `host`.
pub fn periods(host: &mut impl EditorHost, count: usize) {
    for _ in 0..count {
        host.period();
    }
}
