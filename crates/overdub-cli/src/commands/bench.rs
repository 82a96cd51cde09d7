//! `overdub bench`: overdub's measures, each beside its target.

use crate::cli::BenchArgs;
use crate::error::CliError;

/// Runs every benchmark and prints the report.
pub fn run(args: &BenchArgs) -> Result<(), CliError> {
    eprintln!("running overdub's benchmarks (builds real logic libraries; takes a while)…");
    let report = overdub_bench::run();
    if args.json {
        print!("{}", report.json());
    } else {
        print!("{}", report.table());
    }
    Ok(())
}
