//! One dev-host session: the logic built and hot-loaded, audio playing through it, sources watched and
//! rebuilt, and every event on one channel.

use super::device::{Output, Playing};
use super::notes::NotePlayer;
use super::renderer::{Renderer, Shared};
use super::signals::Signal;
use super::watcher::SourceWatcher;
use crate::build::{BuildOptions, DevBuilder};
use crate::error::CliError;
use crate::logic_crate::LogicCrate;
use crate::midi::{self, Sequence};
use crate::report::DevEvent;
use overdub_loader::{HotOptions, HotShell};
use overdub_shell::{Continuity, ProcessConfig, Shell};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

/// Channels the dev host plays: stereo in, stereo out.
const CHANNELS: usize = 2;

/// How a session plays.
pub struct SessionOptions {
    /// Where the audio goes (chosen first, so the user reads it before the build starts).
    pub output: Output,
    /// Largest block the logic gets.
    pub block: usize,
    /// What plays into the logic's inputs.
    pub signal: Signal,
    /// Notes played into the logic, looped.
    pub notes: Option<Notes>,
    /// How the logic is built and rebuilt.
    pub build: BuildOptions,
    /// Parameter values to set before playing, as `NAME=VALUE`.
    pub params: Vec<String>,
    /// Keep this many seconds of output for [`Session::recording`] to drain (0: none).
    pub record_seconds: f64,
}

/// Where notes come from.
#[derive(Clone, Debug)]
pub enum Notes {
    /// The built-in pattern.
    Pattern,
    /// A MIDI file.
    File(PathBuf),
}

impl Notes {
    fn sequence(&self, sample_rate: u32) -> Result<Sequence, CliError> {
        match self {
            Self::Pattern => Ok(midi::pattern(f64::from(sample_rate))),
            Self::File(path) => midi::read(path, f64::from(sample_rate)),
        }
    }
}

/// A running dev host.
pub struct Session {
    /// Every event, in the order it happened.
    pub events: Receiver<DevEvent>,
    sender: Sender<DevEvent>,
    /// Where the audio goes.
    pub device: String,
    /// Samples per second.
    pub sample_rate: u32,
    /// What the audio thread reports.
    pub shared: Arc<Shared>,
    /// The output, interleaved stereo, when recording was asked for.
    pub recording: Option<rtrb::Consumer<f32>>,
    /// The library running.
    pub library: PathBuf,
    /// Declared (so dropped) before the shell's control: the audio stops before the control goes.
    playing: Playing,
    /// The shell's main-thread half: keeps the reload worker running.
    shell: HotShell,
    watcher: SourceWatcher,
    forwarder: JoinHandle<()>,
}

impl Session {
    /// Builds `krate`, loads it into a hot shell that follows its rebuilds, starts the audio and the source
    /// watcher, and reports [`DevEvent::Ready`] first.
    pub fn start(krate: &LogicCrate, options: SessionOptions) -> Result<Self, CliError> {
        let output = options.output;
        let sample_rate = output.sample_rate;
        let notes = options.notes.as_ref().map(|n| n.sequence(sample_rate)).transpose()?;
        let mut builder = DevBuilder::new(krate, options.build)?;
        let (library, build) = builder.build_with_cargo()?;
        let (sender, events) = mpsc::channel();
        let (reload_sender, reloads) = mpsc::channel();
        let forward = sender.clone();
        // Relays until the hot shell, which holds the only reload sender, is dropped with the audio.
        let forwarder = std::thread::Builder::new()
            .name("overdub-events".to_owned())
            .spawn(move || {
                for event in reloads {
                    if forward.send(DevEvent::Reload(event)).is_err() {
                        return;
                    }
                }
            })
            .expect("spawning a thread only fails when the system is out of resources");
        let hot_options = HotOptions { events: Some(reload_sender), ..HotOptions::default() };
        let mut shell = HotShell::watch(&library, hot_options).map_err(|e| CliError::Load(e.to_string()))?;
        crate::params::apply(&mut shell, &options.params)?;
        let block = options.block.max(1);
        let processor =
            shell.activate(ProcessConfig::stereo(f64::from(sample_rate), block), Continuity::Reset)?;
        let (producer, recording) = if options.record_seconds > 0.0 {
            let capacity = (options.record_seconds * f64::from(sample_rate)) as usize * CHANNELS;
            let (producer, consumer) = rtrb::RingBuffer::new(capacity.max(1));
            (Some(producer), Some(consumer))
        } else {
            (None, None)
        };
        let renderer = Renderer::new(
            processor,
            CHANNELS,
            block,
            options.signal,
            f64::from(sample_rate),
            notes.map(|n| NotePlayer::new(n, true)),
            producer,
        );
        let shared = renderer.shared();
        // The watcher first: nothing may fail once the audio plays.
        let watcher = SourceWatcher::start(&krate.dir, builder, sender.clone()).map_err(|e| {
            CliError::Io { action: "watch", path: krate.dir.clone(), source: std::io::Error::other(e) }
        })?;
        let playing = output.start(renderer, block);
        let device = playing.description.clone();
        let _ = sender.send(DevEvent::Ready { device: device.clone(), library: library.clone(), build });
        Ok(Self {
            events,
            sender,
            device,
            sample_rate,
            shared,
            recording,
            library,
            playing,
            shell,
            watcher,
            forwarder,
        })
    }

    /// What the editor window shows of the running logic: its parameters, display data and newest editor.
    pub fn editor_view(&self) -> overdub_window::PluginView<'_> {
        overdub_window::PluginView {
            params: self.shell.params(),
            display: self.shell.display(),
            editor: self.shell.editor(),
        }
    }

    /// A sender into the session's event stream (for the Ctrl-C handler).
    pub fn sender(&self) -> Sender<DevEvent> {
        self.sender.clone()
    }

    /// Errors the sound card reported since the last call, for the caller to print (the audio thread only
    /// queues them).
    pub fn audio_errors(&mut self) -> Vec<String> {
        self.playing.errors()
    }

    /// Stops the audio (the shell and its watcher are dropped), stops watching sources and joins every thread.
    /// A session dropped without this still stops its audio.
    pub fn stop(self) {
        self.playing.stop();
        // The control after the audio: dropping it withdraws its reload events, which ends the relay.
        drop(self.shell);
        self.watcher.stop();
        // The shell held the last reload sender: the relay has seen the end of its channel.
        let _ = self.forwarder.join();
    }
}
