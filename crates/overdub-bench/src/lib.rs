//! overdub's measures (DESIGN.md), run in one process and reported as figures and ratios beside their
//! targets: `cargo bench -p overdub-bench` and `overdub bench` run the same code.

mod build;
pub mod clap_host;
mod cost;
mod editor;
mod hot_clap;
mod load;
mod null_host;
pub mod overhead;
mod reload;
mod report;
mod stats;

pub use report::{Figure, Report};

/// The measures, by name, in the order they run.
const MEASURES: [(&str, fn(&mut Report)); 6] = [
    ("load", load::run),
    ("reload", reload::run),
    ("hot_clap", hot_clap::run),
    ("overhead", overhead::run),
    ("cost", cost::run),
    ("editor", editor::run),
];

/// Runs every benchmark, or only those named in `OVERDUB_BENCH` (comma-separated, e.g. `editor,load`), and
/// returns the report.
pub fn run() -> Report {
    let only = std::env::var("OVERDUB_BENCH").ok();
    let wanted = |name: &str| only.as_deref().is_none_or(|only| only.split(',').any(|n| n.trim() == name));
    let mut report = Report::default();
    for (name, measure) in MEASURES {
        if wanted(name) {
            measure(&mut report);
        }
    }
    report
}
