//! The logic's tail, shared between a plugin's threads.

use std::sync::atomic::{AtomicU64, Ordering};

/// The tail a block's status reported, readable and writable from any thread without a lock, since hosts ask
/// for it from any thread, even while a block is processed: samples, or [`AtomicTail::INFINITE`] for a logic
/// that asked to be kept alive.
pub struct AtomicTail(AtomicU64);

impl AtomicTail {
    /// The encoding of an endless tail.
    const INFINITE: u64 = u64::MAX;

    /// No tail, as before the first block.
    pub fn new() -> Self {
        Self(AtomicU64::new(0))
    }

    fn encode(status: overdub_abi::ProcessStatus) -> u64 {
        match status {
            overdub_abi::ProcessStatus::Normal => 0,
            overdub_abi::ProcessStatus::Tail { samples } => u64::from(samples),
            overdub_abi::ProcessStatus::KeepAlive => Self::INFINITE,
        }
    }

    /// Samples of tail, `None` for an endless one.
    pub fn load(&self) -> Option<u32> {
        match self.0.load(Ordering::Relaxed) {
            Self::INFINITE => None,
            samples => Some(samples as u32),
        }
    }

    /// Records the tail `status` reports. Real-time safe.
    pub fn store(&self, status: overdub_abi::ProcessStatus) {
        self.0.store(Self::encode(status), Ordering::Relaxed);
    }
}

impl Default for AtomicTail {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_survive_the_atomic() {
        use overdub_abi::ProcessStatus as Status;
        let atomic = AtomicTail::new();
        assert_eq!(atomic.load(), Some(0), "no tail before the first block");
        for (status, tail) in [
            (Status::Normal, Some(0)),
            (Status::Tail { samples: 48_000 }, Some(48_000)),
            (Status::Tail { samples: u32::MAX }, Some(u32::MAX)),
            (Status::KeepAlive, None),
        ] {
            atomic.store(status);
            assert_eq!(atomic.load(), tail, "{status:?}");
        }
    }
}
