//! The real `overdub` binary, run as a user would.

mod bundle;
mod common;
mod dev;
mod errors;
mod fast_build;
mod new;
mod render;
