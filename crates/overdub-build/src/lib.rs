//! A plugin's identity, written once in its logic crate's `Cargo.toml`:
//!
//! ```toml
//! [package.metadata.overdub]
//! id = "com.example.my-delay"        # stable: hosts and saved state know the plugin by it
//! name = "My Delay"
//! vendor = "Example Audio"           # optional
//! description = "A feedback delay."  # optional: defaults to the package description
//! features = ["audio-effect", "delay", "stereo"]   # CLAP feature tags, VST3 sub-categories; optional
//! instrument = false                 # takes notes, no audio input (default false)
//! inputs = 2                         # main input channels (default 2, or 0 for an instrument)
//! outputs = 2                        # main output channels (default 2)
//! ```
//!
//! Read by the `overdub` crate's export macro (the logic's id and name), by the build scripts of the CLAP and
//! VST3 wrappers through [`clap_wrapper`] and [`vst3_wrapper`] (everything, without compiling or linking the
//! logic, so a hot plugin knows what it is before its library exists), and by the `overdub` command.

mod manifest;
mod wrapper;

pub use manifest::{ManifestError, PluginManifest};
pub use wrapper::{LOGIC_PROFILE_ENV, clap_wrapper, description_source, logic_crate_of, vst3_wrapper};
