//! The loader against real logic libraries built from `fixtures/`.

mod common;
mod errors;
mod panics;
mod reload;
