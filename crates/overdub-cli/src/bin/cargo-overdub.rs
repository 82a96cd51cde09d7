//! `cargo overdub …`: cargo runs this binary with `overdub` as its first argument, which is dropped here.

use clap::{CommandFactory, FromArgMatches};
use overdub_cli::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(code) = overdub_cli::build::record::run_as_wrapper() {
        return code;
    }
    let args =
        std::env::args_os().enumerate().filter(|(i, arg)| !(*i == 1 && arg == "overdub")).map(|(_, arg)| arg);
    let matches = Cli::command().bin_name("cargo overdub").get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    match overdub_cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {:#}", anyhow::Error::from(error));
            ExitCode::FAILURE
        }
    }
}
