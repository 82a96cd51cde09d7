//! The overdub command line: `new`, `dev`, `render`, `bundle`, `bench` and `demo`.
//!
//! Both binaries (`overdub`, and `cargo-overdub` for `cargo overdub …`) parse a [`cli::Cli`] and call [`run`].

pub mod build;
pub mod cli;
pub mod commands;
pub mod devhost;
pub mod error;
pub mod listen;
pub mod logic;
pub mod logic_crate;
pub mod midi;
pub mod params;
pub mod phases;
pub mod plot;
pub mod repo;
pub mod report;
pub mod wav;

use cli::{Cli, Command};
pub use error::CliError;

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::New(args) => commands::new::run(&args),
        Command::Dev(args) => commands::dev::run(&args),
        Command::Render(args) => commands::render::run(&args),
        Command::Bundle(args) => commands::bundle::run(&args),
        Command::Bench(args) => commands::bench::run(&args),
        Command::Demo(args) => commands::demo::run(&args),
    }
}
