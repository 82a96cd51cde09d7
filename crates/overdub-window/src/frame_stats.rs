//! How long the editor's frames take, for the dev host's report and the benchmarks.

use std::time::Duration;

/// Frame times of one session: input to pixels on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameStats {
    /// Frames drawn.
    pub frames: u64,
    /// The last frame's time.
    pub last: Duration,
    /// The sum of all frames' times (with `frames`, the mean).
    pub total: Duration,
    /// The slowest frame.
    pub worst: Duration,
}

impl FrameStats {
    pub(crate) fn record(&mut self, took: Duration) {
        self.frames += 1;
        self.last = took;
        self.total += took;
        self.worst = self.worst.max(took);
    }

    /// The mean frame time.
    pub fn mean(&self) -> Duration {
        if self.frames == 0 { Duration::ZERO } else { self.total / self.frames as u32 }
    }
}
