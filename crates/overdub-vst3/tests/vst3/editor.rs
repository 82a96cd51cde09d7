//! The editor in a VST3 host under X: the controller's `IPlugView` embedded in a window of the host's, its
//! frames driven by the host's run loop (the `IRunLoop` of the `IPlugFrame`). The hot plugin's open view
//! draws each new build's editor code without being reattached, asks its frame for a new build's size, and
//! shows a panic in place of the editor until the next good build; a drag in it reaches the host's component
//! handler as `beginEdit` / `performEdit` / `endEdit` and the processor as the new value; host automation
//! shows in it; the audio path allocates nothing meanwhile. The static gain plugin opens its view too; the
//! delay, whose logic has no editor, offers none. Pixels are read back from the X server.

use crate::build::{hot_plugin, static_plugin};
use crate::host::Plugin;
use crate::running::Running;
use crate::view::close_view;
use overdub::param_id;
use overdub_testkit::editor::{
    BLOCK_PIXELS, EditorHost, GREEN, MAGENTA, OpenEditor, assert_gesture_ended_last, assert_gesture_held,
    assert_one_gesture, shots_dir, shows_block, shows_the_error_view,
};
use overdub_testkit::x11::{HostWindow, x_server};
use overdub_testkit::{dylib_file_name, fixture, install_like_linker, scratch_dir, test_deadline};
use overdub_vst3::LOG_ENV;
use overdub_window::Gesture;
use overdub_window::capture::Capture;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use vst3::ComPtr;
use vst3::Steinberg::IPlugView;

const LEVEL: u32 = param_id("level");
/// The host's run-loop period, and its audio block clock here.
const PERIOD: Duration = Duration::from_millis(4);

/// The VST3 host's side of an open editor: the plugin, its audio, and where it reports.
struct Host {
    plugin: Plugin,
    running: Option<Running>,
    log: PathBuf,
    /// The last sample of the last block (inputs at 1.0).
    last: f32,
}

impl EditorHost for Host {
    /// The run loop's timers (the plugin's tick and the view's frame), then a block of audio.
    fn period(&mut self) {
        self.plugin.run_loop();
        self.block(&[]);
        std::thread::sleep(PERIOD);
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Host {
    /// One block of 64 samples of 1.0 with parameter changes `(id, offset, normalised)`.
    fn block(&mut self, params: &[(u32, u32, f64)]) {
        if let Some(running) = &mut self.running {
            running.inputs.iter_mut().for_each(|c| c.fill(1.0));
            running.process(64, &[], params);
            self.last = running.outputs[0][63];
        }
    }
}

/// A host running a plugin with its editor's view attached to a window of the host's.
struct Session {
    host: Host,
    editor: OpenEditor,
    view: ComPtr<IPlugView>,
    _dir: tempfile::TempDir,
}

impl Session {
    fn open(load: impl FnOnce(&[(&str, &std::path::Path)]) -> Plugin, dir: tempfile::TempDir) -> Self {
        let log = dir.path().join("plugin.log");
        let mut plugin = load(&[(LOG_ENV, &log)]);
        let host_window = HostWindow::open(600, 400);
        let (view, size) = plugin.open_view(host_window.id());
        let editor = OpenEditor::embedded_in(host_window);
        let running = Some(plugin.start(48_000.0, 64, 2, 2));
        let mut session = Self { host: Host { plugin, running, log, last: 0.0 }, editor, view, _dir: dir };
        session.editor.wait_for_first_frame(&mut session.host, size);
        session
    }

    /// The hot gain plugin following a library first built from the `panel` fixture, and that library.
    fn hot_panel() -> (Self, PathBuf) {
        let dir = scratch_dir();
        let logic = dir.path().join(dylib_file_name("panel"));
        install_like_linker(&fixture("panel"), &logic);
        let session = Self::open(
            |env| {
                let mut env = env.to_vec();
                env.push(("OVERDUB_LOGIC", logic.as_path()));
                Plugin::load_with(&hot_plugin(), &env)
            },
            dir,
        );
        (session, logic)
    }

    fn wait_for(&mut self, what: &str, seen: impl Fn(&Capture) -> bool) -> Capture {
        self.editor.wait_for(&mut self.host, what, seen)
    }

    /// Removes the view (its timer goes with it), stops the audio, and checks the audio path allocated
    /// nothing all along. Returns the edits the host was sent.
    fn close(mut self) -> Vec<Gesture> {
        let timers = self.host.plugin.app.timer_count();
        close_view(self.view);
        assert_eq!(self.host.plugin.app.timer_count(), timers - 1, "the view's timer is unregistered");
        let running = self.host.running.take().expect("running");
        self.host.plugin.stop(running);
        self.host.plugin.run_loop();
        let log = self.host.log();
        assert!(!log.contains("allocated"), "the audio thread allocated: {log}");
        self.host.plugin.edits.lock().unwrap().clone()
    }
}

#[test]
fn the_open_view_of_the_hot_plugin_draws_each_new_build_without_being_reattached() {
    let Some(_) = x_server() else { return };
    let (mut session, logic) = Session::hot_panel();
    let before = session.wait_for("the first build's green block", shows_block(GREEN));
    before.write_png(&shots_dir().join("vst3-editor-before.png")).expect("write the screenshot");
    let written = Instant::now();
    install_like_linker(&fixture("panel_v2"), &logic);
    let after = session.wait_for("the second build's magenta block", shows_block(MAGENTA));
    let on_screen = written.elapsed();
    eprintln!("library written -> new editor frame in the view: {:.1} ms", on_screen.as_secs_f64() * 1e3);
    after.write_png(&shots_dir().join("vst3-editor-after.png")).expect("write the screenshot");
    assert_eq!(after.count_near(GREEN, 6), 0, "nothing of the old code's frame is left");
    assert_eq!((after.width, after.height), (before.width, before.height), "the view kept its size");
    assert!(session.host.plugin.app.resizes.lock().unwrap().is_empty(), "the same size: no resize asked");
    session.editor.still_the_same_window();
    session.close();
}

#[test]
fn a_new_build_asking_for_another_size_resizes_the_open_view_through_its_frame() {
    let Some(_) = x_server() else { return };
    let (mut session, logic) = Session::hot_panel();
    session.wait_for("the first build's green block", shows_block(GREEN));
    install_like_linker(&fixture("panel_wide"), &logic);
    let wide = session.wait_for("the wide build, at its size", |shot| {
        (shot.width, shot.height) == (320, 200) && shows_block(MAGENTA)(shot)
    });
    assert_eq!(wide.count_near(GREEN, 6), 0, "the new code draws the whole window");
    assert_eq!(
        *session.host.plugin.app.resizes.lock().unwrap(),
        [[320, 200]],
        "the view asked its frame once, for the new build's size"
    );
    session.editor.still_the_same_window();
    session.close();
}

#[test]
fn a_panicking_editor_build_shows_its_error_in_the_view_and_the_next_build_revives_it() {
    let Some(_) = x_server() else { return };
    let (mut session, logic) = Session::hot_panel();
    session.wait_for("the green block", shows_block(GREEN));
    install_like_linker(&fixture("panel_panic"), &logic);
    session.wait_for("the error in place of the editor", shows_the_error_view);
    let deadline = test_deadline();
    while !session.host.log().contains("overdub: the editor panicked: the editor is broken on purpose") {
        session.host.period();
        deadline.check(|| format!("the panic was never reported: {}", session.host.log()));
    }
    install_like_linker(&fixture("panel_v2"), &logic);
    session.wait_for("the revived editor", shows_block(MAGENTA));
    session.editor.still_the_same_window();
    session.close();
}

#[test]
fn a_drag_in_the_view_reaches_the_component_handler_as_an_edit_and_the_processor_as_the_value() {
    let Some(_) = x_server() else { return };
    let (mut session, _logic) = Session::hot_panel();
    session.wait_for("the green block", shows_block(GREEN));
    // The panel's slider spans x 8..232 at y 120..140 (points = pixels at scale 1).
    session.editor.drag(&mut session.host, 130, 12, 228);
    let edits = session.host.plugin.edits.lock().unwrap().clone();
    let values = assert_one_gesture(&edits, LEVEL);
    let last = *values.last().expect("a value");
    assert!(last > 0.9, "dragged to the right end (normalised): {values:?}");
    assert_eq!(session.host.plugin.value(LEVEL), last, "the controller reads the dragged value back");
    let deadline = test_deadline();
    while (f64::from(session.host.last) - last).abs() > 1e-3 {
        session.host.period();
        deadline.check(|| format!("the processor never played level {last}: {}", session.host.last));
    }
    session.close();
}

#[test]
fn a_view_removed_mid_drag_ends_the_edit_it_began() {
    let Some(_) = x_server() else { return };
    let (mut session, _logic) = Session::hot_panel();
    session.wait_for("the green block", shows_block(GREEN));
    session.editor.press_and_move(&mut session.host, 130, 12, 120);
    assert_gesture_held(&session.host.plugin.edits.lock().unwrap(), LEVEL);
    assert_gesture_ended_last(&session.close(), LEVEL);
}

#[test]
fn host_automation_shows_in_the_view() {
    let Some(_) = x_server() else { return };
    let (mut session, _logic) = Session::hot_panel();
    let before = session.wait_for("the green block", shows_block(GREEN));
    session.host.block(&[(LEVEL, 0, 1.0)]);
    let after = session.wait_for("the slider moved", |shot| shot.differing(&before) > 0);
    assert!(after.count_near(GREEN, 6) >= BLOCK_PIXELS * 9 / 10, "the same editor, its slider redrawn");
    assert!(session.host.plugin.edits.lock().unwrap().is_empty(), "host automation is not echoed back");
    session.close();
}

#[test]
fn the_static_gain_plugin_opens_its_view_and_a_drag_reaches_the_component_handler() {
    let Some(_) = x_server() else { return };
    let mut session = Session::open(|env| Plugin::load_with(&static_plugin("gain"), env), scratch_dir());
    session.editor.shot().write_png(&shots_dir().join("vst3-gain-editor.png")).expect("write the screenshot");
    let gain = param_id("gain");
    // The gain editor's slider spans x 16..304 at y 60..80.
    session.editor.drag(&mut session.host, 70, 20, 300);
    let edits = session.host.plugin.edits.lock().unwrap().clone();
    let values = assert_one_gesture(&edits, gain);
    let six_db = session.host.plugin.normalized(gain, 6.0);
    assert!(*values.last().unwrap() > six_db, "dragged towards +12 dB: {values:?}");
    session.close();
}

#[test]
fn a_static_logic_without_an_editor_offers_no_view() {
    let plugin = Plugin::load(&static_plugin("delay"));
    assert!(plugin.create_view().is_none(), "the delay's logic has no editor: the host shows its own");
}
