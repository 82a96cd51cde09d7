//! The delay example as a VST3 plugin: `--features static` (the default) compiles the logic in;
//! `--no-default-features --features hot` loads `libdelay` and reloads it on every build. What hosts see
//! comes from `[package.metadata.overdub]` in `../Cargo.toml`, as for the CLAP plugin.

overdub_vst3::export_vst3!(delay::Delay);
