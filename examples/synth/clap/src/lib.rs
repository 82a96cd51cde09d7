//! The synth example as a CLAP plugin: `--features static` (the default) compiles the logic in;
//! `--no-default-features --features hot` loads `libsynth` and reloads it on every build.

overdub_clap::export_clap! {
    logic: synth::Synth,
    description: overdub_clap::Description {
        id: "dev.overdub.examples.synth",
        name: "Overdub Synth",
        vendor: "overdub",
        version: env!("CARGO_PKG_VERSION"),
        description: "A 16-voice saw synth.",
        features: &[overdub_clap::features::INSTRUMENT, overdub_clap::features::SYNTHESIZER, overdub_clap::features::STEREO],
        audio: overdub_clap::AudioLayout::STEREO_INSTRUMENT,
        note_input: true,
    },
}
