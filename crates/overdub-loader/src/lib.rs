//! The shell side of hot reloading: loads a logic library, proves it compatible, and swaps new builds in.
//!
//! All of overdub's `unsafe` for loading lives here. A library is staged under a private name
//! ([`staging`]), its structure checked before the dynamic loader sees it ([`integrity`]), mapped, and
//! verified by the ABI canary and the vtable probe before any Rust-ABI call ([`library`]). [`HotShell`] runs
//! it behind the same [`overdub_shell::Shell`] interface as a static build.

mod cost;
mod error;
mod hash;
mod hot_shell;
pub mod integrity;
pub mod library;
mod loader;
pub mod staging;

pub use cost::LoadCost;
pub use error::LoadError;
pub use hash::{hash_bytes, hash_reader};
pub use hot_shell::{HotShell, ReloadError, ReloadOutcome, Reloaded, StateCarry};
pub use library::LoadedLibrary;
pub use loader::{LoadOutcome, Loader};
