//! The editor in a CLAP host under X: the hot plugin's open window draws each new build's editor code
//! without being reopened, keeps the editor's state across a code-only edit, shows a panic in place of the
//! editor until the next good build, and a drag on its slider reaches the host as gesture-wrapped
//! automation; the static plugin's editor likewise, minus the reloads. Pixels are read back from the X
//! server, as a user would see them.

use crate::build::static_plugin;
use crate::host::{Automation, Plugin, Running};
use crate::hot::{block, load_hot};
use clack_host::prelude::*;
use overdub::param_id;
use overdub_testkit::x11::{HostWindow, x_server};
use overdub_testkit::{fixture, install_like_linker, scratch_dir, test_deadline, workspace_root};
use overdub_window::capture::{Capture, capture};
use std::time::{Duration, Instant};

const LEVEL: u32 = param_id("level");
const GREEN: [u8; 3] = [0, 200, 0];
const MAGENTA: [u8; 3] = [220, 0, 220];
const BLUE: [u8; 3] = [0, 80, 255];
const PRESS_YELLOW: [u8; 3] = [250, 200, 0];
/// The panel fixture's block at the top: 240 × 40 points.
const BLOCK_PIXELS: usize = 240 * 40;
/// One press square: 10 × 10 points.
const SQUARE_PIXELS: usize = 100;
/// A host's timer period for the editor, and its audio block clock here.
const TICK: Duration = Duration::from_millis(4);

/// A host running a plugin with its editor open in a window of the host's.
struct Session {
    plugin: Plugin,
    running: Option<Running>,
    host_window: HostWindow,
    editor: u32,
}

impl Session {
    fn open(mut plugin: Plugin) -> Self {
        let host_window = HostWindow::open(600, 400);
        let size = plugin.open_editor(host_window.id());
        let children = host_window.children();
        assert_eq!(children.len(), 1, "the editor's window is embedded in the host's");
        let mut session = Self {
            running: Some(plugin.start(48_000.0, 64, 2, 2)),
            plugin,
            host_window,
            editor: children[0],
        };
        let shown = session
            .wait_for("the first frame", |shot| shot.width == size.width && shot.differing(&blank(shot)) > 0);
        assert_eq!((shown.width, shown.height), (size.width, size.height));
        session
    }

    /// One host period: main-thread callbacks, a block of audio, the editor's timer.
    fn tick(&mut self) {
        self.plugin.poll_callback();
        if let Some(running) = &mut self.running {
            block(running, &EventBuffer::new());
        }
        self.plugin.fire_timers();
        std::thread::sleep(TICK);
    }

    fn shot(&self) -> Capture {
        capture(self.editor).expect("read the editor's pixels")
    }

    /// Runs the host until the editor's window shows what `seen` wants, within the test's deadline.
    fn wait_for(&mut self, what: &str, seen: impl Fn(&Capture) -> bool) -> Capture {
        let deadline = test_deadline();
        loop {
            self.tick();
            let shot = self.shot();
            if seen(&shot) {
                return shot;
            }
            deadline.check(|| format!("the editor never showed {what}; log: {:?}", self.plugin.log()));
        }
    }

    fn ticks(&mut self, count: usize) {
        for _ in 0..count {
            self.tick();
        }
    }

    /// A click at `(x, y)` of the editor: moved there, pressed, released, a few frames apart.
    fn click(&mut self, x: i16, y: i16) {
        self.host_window.motion(self.editor, x, y, false);
        self.ticks(3);
        self.host_window.button(self.editor, x, y, true);
        self.ticks(3);
        self.host_window.button(self.editor, x, y, false);
        self.ticks(3);
    }

    /// A drag from `from` to `to` along y, in steps, frames apart.
    fn drag(&mut self, y: i16, from: i16, to: i16) {
        self.host_window.motion(self.editor, from, y, false);
        self.ticks(3);
        self.host_window.button(self.editor, from, y, true);
        self.ticks(3);
        for step in 1..=8 {
            let x = from + (to - from) * step / 8;
            self.host_window.motion(self.editor, x, y, true);
            self.ticks(2);
        }
        self.host_window.button(self.editor, to, y, false);
        self.ticks(5);
    }

    fn still_the_same_window(&self) {
        assert_eq!(self.host_window.children(), [self.editor], "the window was never reopened");
    }

    fn close(mut self) -> Vec<Automation> {
        self.plugin.close_editor();
        let running = self.running.take().expect("running");
        let automation = running.automation.clone();
        self.plugin.stop(running);
        let allocated: Vec<_> =
            self.plugin.log().into_iter().filter(|line| line.contains("allocated")).collect();
        assert!(allocated.is_empty(), "the audio thread allocated: {allocated:?}");
        automation
    }
}

/// A capture of the same size in the window's background colour (nothing drawn).
fn blank(shot: &Capture) -> Capture {
    Capture { width: shot.width, height: shot.height, rgb: vec![[0, 0, 0]; shot.rgb.len()] }
}

fn shows_block(colour: [u8; 3]) -> impl Fn(&Capture) -> bool {
    move |shot| shot.count_near(colour, 6) >= BLOCK_PIXELS * 9 / 10
}

fn presses(shot: &Capture) -> usize {
    (shot.count_near(PRESS_YELLOW, 6) + SQUARE_PIXELS / 2) / SQUARE_PIXELS
}

/// Where screenshots of this run go.
fn shots_dir() -> std::path::PathBuf {
    let dir = workspace_root().join("target").join("editor-shots");
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    dir
}

/// Asserts the automation holds a gesture on `id`: a begin, then values, then an end, and no value outside it.
fn assert_one_gesture(automation: &[Automation], id: u32) -> Vec<f64> {
    let begin = automation.iter().position(|a| *a == Automation::Begin(id)).expect("a gesture began");
    let end = automation.iter().rposition(|a| *a == Automation::End(id)).expect("the gesture ended");
    assert!(begin < end, "{automation:?}");
    let values: Vec<f64> = automation[begin..end]
        .iter()
        .filter_map(|a| match a {
            Automation::Value(v, value) if *v == id => Some(*value),
            _ => None,
        })
        .collect();
    assert!(!values.is_empty(), "values inside the gesture: {automation:?}");
    let outside =
        automation[..begin].iter().chain(&automation[end..]).any(|a| matches!(a, Automation::Value(..)));
    assert!(!outside, "every value is inside a begin/end pair: {automation:?}");
    values
}

#[test]
fn the_open_editor_of_the_hot_plugin_draws_each_new_build_without_reopening() {
    let Some(_) = x_server() else { return };
    let dir = scratch_dir();
    let logic = dir.path().join(overdub_testkit::dylib_file_name("panel"));
    install_like_linker(&fixture("panel"), &logic);
    let mut session = Session::open(load_hot(&logic));
    let before = session.wait_for("the first build's green block", shows_block(GREEN));
    before.write_png(&shots_dir().join("editor-before.png")).expect("write the screenshot");

    let written = Instant::now();
    install_like_linker(&fixture("panel_v2"), &logic);
    let after = session.wait_for("the second build's magenta block", shows_block(MAGENTA));
    let on_screen = written.elapsed();
    after.write_png(&shots_dir().join("editor-after.png")).expect("write the screenshot");
    eprintln!("library written -> new editor frame on screen: {:.1} ms", on_screen.as_secs_f64() * 1e3);
    assert_eq!(after.count_near(GREEN, 6), 0, "nothing of the old code's frame is left");
    assert_eq!((after.width, after.height), (before.width, before.height), "the window kept its size");
    session.still_the_same_window();
    session.close();
}

#[test]
fn the_editor_keeps_its_state_across_a_code_only_edit_and_starts_afresh_when_its_layout_changed() {
    let Some(_) = x_server() else { return };
    let dir = scratch_dir();
    let logic = dir.path().join(overdub_testkit::dylib_file_name("panel"));
    install_like_linker(&fixture("panel"), &logic);
    let mut session = Session::open(load_hot(&logic));
    session.wait_for("the green block", shows_block(GREEN));
    for _ in 0..3 {
        session.click(40, 70);
    }
    session.wait_for("three presses", |shot| presses(shot) == 3);

    install_like_linker(&fixture("panel_v2"), &logic);
    let shot = session.wait_for("the new build", shows_block(MAGENTA));
    assert_eq!(presses(&shot), 3, "the new code draws the old editor's state");
    crate::hot::wait_for_log(&mut session.plugin, "the new editor kept its state");

    install_like_linker(&fixture("panel_layout"), &logic);
    let shot = session.wait_for("the build with another state layout", shows_block(BLUE));
    assert_eq!(presses(&shot), 0, "state of another layout is not reinterpreted: it starts afresh");
    crate::hot::wait_for_log(&mut session.plugin, "the new editor starts afresh: its layout changed");
    session.still_the_same_window();
    session.close();
}

#[test]
fn a_panicking_editor_shows_its_error_in_the_window_and_the_next_good_build_revives_it() {
    let Some(_) = x_server() else { return };
    let dir = scratch_dir();
    let logic = dir.path().join(overdub_testkit::dylib_file_name("panel"));
    install_like_linker(&fixture("panel"), &logic);
    let mut session = Session::open(load_hot(&logic));
    session.wait_for("the green block", shows_block(GREEN));

    install_like_linker(&fixture("panel_panic"), &logic);
    // The error view's title is drawn in a light red; the broken editor drew nothing.
    let shot = session.wait_for("the error in place of the editor", |shot| {
        shot.count_near(GREEN, 6) == 0 && shot.count_near([0xff, 0x80, 0x70], 40) > 50
    });
    shot.write_png(&shots_dir().join("editor-panicked.png")).expect("write the screenshot");
    crate::hot::wait_for_log(&mut session.plugin, "the editor is broken on purpose");
    // The audio goes on: the panic was the editor's, on the main thread.
    session.ticks(5);

    install_like_linker(&fixture("panel_v2"), &logic);
    session.wait_for("the revived editor", shows_block(MAGENTA));
    session.still_the_same_window();
    session.close();
}

/// Drags the panel's `level` slider from its left end to its right end in `session`; returns the values
/// the host was sent.
fn drag_level(session: &mut Session) -> Vec<f64> {
    // The slider spans x 8..232 at y 120..140 (points = pixels at scale 1).
    session.drag(130, 12, 228);
    assert!(session.plugin.take_flush_request(), "the plugin asked the host for a flush to send its edits");
    let automation = session.running.as_ref().expect("running").automation.clone();
    assert_one_gesture(&automation, LEVEL)
}

#[test]
fn a_drag_in_the_hot_editor_reaches_the_host_as_gesture_wrapped_automation() {
    let Some(_) = x_server() else { return };
    let dir = scratch_dir();
    let logic = dir.path().join(overdub_testkit::dylib_file_name("panel"));
    install_like_linker(&fixture("panel"), &logic);
    let mut session = Session::open(load_hot(&logic));
    session.wait_for("the green block", shows_block(GREEN));
    let values = drag_level(&mut session);
    let last = *values.last().expect("a value");
    assert!(last > 0.9, "dragged to the right end: {values:?}");
    assert_eq!(session.plugin.value(LEVEL), Some(last), "the host reads the dragged value back");
    session.close();
}

#[test]
fn host_automation_shows_in_the_editor() {
    let Some(_) = x_server() else { return };
    let dir = scratch_dir();
    let logic = dir.path().join(overdub_testkit::dylib_file_name("panel"));
    install_like_linker(&fixture("panel"), &logic);
    let mut session = Session::open(load_hot(&logic));
    let before = session.wait_for("the green block", shows_block(GREEN));
    let mut events = EventBuffer::new();
    events.push(&crate::host::param_event(0, LEVEL, 1.0));
    block(session.running.as_mut().expect("running"), &events);
    let after = session.wait_for("the slider moved", |shot| shot.differing(&before) > 0);
    assert!(after.count_near(GREEN, 6) >= BLOCK_PIXELS * 9 / 10, "the same editor, its slider redrawn");
    session.close();
}

#[test]
fn the_static_gain_plugin_opens_its_editor_and_a_drag_reaches_the_host_as_gesture_wrapped_automation() {
    let Some(_) = x_server() else { return };
    let mut session = Session::open(Plugin::load(&static_plugin("gain")));
    session.shot().write_png(&shots_dir().join("gain-editor.png")).expect("write the screenshot");
    let gain = param_id("gain");
    // The gain editor's slider spans x 16..304 at y 60..80.
    session.drag(70, 20, 300);
    let automation = session.running.as_ref().expect("running").automation.clone();
    let values = assert_one_gesture(&automation, gain);
    assert!(*values.last().unwrap() > 6.0, "dragged towards +12 dB: {values:?}");
    session.close();
}
