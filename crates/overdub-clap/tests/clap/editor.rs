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
use overdub_testkit::editor::{
    BLOCK_PIXELS, BLUE, EditorHost, GREEN, MAGENTA, OpenEditor, assert_gesture_ended_last,
    assert_gesture_held, assert_one_gesture, periods, presses, shots_dir, shows_block, shows_the_error_view,
};
use overdub_testkit::x11::{HostWindow, x_server};
use overdub_testkit::{TempDir, fixture, install_like_linker, scratch_dir};
use overdub_window::capture::Capture;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const LEVEL: u32 = param_id("level");
/// A host's timer period for the editor, and its audio block clock here.
const TICK: Duration = Duration::from_millis(4);

/// The CLAP host's side of an open editor: the plugin and its audio.
struct Host {
    plugin: Plugin,
    running: Option<Running>,
}

impl EditorHost for Host {
    /// Main-thread callbacks, a block of audio, the editor's timer.
    fn period(&mut self) {
        self.plugin.poll_callback();
        if let Some(running) = &mut self.running {
            block(running, &EventBuffer::new());
        }
        self.plugin.fire_timers();
        std::thread::sleep(TICK);
    }

    fn log(&self) -> String {
        format!("{:?}", self.plugin.log())
    }
}

/// A host running a plugin with its editor open in a window of the host's.
struct Session {
    host: Host,
    editor: OpenEditor,
}

impl Session {
    fn open(mut plugin: Plugin) -> Self {
        let host_window = HostWindow::open(600, 400);
        let size = plugin.open_editor(host_window.id());
        let editor = OpenEditor::embedded_in(host_window);
        let running = Some(plugin.start(48_000.0, 64, 2, 2));
        let mut session = Self { host: Host { plugin, running }, editor };
        session.editor.wait_for_first_frame(&mut session.host, [size.width, size.height]);
        session
    }

    /// The hot plugin following a library first built from the `panel` fixture; that library, and the
    /// directory holding it.
    fn hot_panel() -> (Self, PathBuf, TempDir) {
        let dir = scratch_dir();
        let logic = dir.path().join(overdub_testkit::dylib_file_name("panel"));
        install_like_linker(&fixture("panel"), &logic);
        (Self::open(load_hot(&logic)), logic, dir)
    }

    fn shot(&self) -> Capture {
        self.editor.shot()
    }

    fn wait_for(&mut self, what: &str, seen: impl Fn(&Capture) -> bool) -> Capture {
        self.editor.wait_for(&mut self.host, what, seen)
    }

    fn ticks(&mut self, count: usize) {
        periods(&mut self.host, count);
    }

    fn click(&mut self, x: i16, y: i16) {
        self.editor.click(&mut self.host, x, y);
    }

    fn drag(&mut self, y: i16, from: i16, to: i16) {
        self.editor.drag(&mut self.host, y, from, to);
    }

    fn still_the_same_window(&self) {
        self.editor.still_the_same_window();
    }

    fn close(mut self) -> Vec<Automation> {
        self.host.plugin.close_editor();
        // The block after: what closing the window queued (a drag's end) reaches the host.
        self.host.period();
        let plugin = &mut self.host.plugin;
        let running = self.host.running.take().expect("running");
        let automation = running.automation.clone();
        plugin.stop(running);
        let allocated: Vec<_> = plugin.log().into_iter().filter(|line| line.contains("allocated")).collect();
        assert!(allocated.is_empty(), "the audio thread allocated: {allocated:?}");
        automation
    }
}

#[test]
fn the_open_editor_of_the_hot_plugin_draws_each_new_build_without_reopening() {
    let Some(_) = x_server() else { return };
    let (mut session, logic, _dir) = Session::hot_panel();
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
    assert!(session.host.plugin.resizes().is_empty(), "the same size: no resize asked");
    session.still_the_same_window();
    session.close();
}

#[test]
fn a_new_build_asking_for_another_size_resizes_the_open_window_through_the_host() {
    let Some(_) = x_server() else { return };
    let (mut session, logic, _dir) = Session::hot_panel();
    session.wait_for("the first build's green block", shows_block(GREEN));
    install_like_linker(&fixture("panel_wide"), &logic);
    let wide = session.wait_for("the wide build, at its size", |shot| {
        (shot.width, shot.height) == (320, 200) && shows_block(MAGENTA)(shot)
    });
    assert_eq!(wide.count_near(GREEN, 6), 0, "the new code draws the whole window");
    assert_eq!(
        session.host.plugin.resizes(),
        [[320, 200]],
        "the editor asked the host once, for the new size"
    );
    session.still_the_same_window();
    session.close();
}

#[test]
fn the_editor_keeps_its_state_across_a_code_only_edit_and_starts_afresh_when_its_layout_changed() {
    let Some(_) = x_server() else { return };
    let (mut session, logic, _dir) = Session::hot_panel();
    session.wait_for("the green block", shows_block(GREEN));
    for _ in 0..3 {
        session.click(40, 70);
    }
    session.wait_for("three presses", |shot| presses(shot) == 3);

    install_like_linker(&fixture("panel_v2"), &logic);
    let shot = session.wait_for("the new build", shows_block(MAGENTA));
    assert_eq!(presses(&shot), 3, "the new code draws the old editor's state");
    crate::hot::wait_for_log(&mut session.host.plugin, "the new editor kept its state");

    install_like_linker(&fixture("panel_layout"), &logic);
    let shot = session.wait_for("the build with another state layout", shows_block(BLUE));
    assert_eq!(presses(&shot), 0, "state of another layout is not reinterpreted: it starts afresh");
    crate::hot::wait_for_log(&mut session.host.plugin, "the new editor starts afresh: its layout changed");
    session.still_the_same_window();
    session.close();
}

#[test]
fn a_panicking_editor_shows_its_error_in_the_window_and_the_next_good_build_revives_it() {
    let Some(_) = x_server() else { return };
    let (mut session, logic, _dir) = Session::hot_panel();
    session.wait_for("the green block", shows_block(GREEN));

    install_like_linker(&fixture("panel_panic"), &logic);
    let shot = session.wait_for("the error in place of the editor", shows_the_error_view);
    shot.write_png(&shots_dir().join("editor-panicked.png")).expect("write the screenshot");
    crate::hot::wait_for_log(&mut session.host.plugin, "the editor is broken on purpose");
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
    assert!(
        session.host.plugin.take_flush_request(),
        "the plugin asked the host for a flush to send its edits"
    );
    let automation = session.host.running.as_ref().expect("running").automation.clone();
    assert_one_gesture(&automation, LEVEL)
}

#[test]
fn a_drag_in_the_hot_editor_reaches_the_host_as_gesture_wrapped_automation() {
    let Some(_) = x_server() else { return };
    let (mut session, _logic, _dir) = Session::hot_panel();
    session.wait_for("the green block", shows_block(GREEN));
    let values = drag_level(&mut session);
    let last = *values.last().expect("a value");
    assert!(last > 0.9, "dragged to the right end: {values:?}");
    assert_eq!(session.host.plugin.value(LEVEL), Some(last), "the host reads the dragged value back");
    session.close();
}

#[test]
fn a_window_closed_mid_drag_ends_the_gesture_it_began() {
    let Some(_) = x_server() else { return };
    let (mut session, _logic, _dir) = Session::hot_panel();
    session.wait_for("the green block", shows_block(GREEN));
    session.editor.press_and_move(&mut session.host, 130, 12, 120);
    assert_gesture_held(&session.host.running.as_ref().expect("running").automation, LEVEL);
    assert_gesture_ended_last(&session.close(), LEVEL);
}

#[test]
fn host_automation_shows_in_the_editor() {
    let Some(_) = x_server() else { return };
    let (mut session, _logic, _dir) = Session::hot_panel();
    let before = session.wait_for("the green block", shows_block(GREEN));
    let mut events = EventBuffer::new();
    events.push(&crate::host::param_event(0, LEVEL, 1.0));
    block(session.host.running.as_mut().expect("running"), &events);
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
    let automation = session.host.running.as_ref().expect("running").automation.clone();
    let values = assert_one_gesture(&automation, gain);
    assert!(*values.last().unwrap() > 6.0, "dragged towards +12 dB: {values:?}");
    session.close();
}
