//! What each load cost, so reload latency and memory growth can be reported and bounded.

use std::time::Duration;

/// Time and memory spent loading one library version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadCost {
    /// Checking the file's structure and copying what is mapped into the private image, with hashing.
    pub stage: Duration,
    /// The dynamic loader's work.
    pub open: Duration,
    /// Canary comparison and vtable probe.
    pub verify: Duration,
    /// Size of the library file.
    pub file_bytes: u64,
    /// Bytes copied into the private image (what the dynamic loader maps, not the debug info).
    pub image_bytes: u64,
    /// Memory the library's segments occupy while mapped.
    pub mapped_bytes: u64,
}

impl LoadCost {
    /// Everything from the file to a verified library.
    pub fn total(&self) -> Duration {
        self.stage + self.open + self.verify
    }
}
