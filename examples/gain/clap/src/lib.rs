//! The gain example as a CLAP plugin: `--features static` (the default) compiles the logic in;
//! `--no-default-features --features hot` loads `libgain` and reloads it on every build.

overdub_clap::export_clap! {
    logic: gain::Gain,
    description: overdub_clap::Description {
        id: "dev.overdub.examples.gain",
        name: "Overdub Gain",
        vendor: "overdub",
        version: env!("CARGO_PKG_VERSION"),
        description: "A smoothed gain in decibels.",
        features: &[overdub_clap::features::AUDIO_EFFECT, overdub_clap::features::STEREO],
        audio: overdub_clap::AudioLayout::STEREO_EFFECT,
        note_input: false,
    },
}
