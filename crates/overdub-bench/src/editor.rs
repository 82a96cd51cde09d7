//! The editor's measures, in the dev host's setting: a [`HotShell`] (its loader built in release, as in the
//! hot plugin) follows the panel fixture's dev builds (egui and the editor code unoptimised, as an author's
//! debug build is) while a null-device host plays, and an [`EditorSession`] draws the editor in an X window
//! on the same thread, as a host's main thread would between its timer ticks.
//!
//! Frame time: input to pixels on screen (the editor's frame, tessellation, software rasterising and the
//! upload to the X server), with the parameter moving every frame so each one is drawn. Reload to screen:
//! from the moment a new build lands (as cargo links it) to the end of the first frame the new code drew,
//! the editor's first frame with a fresh egui context (fonts included) among it.

use crate::null_host::NullHost;
use crate::report::Report;
use crate::stats::{ms, quantile};
use overdub::param_id;
use overdub_loader::{HotOptions, HotShell};
use overdub_shell::Shell;
use overdub_testkit::{Build, Deadline};
use overdub_window::{EditorSession, Gesture, Gestures, Parent, PluginView};
use std::time::{Duration, Instant};

/// Frames timed with the parameter moving.
const FRAMES: usize = 200;
/// Builds landed, alternating between the two panel builds.
const RELOADS: usize = 10;
/// A host's editor timer period.
const PERIOD: Duration = Duration::from_millis(16);
/// Longest a build may take to show before the benchmark gives up.
const GIVE_UP: Duration = Duration::from_secs(20);

/// The benchmark has no host to tell about gestures.
struct Nowhere;

impl Gestures for Nowhere {
    fn gesture(&mut self, _: Gesture) {}
}

/// Runs the editor measures when there is an X server (one started for the run when `DISPLAY` names
/// none); reports their absence otherwise.
pub fn run(report: &mut Report) {
    if overdub_testkit::x11::x_server().is_none() {
        report.info("editor.skipped", "editor measures skipped: no X server (install xvfb)", 1.0, "");
        return;
    }
    let builds = ["panel", "panel_v2"].map(|name| {
        Build::new(std::fs::read(overdub_testkit::fixture(name)).expect("read the panel fixture"))
    });
    let measured = std::thread::spawn(move || measure(&builds)).join().expect("the editor benchmark ran");
    let (frames, first_frames, to_screen) = measured;
    report.info(
        "editor.frame.median_ms",
        "editor frame (input to pixels on screen), median",
        ms(quantile(&frames, 0.5)),
        "ms",
    );
    report.info("editor.frame.p99_ms", "editor frame, p99", ms(quantile(&frames, 0.99)), "ms");
    report.info(
        "editor.first_frame.median_ms",
        "first frame of a new build (fresh egui context), median",
        ms(quantile(&first_frames, 0.5)),
        "ms",
    );
    report.info(
        "editor.reload_to_screen.median_ms",
        "library landed -> new editor frame on screen, median",
        ms(quantile(&to_screen, 0.5)),
        "ms",
    );
    report.info(
        "editor.reload_to_screen.p99_ms",
        "library landed -> new editor frame on screen, p99",
        ms(quantile(&to_screen, 0.99)),
        "ms",
    );
}

/// Frame times, first frames of new builds, and landed-to-screen times.
fn measure(builds: &[Build; 2]) -> (Vec<Duration>, Vec<Duration>, Vec<Duration>) {
    let dir = overdub_testkit::scratch_dir();
    let path = dir.path().join(overdub_testkit::dylib_file_name("panel"));
    builds[0].link_variant(&path, "editor-bench", 0);
    let shell = HotShell::watch(&path, HotOptions::default()).expect("the panel fixture loads");
    let (mut host, _) = NullHost::new(shell);
    let size = host.shell.editor().expect("the panel has an editor").entry.size;
    let mut session =
        EditorSession::open(&Parent::Floating("overdub bench".to_owned()), size, 1.0).expect("open a window");
    session.show(true).expect("show the window");
    let level = param_id("level");
    let mut frames = Vec::with_capacity(FRAMES);
    let mut next_frame = Instant::now();
    let mut tick = |host: &mut NullHost, session: &mut EditorSession| {
        host.tick();
        if Instant::now() < next_frame {
            return None;
        }
        next_frame += PERIOD;
        let view = PluginView {
            params: host.shell.params(),
            display: host.shell.display(),
            editor: host.shell.editor(),
        };
        let started = Instant::now();
        let tick = session.tick(view, &mut Nowhere).expect("the window draws");
        Some((tick, started.elapsed(), Instant::now()))
    };
    while frames.len() < FRAMES {
        let value = (frames.len() % 20) as f64 / 20.0;
        host.shell.set_param(level, value).expect("the level parameter");
        if let Some((drawn, took, _)) = tick(&mut host, &mut session)
            && drawn.drew
            && !drawn.switched
        {
            frames.push(took);
        }
    }
    let mut first_frames = Vec::with_capacity(RELOADS);
    let mut to_screen = Vec::with_capacity(RELOADS);
    for reload in 1..=RELOADS {
        let landed = builds[reload % 2].link_variant(&path, "editor-bench", reload);
        let deadline = Deadline::after(GIVE_UP);
        loop {
            if let Some((drawn, took, at)) = tick(&mut host, &mut session)
                && drawn.switched
            {
                first_frames.push(took);
                to_screen.push(at - landed);
                break;
            }
            deadline.check(|| format!("build {reload} never showed in the editor"));
        }
    }
    (frames, first_frames, to_screen)
}
