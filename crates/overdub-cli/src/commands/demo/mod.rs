//! `overdub demo`: an example copied out of the repository, played on the null device, edited and rebuilt
//! while it plays, and a report of what a listener would have heard around the swap.

mod findings;

use crate::build::BuildOptions;
use crate::cli::DemoArgs;
use crate::commands::dev::Printer;
use crate::devhost::device::{DeviceRequest, Output};
use crate::devhost::renderer::FADE_SECONDS;
use crate::devhost::session::{Session, SessionOptions};
use crate::devhost::signals::Signal;
use crate::error::CliError;
use crate::logic_crate::LogicCrate;
use crate::phases::SaveClock;
use crate::repo;
use crate::report::{DevEvent, format_duration};
use findings::Heard;
use overdub_loader::{ReloadEvent, ReloadTimings, StateOutcome};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

/// An example the demo knows how to edit.
struct Example {
    name: &'static str,
    find: &'static str,
    replace: &'static str,
    edit: &'static str,
    params: &'static [&'static str],
    has_tail: bool,
}

/// In order of preference: the delay shows state surviving a reload, the gain is the fallback.
const EXAMPLES: [Example; 2] = [
    Example {
        name: "delay",
        find: "line[write] = *sample + echo * feedback;",
        replace: "line[write] = *sample + echo * feedback * 0.5;",
        edit: "halve the feedback: echoes already in the delay line ring on, new ones decay twice as fast",
        params: &["Feedback=0.8"],
        has_tail: true,
    },
    Example {
        name: "gain",
        find: "*sample *= gain;",
        replace: "*sample *= gain * 0.5;",
        edit: "halve the output",
        params: &[],
        has_tail: false,
    },
];

const BLOCK: usize = 256;
/// The input: a pitch whose period does not divide the delay time, so echoes do not pile up in phase.
const SINE_HZ: f64 = 227.0;
/// Input played before the edit.
const PLAY_BEFORE_EDIT: Duration = Duration::from_secs(1);
/// Tail heard before the edit once the input is muted.
const TAIL_BEFORE_EDIT: Duration = Duration::from_millis(300);
/// Audio kept after the swap.
const PLAY_AFTER_SWAP: Duration = Duration::from_secs(1);
/// Longest wait for the rebuild (a first build of the dependencies included).
const BUILD_TIMEOUT: Duration = Duration::from_secs(900);
/// Window on each side of the swap the tail's energy is measured in.
const TAIL_WINDOW_SECONDS: f64 = 0.5;
/// The plot shows this long on each side of the swap.
const PLOT_SECONDS: f64 = 0.05;

/// Runs the demo end to end.
pub fn run(args: &DemoArgs) -> Result<(), CliError> {
    let root = repo::root().ok_or_else(|| {
        CliError::NoRepository(format!(
            "overdub demo copies an example from the overdub repository this binary was built from ({}), which \
             is no longer there",
            env!("CARGO_MANIFEST_DIR")
        ))
    })?;
    let (example, source) = pick_example(&root)?;
    let out = match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(CliError::io("create", dir))?;
            dir.clone()
        }
        None => tempfile::Builder::new()
            .prefix("overdub-demo-")
            .tempdir()
            .map_err(CliError::io("create", std::env::temp_dir()))?
            .keep(),
    };
    let crate_dir = out.join(example.name);
    copy_example(&root, example, &source, &crate_dir)?;
    let mut krate = LogicCrate::find(&crate_dir)?;
    krate.target_dir = Some(root.join("target").join("overdub-demo"));
    if !args.json {
        println!("overdub demo: the {} example, copied to {}", example.name, crate_dir.display());
    }
    let demo = Demo::start(&krate, example, args.json)?;
    let heard = demo.play(&krate, example)?;
    heard.report(&out, example)
}

fn pick_example(root: &Path) -> Result<(&'static Example, String), CliError> {
    EXAMPLES
        .iter()
        .find_map(|example| {
            let path = root.join("examples").join(example.name).join("src/lib.rs");
            let source = std::fs::read_to_string(path).ok()?;
            source.contains(example.find).then_some((example, source))
        })
        .ok_or_else(|| CliError::Demo("no example in the repository has the code the demo edits".to_owned()))
}

/// The example's sources with a manifest of its own that names the repository's crates by absolute path, and
/// the repository's lock file, so the same dependency versions build offline.
fn copy_example(root: &Path, example: &Example, source: &str, dir: &Path) -> Result<(), CliError> {
    if dir.exists() {
        return Err(CliError::Exists { path: dir.to_owned() });
    }
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(CliError::io("create", &src))?;
    std::fs::write(src.join("lib.rs"), source).map_err(CliError::io("write", src.join("lib.rs")))?;
    let original = root.join("examples").join(example.name).join("Cargo.toml");
    let identity =
        overdub_build::PluginManifest::read(&original).map_err(|e| CliError::Demo(e.to_string()))?;
    let manifest = format!(
        "[package]\nname = \"overdub-demo-{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [lib]\nname = \"{name}\"\ncrate-type = [\"cdylib\", \"rlib\"]\n\n[dependencies]\noverdub = {overdub}\n\n\
         [package.metadata.overdub]\nid = {id}\nname = {title}\n\n[workspace]\n",
        name = example.name,
        overdub = repo::dependency("overdub"),
        id = repo::toml_string(&identity.id),
        title = repo::toml_string(&identity.name),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)
        .map_err(CliError::io("write", dir.join("Cargo.toml")))?;
    let lock = root.join("Cargo.lock");
    std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(CliError::io("copy", &lock))?;
    Ok(())
}

/// The running demo: a dev-host session, its recording so far, and what it reported.
struct Demo {
    session: Session,
    printer: Printer,
    json: bool,
    recorded: Vec<f32>,
    swap: Option<(ReloadTimings, StateOutcome, Option<Duration>)>,
    save_clock: SaveClock,
}

impl Demo {
    fn start(krate: &LogicCrate, example: &Example, json: bool) -> Result<Self, CliError> {
        let mut printer = Printer::new(json);
        let output = Output::choose(DeviceRequest::Null);
        printer.print(&DevEvent::Audio { device: output.description.clone() });
        let options = SessionOptions {
            output,
            block: BLOCK,
            signal: Signal::Sine(SINE_HZ),
            notes: None,
            build: BuildOptions::default(),
            params: example.params.iter().map(|p| (*p).to_owned()).collect(),
            record_seconds: 4.0,
        };
        let session = Session::start(krate, options)?;
        let interrupt = session.sender();
        let _ = ctrlc::set_handler(move || drop(interrupt.send(DevEvent::Interrupted)));
        Ok(Self {
            session,
            printer,
            json,
            recorded: Vec::new(),
            swap: None,
            save_clock: SaveClock::default(),
        })
    }

    fn say(&self, line: &str) {
        if !self.json {
            println!("{line}");
        }
    }

    fn frames(&self) -> u64 {
        self.session.shared.frames.load(Ordering::Acquire)
    }

    fn frames_in(&self, duration: Duration) -> u64 {
        (duration.as_secs_f64() * f64::from(self.session.sample_rate)) as u64
    }

    /// Handles events and drains the recording until `done` or `timeout`.
    fn run_until(&mut self, timeout: Duration, mut done: impl FnMut(&Self) -> bool) -> Result<(), CliError> {
        let started = Instant::now();
        while !done(self) {
            if started.elapsed() > timeout {
                return Err(CliError::Demo(format!("nothing happened within {}", format_duration(timeout))));
            }
            self.drain();
            match self.session.events.recv_timeout(Duration::from_millis(20)) {
                Ok(event) => self.handle(event)?,
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(CliError::Demo("the dev host stopped".to_owned()));
                }
            }
        }
        self.drain();
        Ok(())
    }

    fn handle(&mut self, event: DevEvent) -> Result<(), CliError> {
        let build = self.save_clock.observe(&event).map(|phases| phases.build);
        self.printer.print(&event);
        match event {
            DevEvent::Interrupted => Err(CliError::Demo("interrupted".to_owned())),
            DevEvent::Built { ok: false, .. } => {
                Err(CliError::BuildFailed { manifest: self.session.library.clone() })
            }
            DevEvent::Reload(ReloadEvent::Rejected { reason, .. }) => {
                Err(CliError::Demo(format!("the edited build was rejected: {reason}")))
            }
            DevEvent::Reload(ReloadEvent::Swapped { timings, state, .. }) => {
                self.swap = Some((timings, state, build));
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn drain(&mut self) {
        let Some(recording) = &mut self.session.recording else { return };
        let available = recording.slots();
        if let Ok(chunk) = recording.read_chunk(available) {
            let (first, second) = chunk.as_slices();
            self.recorded.extend_from_slice(first);
            self.recorded.extend_from_slice(second);
            chunk.commit_all();
        }
    }

    /// Plays, edits, waits for the swap, plays on, and stops.
    fn play(mut self, krate: &LogicCrate, example: &Example) -> Result<Heard, CliError> {
        let before_edit = self.frames_in(PLAY_BEFORE_EDIT);
        self.run_until(BUILD_TIMEOUT, |demo| demo.frames() >= before_edit)?;
        let mut tail_from = 0;
        if example.has_tail {
            self.say("input muted: from here on only the delay's tail sounds");
            self.session.shared.mute_input.store(true, Ordering::Relaxed);
            tail_from = self.frames() + self.frames_in(Duration::from_secs_f64(FADE_SECONDS)) + BLOCK as u64;
            let until = self.frames() + self.frames_in(TAIL_BEFORE_EDIT);
            self.run_until(BUILD_TIMEOUT, |demo| demo.frames() >= until)?;
        }
        let lib = krate.dir.join("src/lib.rs");
        let source = std::fs::read_to_string(&lib).map_err(CliError::io("read", &lib))?;
        std::fs::write(&lib, source.replacen(example.find, example.replace, 1))
            .map_err(CliError::io("write", &lib))?;
        let edited = Instant::now();
        let edit_frame = self.frames();
        self.say(&format!(
            "edited src/lib.rs to {}:\n  - {}\n  + {}",
            example.edit, example.find, example.replace
        ));
        self.run_until(BUILD_TIMEOUT, |demo| {
            demo.swap.is_some() && demo.session.shared.swaps.load(Ordering::Acquire) > 0
        })?;
        let heard_after = edited.elapsed();
        let swap_frame = self.session.shared.last_swap_frame.load(Ordering::Relaxed);
        let until = swap_frame + self.frames_in(PLAY_AFTER_SWAP);
        self.run_until(BUILD_TIMEOUT, |demo| demo.frames() >= until)?;
        let (timings, state, build) = self.swap.clone().expect("waited for the swap");
        let Demo { session, recorded, json, .. } = self;
        let (sample_rate, device) = (session.sample_rate, session.device.clone());
        session.stop();
        Ok(Heard {
            recorded,
            sample_rate,
            device,
            json,
            swap_frame: swap_frame as usize,
            edit_frame: edit_frame as usize,
            tail_from: tail_from as usize,
            heard_after,
            timings,
            state,
            build,
        })
    }
}
