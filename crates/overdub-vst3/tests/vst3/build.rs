//! The example plugins as real `.vst3` bundles, built and bundled once per test run by the test kit: static
//! builds of every example, and a hot build of the gain wrapper (which the hot tests point at fixture logic
//! libraries).

use overdub_testkit::{WrapperKind, example_bundle};
use std::path::PathBuf;

pub use overdub_testkit::EXAMPLES;

/// The static `.vst3` of `example`.
pub fn static_plugin(example: &str) -> PathBuf {
    example_bundle(WrapperKind::Vst3, example, false)
}

/// The hot `.vst3` of the gain wrapper.
pub fn hot_plugin() -> PathBuf {
    example_bundle(WrapperKind::Vst3, "gain", true)
}
