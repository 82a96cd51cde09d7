//! What each load cost, so reload latency and memory growth can be reported and bounded.

use crate::staging::StageMethod;
use std::time::Duration;

/// Time and memory spent loading one library version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadCost {
    /// Linking or copying to the private name, with hashing.
    pub stage: Duration,
    /// Reading the file's headers.
    pub check: Duration,
    /// The dynamic loader's work.
    pub open: Duration,
    /// Canary comparison and vtable probe.
    pub verify: Duration,
    /// How the private file was made.
    pub method: StageMethod,
    /// Size of the library file.
    pub file_bytes: u64,
    /// Memory the library's segments occupy while mapped (it stays mapped for the life of the process).
    pub mapped_bytes: u64,
}

impl LoadCost {
    /// Everything from the file to a verified library.
    pub fn total(&self) -> Duration {
        self.stage + self.check + self.open + self.verify
    }
}
