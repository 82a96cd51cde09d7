//! The real `overdub` binary, run as a user would.

mod bundle;
mod common;
mod dev;
mod errors;
mod new;
mod render;
