//! Where the dev host's audio goes: the default sound card through cpal when there is one, otherwise a null
//! device that runs the same callback clocked in real time.

use super::renderer::Renderer;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use overdub_shell::Shell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Which output the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DeviceRequest {
    /// The default sound card, or the null device when there is none.
    Auto,
    /// The null device: no sound, real-time clock (for machines without a sound card, CI and tools).
    Null,
}

/// Sample rate of the null device, unless the input asks for another.
pub const NULL_SAMPLE_RATE: u32 = 48_000;

/// Errors the sound card's audio thread can queue before the main loop reads them; later ones are counted.
const ERROR_QUEUE: usize = 16;

/// An output picked before the logic is prepared (its sample rate decides how the logic is reset).
pub struct Output {
    target: Target,
    /// Samples per second.
    pub sample_rate: u32,
    /// What the output is, for the first line the user reads.
    pub description: String,
}

enum Target {
    Null { why: String },
    Card { device: cpal::Device, channels: u16 },
}

impl Output {
    /// The output to use for `request`; a missing or unusable sound card falls back to the null device, and
    /// the description says why.
    pub fn choose(request: DeviceRequest) -> Self {
        if request == DeviceRequest::Null {
            return Self::null("requested");
        }
        match card() {
            Ok(output) => output,
            Err(reason) => Self::null(&format!("no usable sound card: {reason}")),
        }
    }

    fn null(why: &str) -> Self {
        Self::null_at(why, NULL_SAMPLE_RATE)
    }

    fn null_at(why: &str, sample_rate: u32) -> Self {
        Self {
            target: Target::Null { why: why.to_owned() },
            sample_rate,
            description: format!("null device ({why}), {sample_rate} Hz, clocked in real time"),
        }
    }

    /// This output playing at `sample_rate`: the null device runs at any rate, a sound card only at its own
    /// (it comes back as the error then).
    pub fn at_sample_rate(self, sample_rate: u32) -> Result<Self, Self> {
        if self.sample_rate == sample_rate {
            return Ok(self);
        }
        match self.target {
            Target::Null { why } => Ok(Self::null_at(&why, sample_rate)),
            Target::Card { .. } => Err(self),
        }
    }

    /// Starts playing: the renderer runs on the device's callback or the null device's thread. When the sound
    /// card refuses the stream, the null device takes over and [`Playing::description`] says so.
    pub fn start<S: Shell + 'static>(self, renderer: Renderer<S>, max_block: usize) -> Playing {
        match self.target {
            Target::Null { .. } => Playing::null(renderer, self.sample_rate, max_block, self.description),
            Target::Card { device, channels } => {
                let config = cpal::StreamConfig {
                    channels,
                    sample_rate: self.sample_rate,
                    buffer_size: cpal::BufferSize::Default,
                };
                match play_card(&device, config, renderer) {
                    Ok((stream, errors)) => {
                        Playing { kind: Kind::Card { stream, errors }, description: self.description }
                    }
                    Err((reason, renderer)) => {
                        let description = format!(
                            "null device (the sound card refused the stream: {reason}), {} Hz, clocked in real time",
                            self.sample_rate
                        );
                        Playing::null(renderer, self.sample_rate, max_block, description)
                    }
                }
            }
        }
    }
}

fn card() -> Result<Output, String> {
    let host = cpal::default_host();
    let device = host.default_output_device().ok_or("the system reports no default output device")?;
    let config = device.default_output_config().map_err(|e| e.to_string())?;
    if config.sample_format() != cpal::SampleFormat::F32 {
        return Err(format!("its default format is {}, not 32-bit float", config.sample_format()));
    }
    let name = device.description().map(|d| d.to_string()).unwrap_or_else(|_| "default".to_owned());
    let config = config.config();
    Ok(Output {
        target: Target::Card { device, channels: config.channels },
        sample_rate: config.sample_rate,
        description: format!(
            "sound card \"{name}\", {} Hz, {} channels",
            config.sample_rate, config.channels
        ),
    })
}

/// Builds and starts the stream, then hands the renderer to its callback through a wait-free queue; on failure
/// the renderer comes back.
fn play_card<S: Shell + 'static>(
    device: &cpal::Device,
    config: cpal::StreamConfig,
    renderer: Renderer<S>,
) -> Result<(cpal::Stream, AudioErrors), (String, Renderer<S>)> {
    let channels = usize::from(config.channels);
    let (mut handover, mut receive) = rtrb::RingBuffer::<Renderer<S>>::new(1);
    let (mut report, queue) = rtrb::RingBuffer::<cpal::Error>::new(ERROR_QUEUE);
    let lost = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&lost);
    let mut running = None;
    let built = device.build_output_stream(
        config,
        move |data: &mut [f32], _: &cpal::OutputCallbackInfo| {
            if running.is_none() {
                running = receive.pop().ok();
            }
            match &mut running {
                Some(renderer) => renderer.render_interleaved(data, channels),
                None => data.fill(0.0),
            }
        },
        // Runs on the audio thread: queue the error for the main loop to print, never format or write here.
        move |error| {
            if report.push(error).is_err() {
                counted.fetch_add(1, Ordering::Relaxed);
            }
        },
        None,
    );
    let stream = match built {
        Ok(stream) => stream,
        Err(error) => return Err((error.to_string(), renderer)),
    };
    if let Err(error) = stream.play() {
        return Err((error.to_string(), renderer));
    }
    let Ok(()) = handover.push(renderer) else { unreachable!("the queue holds one renderer and is empty") };
    Ok((stream, AudioErrors { queue, lost, reported_lost: 0 }))
}

/// Errors a sound card reported on its audio thread, waiting to be printed by a thread that may format and
/// write.
struct AudioErrors {
    queue: rtrb::Consumer<cpal::Error>,
    lost: Arc<AtomicU64>,
    reported_lost: u64,
}

impl AudioErrors {
    fn drain(&mut self) -> Vec<String> {
        let mut messages: Vec<String> =
            std::iter::from_fn(|| self.queue.pop().ok()).map(|e| e.to_string()).collect();
        let lost = self.lost.load(Ordering::Relaxed);
        if lost > self.reported_lost {
            messages.push(format!("{} more errors were not kept", lost - self.reported_lost));
            self.reported_lost = lost;
        }
        messages
    }
}

/// Audio that is playing; dropping it (or [`Playing::stop`]) ends it.
pub struct Playing {
    kind: Kind,
    /// What plays, for the first line the user reads.
    pub description: String,
}

enum Kind {
    Null { stop: Arc<AtomicBool>, thread: Option<JoinHandle<()>> },
    Card { stream: cpal::Stream, errors: AudioErrors },
}

impl Playing {
    fn null<S: Shell + 'static>(
        mut renderer: Renderer<S>,
        sample_rate: u32,
        max_block: usize,
        description: String,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let period = Duration::from_secs_f64(max_block as f64 / f64::from(sample_rate));
        let thread = std::thread::Builder::new()
            .name("overdub-null-audio".to_owned())
            .spawn(move || {
                let mut deadline = Instant::now();
                while !stopped.load(Ordering::Relaxed) {
                    renderer.process(max_block);
                    deadline += period;
                    let now = Instant::now();
                    if deadline > now {
                        std::thread::sleep(deadline - now);
                    } else if now - deadline > period * 8 {
                        deadline = now;
                    }
                }
            })
            .expect("spawning a thread only fails when the system is out of resources");
        Self { kind: Kind::Null { stop, thread: Some(thread) }, description }
    }

    /// Errors the sound card reported since the last call, as text (none on the null device).
    pub fn errors(&mut self) -> Vec<String> {
        match &mut self.kind {
            Kind::Null { .. } => Vec::new(),
            Kind::Card { errors, .. } => errors.drain(),
        }
    }

    /// Stops the audio and waits for the audio thread: the shell is dropped when this returns.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Playing {
    /// Stops the audio and waits for the audio thread, so neither it nor the shell it runs outlives this.
    fn drop(&mut self) {
        match &mut self.kind {
            Kind::Null { stop, thread } => {
                stop.store(true, Ordering::Relaxed);
                if let Some(thread) = thread.take() {
                    let _ = thread.join();
                }
            }
            // The stream, and with it the callback that owns the renderer, is dropped right after this.
            Kind::Card { stream, .. } => {
                let _ = stream.pause();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::devhost::signals::Signal;
    use crate::devhost::test_logic;

    #[test]
    fn dropping_the_null_device_stops_its_thread_and_drops_the_renderer() {
        let renderer = Renderer::new(test_logic::shell(64), 2, 64, Signal::Silence, 48_000.0, None, None);
        let shared = renderer.shared();
        let playing = Output::choose(DeviceRequest::Null).start(renderer, 64);
        let started = Instant::now();
        while shared.frames.load(Ordering::Acquire) == 0 {
            assert!(started.elapsed() < Duration::from_secs(10), "the null device never ran");
            std::thread::sleep(Duration::from_millis(1));
        }
        drop(playing);
        assert_eq!(Arc::strong_count(&shared), 1, "the audio thread still holds the renderer");
    }

    #[test]
    fn the_null_device_plays_at_any_rate() {
        let output = Output::choose(DeviceRequest::Null).at_sample_rate(44_100).ok().unwrap();
        assert_eq!(output.sample_rate, 44_100);
        assert!(output.description.contains("44100 Hz"), "{}", output.description);
    }
}
