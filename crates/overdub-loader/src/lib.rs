//! The shell side of hot reloading: loads a logic library, proves it compatible, and swaps new builds in.
//!
//! All of overdub's `unsafe` for loading lives here. A library's structure is checked ([`integrity`]) and
//! what the dynamic loader maps is copied into a private, sealed image ([`staging`]), which is mapped and
//! verified by the ABI canary and the vtable probe before any Rust-ABI call ([`library`]). [`HotShell`] (main
//! thread) and its [`HotProcessor`] (audio thread) run it behind the same [`overdub_shell::Shell`] interface as
//! a static build; a worker thread per library path prepares each new build and the two sides speak the
//! reload protocol of one module.

mod cost;
mod crossfade;
mod error;
mod events;
mod hash;
mod hot_processor;
mod hot_shell;
mod instance;
pub mod integrity;
pub mod library;
mod loader;
mod no_logic;
mod prepare;
mod protocol;
mod report;
pub mod staging;
mod watch;
mod worker;

pub use cost::LoadCost;
pub use error::LoadError;
pub use events::{ReloadEvent, ReloadTimings, StateOutcome};
pub use hash::hash_bytes;
pub use hot_processor::HotProcessor;
pub use hot_shell::{HotOptions, HotShell, ReloadError};
pub use instance::Instance;
pub use library::LoadedLibrary;
pub use loader::{LoadOutcome, Loader};
pub use report::{LOGIC_ENV, Severity, following_line, library_path, report_line};
