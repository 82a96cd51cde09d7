//! `overdub dev`: plays audio through a logic crate and swaps in every rebuild while it plays.

use crate::build::BuildOptions;
use crate::cli::DevArgs;
use crate::devhost::device::Output;
use crate::devhost::editor::DevEditor;
use crate::devhost::meter::dbfs;
use crate::devhost::session::{Notes, Session, SessionOptions};
use crate::devhost::signals::Signal;
use crate::error::CliError;
use crate::logic_crate::LogicCrate;
use crate::phases::SaveClock;
use crate::report::{self, DevEvent};
use crate::wav;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

/// How often the meter line refreshes.
const METER_INTERVAL: Duration = Duration::from_millis(100);
/// How often `--json` reports levels.
const JSON_METER_INTERVAL: Duration = Duration::from_secs(1);
/// How often the editor window looks at its input, the parameters and new builds, while it is open.
const EDITOR_INTERVAL: Duration = Duration::from_millis(16);

/// Runs the dev host until Ctrl-C (or `--stop-after`).
pub fn run(args: &DevArgs) -> Result<(), CliError> {
    let krate = LogicCrate::find(args.path.as_deref().unwrap_or(Path::new(".")))?;
    let (signal, file_rate) = signal(&args.input)?;
    let wants_notes = args.notes || args.midi.is_some() || krate.instrument;
    let mut printer = Printer::new(args.json);
    let mut output = Output::choose(args.device);
    if let Some(file_rate) = file_rate {
        // No resampling: the null device follows the file's rate, a sound card must already match it.
        output = output.at_sample_rate(file_rate).map_err(|card| CliError::SampleRateMismatch {
            path: args.input.clone().into(),
            file_rate,
            device_rate: card.sample_rate,
        })?;
    }
    printer.print(&DevEvent::Audio { device: output.description.clone() });
    let mut options = SessionOptions {
        output,
        block: args.block,
        signal: if wants_notes && args.input == "sine" { Signal::Silence } else { signal },
        notes: None,
        build: BuildOptions {
            release: args.release,
            opt_level: args.opt_level.clone(),
            policy: args.build,
            emit: args.fast_emit,
        },
        params: args.params.clone(),
        record_seconds: 0.0,
    };
    if wants_notes {
        options.notes = Some(args.midi.clone().map_or(Notes::Pattern, Notes::File));
    }
    let mut session = Session::start(&krate, options)?;
    let interrupt = session.sender();
    let _ = ctrlc::set_handler(move || drop(interrupt.send(DevEvent::Interrupted)));
    let started = Instant::now();
    let mut editor = None;
    let mut last_meter = Instant::now();
    loop {
        let meter_interval = if args.json { JSON_METER_INTERVAL } else { METER_INTERVAL };
        let timeout = match &editor {
            Some(editor) if DevEditor::is_open(editor) => EDITOR_INTERVAL,
            _ => meter_interval,
        };
        match session.events.recv_timeout(timeout) {
            Ok(DevEvent::Interrupted) => {
                printer.print(&DevEvent::Interrupted);
                break;
            }
            Ok(event @ DevEvent::Ready { .. }) => {
                printer.print(&event);
                let (opened, said) = DevEditor::open(&session, !args.no_editor);
                if let Some(said) = said {
                    printer.print(&said);
                }
                editor = Some(opened);
                if !args.json {
                    println!("edit and save to hear the new code; Ctrl-C stops");
                }
            }
            Ok(event) => printer.print(&event),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if let Some(editor) = &mut editor {
            for event in editor.tick(&session) {
                printer.print(&event);
            }
        }
        if last_meter.elapsed() >= meter_interval {
            last_meter = Instant::now();
            let (peak, rms) = session.shared.levels.read();
            let late_blocks = session.shared.late_blocks.load(std::sync::atomic::Ordering::Relaxed);
            printer.print(&DevEvent::Meter { peak, rms, late_blocks });
        }
        for message in session.audio_errors() {
            printer.print(&DevEvent::AudioError { message });
        }
        if args.stop_after.is_some_and(|limit| started.elapsed().as_secs_f64() >= limit) {
            break;
        }
    }
    session.stop();
    printer.finish();
    Ok(())
}

/// The `--input` signal: a test signal's name or a WAV file's path (with the file's sample rate).
fn signal(input: &str) -> Result<(Signal, Option<u32>), CliError> {
    Ok(match input {
        "sine" => (Signal::Sine(440.0), None),
        "sweep" => (Signal::Sweep(10.0), None),
        "noise" => (Signal::Noise, None),
        "impulses" => (Signal::Impulses(0.5), None),
        "silence" => (Signal::Silence, None),
        path => {
            let audio = wav::read(Path::new(path))?;
            (Signal::Looped(audio.channels), Some(audio.sample_rate))
        }
    })
}

/// Prints events as text (with a live meter line on a terminal) or JSON lines.
pub struct Printer {
    json: bool,
    meter_line: bool,
    clock: SaveClock,
    announced: Option<String>,
}

impl Printer {
    /// A printer for `--json` or for people.
    pub fn new(json: bool) -> Self {
        Self { json, meter_line: false, clock: SaveClock::default(), announced: None }
    }

    /// Prints one event.
    pub fn print(&mut self, event: &DevEvent) {
        let phases = self.clock.observe(event);
        let phases = phases.as_ref();
        let mut out = std::io::stdout().lock();
        if self.json {
            let _ = writeln!(out, "{}", report::json(event, phases));
            let _ = out.flush();
            return;
        }
        if let DevEvent::Meter { peak, rms, .. } = event {
            if out.is_terminal() {
                let _ = write!(out, "\r\x1b[2K  peak {:6.1} dBFS   rms {:6.1} dBFS", dbfs(*peak), dbfs(*rms));
                let _ = out.flush();
                self.meter_line = true;
            }
            return;
        }
        match event {
            DevEvent::Audio { device } => self.announced = Some(device.clone()),
            DevEvent::Ready { device, .. } if self.announced.as_ref() != Some(device) => {
                let _ = writeln!(out, "audio: {device}");
            }
            _ => {}
        }
        if let Some(line) = report::text(event, phases) {
            if self.meter_line {
                let _ = write!(out, "\r\x1b[2K");
                self.meter_line = false;
            }
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
    }

    /// Ends the meter line.
    pub fn finish(&mut self) {
        if self.meter_line {
            println!();
        }
    }
}
