//! Where the dev host's audio goes: the default sound card when overdub was built with it (the `sound-card`
//! feature) and there is one, otherwise a null device that runs the same callback clocked in real time.

#[cfg(feature = "sound-card")]
use super::card::{Card, CardStream};
use super::renderer::Renderer;
use overdub_shell::ShellProcessor;
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

/// Sample rate of the null device, unless the input asks for another.
pub const NULL_SAMPLE_RATE: u32 = 48_000;

/// Why the null device plays when this binary has no sound-card output: the first line says how to get it.
#[cfg(not(feature = "sound-card"))]
const NO_SOUND_CARD_BUILT: &str = "this overdub was built without sound-card output; \
    reinstall with `--features sound-card` (on Linux it needs libasound2-dev and pkg-config)";

/// An output picked before the logic is prepared (its sample rate decides how the logic is reset).
pub struct Output {
    target: Target,
    /// Samples per second.
    pub sample_rate: u32,
    /// What the output is, for the first line the user reads.
    pub description: String,
}

enum Target {
    Null {
        why: String,
    },
    #[cfg(feature = "sound-card")]
    Card(Card),
}

impl Output {
    /// The output to use for `request`; a missing or unusable sound card falls back to the null device, and
    /// the description says why.
    pub fn choose(request: DeviceRequest) -> Self {
        if request == DeviceRequest::Null {
            return Self::null("requested");
        }
        Self::card().unwrap_or_else(|reason| Self::null(&reason))
    }

    #[cfg(feature = "sound-card")]
    fn card() -> Result<Self, String> {
        let (card, sample_rate, description) =
            super::card::open().map_err(|reason| format!("no usable sound card: {reason}"))?;
        Ok(Self { target: Target::Card(card), sample_rate, description })
    }

    #[cfg(not(feature = "sound-card"))]
    fn card() -> Result<Self, String> {
        Err(NO_SOUND_CARD_BUILT.to_owned())
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
            #[cfg(feature = "sound-card")]
            Target::Card(_) => Err(self),
        }
    }

    /// Starts playing: the renderer runs on the device's callback or the null device's thread. When the sound
    /// card refuses the stream, the null device takes over and [`Playing::description`] says so.
    pub fn start<S: ShellProcessor + 'static>(self, renderer: Renderer<S>, max_block: usize) -> Playing {
        match self.target {
            Target::Null { .. } => Playing::null(renderer, self.sample_rate, max_block, self.description),
            #[cfg(feature = "sound-card")]
            Target::Card(card) => match card.play(self.sample_rate, renderer) {
                Ok(stream) => Playing { kind: Kind::Card(stream), description: self.description },
                Err((reason, renderer)) => {
                    let description = format!(
                        "null device (the sound card refused the stream: {reason}), {} Hz, clocked in real time",
                        self.sample_rate
                    );
                    Playing::null(renderer, self.sample_rate, max_block, description)
                }
            },
        }
    }
}

/// Audio that is playing; dropping it (or [`Playing::stop`]) ends it.
pub struct Playing {
    kind: Kind,
    /// What plays, for the first line the user reads.
    pub description: String,
}

enum Kind {
    Null {
        stop: Arc<AtomicBool>,
        thread: Option<JoinHandle<()>>,
    },
    #[cfg(feature = "sound-card")]
    Card(CardStream),
}

impl Playing {
    fn null<S: ShellProcessor + 'static>(
        mut renderer: Renderer<S>,
        sample_rate: u32,
        max_block: usize,
        description: String,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let period = Duration::from_secs_f64(max_block as f64 / f64::from(sample_rate));
        let shared = renderer.shared();
        let thread = std::thread::Builder::new()
            .name("overdub-null-audio".to_owned())
            .spawn(move || {
                raise_to_real_time();
                let mut deadline = Instant::now();
                while !stopped.load(Ordering::Relaxed) {
                    renderer.process(max_block);
                    deadline += period;
                    let now = Instant::now();
                    if deadline > now {
                        std::thread::sleep(deadline - now);
                    } else {
                        shared.late_blocks.fetch_add(1, Ordering::Relaxed);
                        if now - deadline > period * 8 {
                            deadline = now;
                        }
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
            #[cfg(feature = "sound-card")]
            Kind::Card(stream) => stream.errors(),
        }
    }

    /// Stops the audio and waits for the audio thread: the shell is dropped when this returns.
    pub fn stop(self) {
        drop(self);
    }
}

/// Raises the calling thread to real-time (FIFO) scheduling where the system allows it, as a host's audio
/// thread is: otherwise any busy process on the machine can make it miss its deadlines. Where it is refused
/// the thread plays on at normal priority.
fn raise_to_real_time() {
    #[cfg(unix)]
    {
        use thread_priority::{RealtimeThreadSchedulePolicy, ThreadPriority, ThreadSchedulePolicy};
        let Ok(priority) = 80u8.try_into().map(ThreadPriority::Crossplatform) else { return };
        let _ = thread_priority::set_thread_priority_and_policy(
            thread_priority::thread_native_id(),
            priority,
            ThreadSchedulePolicy::Realtime(RealtimeThreadSchedulePolicy::Fifo),
        );
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
            #[cfg(feature = "sound-card")]
            Kind::Card(stream) => stream.pause(),
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
        let renderer = Renderer::new(test_logic::processor(64), 2, 64, Signal::Silence, 48_000.0, None, None);
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

    #[cfg(not(feature = "sound-card"))]
    #[test]
    fn without_the_sound_card_feature_auto_plays_on_the_null_device_and_says_how_to_get_a_card() {
        let output = Output::choose(DeviceRequest::Auto);
        assert!(matches!(output.target, Target::Null { .. }));
        assert!(output.description.contains("--features sound-card"), "{}", output.description);
    }
}
