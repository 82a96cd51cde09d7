//! A host's audio thread in miniature, clocked in real time like the dev host's null device: a 64-sample
//! stereo block of a sine every 1.33 ms (or blocks of another size at their own period), with each block's
//! processing time, allocations and output kept.

use overdub::alloc_counter::count_allocations;
use overdub_loader::{HotProcessor, HotShell};
use overdub_shell::{AudioBlock, Continuity, HostBlock, ProcessConfig, Shell, ShellProcessor};
use std::time::{Duration, Instant};

/// Samples per block.
pub const BLOCK: usize = 64;
/// Sample rate.
pub const RATE: f64 = 48_000.0;

/// The last stretch before a block that is waited for by spinning (a sleep may overshoot).
const SPIN: Duration = Duration::from_micros(150);

/// One processed block.
pub struct Tick {
    /// Time spent in `process`.
    pub took: Duration,
    /// When the block finished.
    pub at: Instant,
    /// Whether the shell ran a different library afterwards than before.
    pub swapped: bool,
    /// Largest jump between consecutive output samples, including the one from the previous block.
    pub jump: f32,
}

/// The clocked host.
pub struct NullHost {
    /// The shell's main-thread half.
    pub shell: HotShell,
    /// Its audio-thread half, played through.
    pub processor: HotProcessor,
    block: AudioBlock,
    frames: usize,
    time: u64,
    next: Instant,
    last: f32,
    /// Allocations on this thread during `process`, over every block.
    pub allocations: u64,
}

impl NullHost {
    /// Activates `shell` for 64-sample stereo blocks at 48 kHz, on a thread raised to real-time priority
    /// where the system allows it (as a host's audio thread is); returns whether it was.
    pub fn new(shell: HotShell) -> (Self, bool) {
        Self::with_block(shell, BLOCK)
    }

    /// As [`NullHost::new`], with blocks of `frames` samples: the cadence of a host it is compared with.
    pub fn with_block(mut shell: HotShell, frames: usize) -> (Self, bool) {
        let realtime = thread_priority::set_thread_priority_and_policy(
            thread_priority::thread_native_id(),
            thread_priority::ThreadPriority::Crossplatform(80u8.try_into().expect("80 is a valid priority")),
            thread_priority::ThreadSchedulePolicy::Realtime(
                thread_priority::RealtimeThreadSchedulePolicy::Fifo,
            ),
        )
        .is_ok();
        let processor =
            shell.activate(ProcessConfig::stereo(RATE, frames), Continuity::Reset).expect("activate");
        let host = Self {
            shell,
            processor,
            block: AudioBlock::new(2, 2, frames),
            frames,
            time: 0,
            next: Instant::now(),
            last: 0.0,
            allocations: 0,
        };
        (host, realtime)
    }

    /// Waits for the next block's turn (asleep, then spinning for the last stretch, as a sound card's
    /// interrupt would wake it), then processes it.
    pub fn tick(&mut self) -> Tick {
        if let Some(asleep) = self.next.checked_duration_since(Instant::now() + SPIN) {
            std::thread::sleep(asleep);
        }
        while Instant::now() < self.next {
            std::hint::spin_loop();
        }
        self.next += Duration::from_secs_f64(self.frames as f64 / RATE);
        for channel in 0..2 {
            for (i, sample) in self.block.input_mut(channel).iter_mut().enumerate() {
                *sample = (((self.time + i as u64) as f64) * 440.0 * std::f64::consts::TAU / RATE).sin()
                    as f32
                    * 0.5;
            }
        }
        let before = self.build();
        let host = HostBlock { steady_time: Some(self.time), ..HostBlock::default() };
        let started = Instant::now();
        let (processor, block) = (&mut self.processor, &mut self.block);
        let ((), allocations) = count_allocations(|| {
            processor.process(&mut block.buffer(self.frames), &host);
        });
        let at = Instant::now();
        self.allocations += allocations;
        self.time += self.frames as u64;
        let mut jump = 0.0f32;
        let mut last = self.last;
        for &sample in self.block.output(0) {
            jump = jump.max((sample - last).abs());
            last = sample;
        }
        self.last = last;
        Tick { took: at - started, at, swapped: self.build() != before, jump }
    }

    /// The content hash of the build the processor runs.
    fn build(&self) -> Option<u64> {
        self.processor.library().map(|library| library.hash())
    }
}

impl Drop for NullHost {
    /// The thread goes back to normal scheduling for whatever the benchmark runs next.
    fn drop(&mut self) {
        let _ = thread_priority::set_thread_priority_and_policy(
            thread_priority::thread_native_id(),
            thread_priority::ThreadPriority::Crossplatform(0u8.try_into().expect("0 is a valid priority")),
            thread_priority::ThreadSchedulePolicy::Normal(thread_priority::NormalThreadSchedulePolicy::Other),
        );
    }
}
