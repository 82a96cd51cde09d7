//! overdub's measures (DESIGN.md), run in one process and reported as figures and ratios beside their
//! targets: `cargo bench -p overdub-bench` and `overdub bench` run the same code.

mod build;
pub mod clap_host;
mod cost;
mod hot_clap;
mod load;
mod null_host;
pub mod overhead;
mod reload;
mod report;
mod stats;

pub use report::{Figure, Report};

/// Runs every benchmark and returns the report.
pub fn run() -> Report {
    let mut report = Report::default();
    load::run(&mut report);
    reload::run(&mut report);
    hot_clap::run(&mut report);
    overhead::run(&mut report);
    cost::run(&mut report);
    report
}
