//! The delay example as a CLAP plugin: `--features static` (the default) compiles the logic in;
//! `--no-default-features --features hot` loads `libdelay` and reloads it on every build.

overdub_clap::export_clap! {
    logic: delay::Delay,
    description: overdub_clap::Description {
        id: "dev.overdub.examples.delay",
        name: "Overdub Delay",
        vendor: "overdub",
        version: env!("CARGO_PKG_VERSION"),
        description: "A feedback delay whose echoes survive reloads.",
        features: &[overdub_clap::features::AUDIO_EFFECT, overdub_clap::features::DELAY, overdub_clap::features::STEREO],
        audio: overdub_clap::AudioLayout::STEREO_EFFECT,
        note_input: false,
    },
}
