//! Real CLAP plugins built from the examples, loaded and driven by a clack-host test host.

mod build;
mod host;
mod hot;
mod statics;
mod writes;
