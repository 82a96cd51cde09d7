//! overdub's measures (DESIGN.md), run in one process and reported as figures and ratios beside their
//! targets: `cargo bench -p overdub-bench` and `overdub bench` run the same code.

mod build;
mod load;
mod report;
mod stats;

pub use report::{Figure, Report};

/// Runs every benchmark and returns the report.
pub fn run() -> Report {
    let mut report = Report::default();
    load::run(&mut report);
    report
}
