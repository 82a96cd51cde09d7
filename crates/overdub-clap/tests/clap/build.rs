//! The example plugins as real `.clap` bundles, once per test run: static builds of every example, and a hot
//! build of the gain wrapper (which the hot tests point at fixture logic libraries).

use overdub_bundle::{BundleSpec, Format, Platform};
use overdub_testkit::{WrapperKind, bundle_once, example_plugin_library, plugin_target_dir};
use std::path::PathBuf;

pub use overdub_testkit::EXAMPLES;

fn bundle(example: &str, hot: bool) -> PathBuf {
    let mode = if hot { "hot" } else { "static" };
    bundle_once(&format!("clap/{mode}/{example}"), || {
        let library = example_plugin_library(WrapperKind::Clap, example, hot);
        let spec = BundleSpec {
            library: &library,
            name: &format!("overdub-{example}"),
            id: example,
            version: "0.1.0",
        };
        let out = plugin_target_dir(hot).join("bundle").join(mode);
        overdub_bundle::bundle(&spec, Format::Clap, &out, Platform::current()).expect("bundle")
    })
}

/// The static `.clap` of `example`.
pub fn static_plugin(example: &str) -> PathBuf {
    bundle(example, false)
}

/// The hot `.clap` of the gain wrapper.
pub fn hot_plugin() -> PathBuf {
    bundle("gain", true)
}
