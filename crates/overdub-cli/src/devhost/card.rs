//! The sound-card output through cpal, built only with the `sound-card` feature: cpal's Linux back end links
//! ALSA, whose headers a bare machine does not have, so the default build plays on the null device instead.

use super::renderer::Renderer;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use overdub_shell::ShellProcessor;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Errors the sound card's audio thread can queue before the main loop reads them; later ones are counted.
const ERROR_QUEUE: usize = 16;

/// The default output device and the channel count it plays.
pub struct Card {
    device: cpal::Device,
    channels: u16,
}

/// The default sound card with its rate and a line describing it, or why it cannot be used.
pub fn open() -> Result<(Card, u32, String), String> {
    let host = cpal::default_host();
    let device = host.default_output_device().ok_or("the system reports no default output device")?;
    let config = device.default_output_config().map_err(|e| e.to_string())?;
    if config.sample_format() != cpal::SampleFormat::F32 {
        return Err(format!("its default format is {}, not 32-bit float", config.sample_format()));
    }
    let name = device.description().map(|d| d.to_string()).unwrap_or_else(|_| "default".to_owned());
    let config = config.config();
    let description =
        format!("sound card \"{name}\", {} Hz, {} channels", config.sample_rate, config.channels);
    Ok((Card { device, channels: config.channels }, config.sample_rate, description))
}

/// A stream playing on the card; dropping it stops the audio and drops the renderer with the callback.
pub struct CardStream {
    stream: cpal::Stream,
    errors: AudioErrors,
}

impl Card {
    /// Builds and starts the stream, then hands the renderer to its callback through a wait-free queue; on
    /// failure the renderer comes back.
    pub fn play<S: ShellProcessor + 'static>(
        &self,
        sample_rate: u32,
        renderer: Renderer<S>,
    ) -> Result<CardStream, (String, Renderer<S>)> {
        let config = cpal::StreamConfig {
            channels: self.channels,
            sample_rate,
            buffer_size: cpal::BufferSize::Default,
        };
        let channels = usize::from(self.channels);
        let (mut handover, mut receive) = rtrb::RingBuffer::<Renderer<S>>::new(1);
        let (mut report, queue) = rtrb::RingBuffer::<cpal::Error>::new(ERROR_QUEUE);
        let lost = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&lost);
        let mut running = None;
        let built = self.device.build_output_stream(
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
        let Ok(()) = handover.push(renderer) else {
            unreachable!("the queue holds one renderer and is empty")
        };
        Ok(CardStream { stream, errors: AudioErrors { queue, lost, reported_lost: 0 } })
    }
}

impl CardStream {
    /// Errors the card reported since the last call, as text.
    pub fn errors(&mut self) -> Vec<String> {
        self.errors.drain()
    }

    /// Pauses the stream; the callback, and with it the renderer, goes when the stream is dropped.
    pub fn pause(&self) {
        let _ = self.stream.pause();
    }
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
