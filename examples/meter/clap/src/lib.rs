//! The meter example as a CLAP plugin: `--features static` (the default) compiles the logic in;
//! `--no-default-features --features hot` loads `libmeter` and reloads it on every build. What hosts see
//! comes from `[package.metadata.overdub]` in `../Cargo.toml`.

overdub_clap::export_clap!(meter::Meter);
