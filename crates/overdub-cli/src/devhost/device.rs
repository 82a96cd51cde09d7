//! Where the dev host's audio goes: the default sound card through cpal when there is one, otherwise a null
//! device that runs the same callback clocked in real time.

use super::renderer::Renderer;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use overdub_shell::Shell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// Sample rate of the null device.
pub const NULL_SAMPLE_RATE: u32 = 48_000;

/// An output picked before the logic is prepared (its sample rate decides how the logic is reset).
pub struct Output {
    target: Target,
    /// Samples per second.
    pub sample_rate: u32,
    /// What the output is, for the first line the user reads.
    pub description: String,
}

enum Target {
    Null,
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
        Self {
            target: Target::Null,
            sample_rate: NULL_SAMPLE_RATE,
            description: format!("null device ({why}), {NULL_SAMPLE_RATE} Hz, clocked in real time"),
        }
    }

    /// Starts playing: the renderer runs on the device's callback or the null device's thread. When the sound
    /// card refuses the stream, the null device takes over and [`Playing::description`] says so.
    pub fn start<S: Shell + 'static>(self, renderer: Renderer<S>, max_block: usize) -> Playing {
        match self.target {
            Target::Null => Playing::null(renderer, self.sample_rate, max_block, self.description),
            Target::Card { device, channels } => {
                let config = cpal::StreamConfig {
                    channels,
                    sample_rate: self.sample_rate,
                    buffer_size: cpal::BufferSize::Default,
                };
                match play_card(&device, config, renderer) {
                    Ok(stream) => Playing { kind: Kind::Card(stream), description: self.description },
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
) -> Result<cpal::Stream, (String, Renderer<S>)> {
    let channels = usize::from(config.channels);
    let (mut handover, mut receive) = rtrb::RingBuffer::<Renderer<S>>::new(1);
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
        |error| eprintln!("audio: {error}"),
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
    Ok(stream)
}

/// Audio that is playing; [`Playing::stop`] ends it.
pub struct Playing {
    kind: Kind,
    /// What plays, for the first line the user reads.
    pub description: String,
}

enum Kind {
    Null { stop: Arc<AtomicBool>, thread: JoinHandle<()> },
    Card(cpal::Stream),
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
        Self { kind: Kind::Null { stop, thread }, description }
    }

    /// Stops the audio and waits for the audio thread: the shell is dropped when this returns.
    pub fn stop(self) {
        match self.kind {
            Kind::Null { stop, thread } => {
                stop.store(true, Ordering::Relaxed);
                let _ = thread.join();
            }
            Kind::Card(stream) => {
                let _ = stream.pause();
                drop(stream);
            }
        }
    }
}
