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
mod save_to_sound;
mod stats;

pub use report::{Figure, Report};

/// One measure: it adds its figures to the report.
type Measure = fn(&mut Report);

/// The measures, by name.
const MEASURES: [(&str, Measure); 7] = [
    ("load", load::run),
    ("reload", reload::run),
    ("hot_clap", hot_clap::run),
    ("overhead", overhead::run),
    ("cost", cost::run),
    ("save_to_sound", save_to_sound::run),
    ("editor", editor::run),
];

/// Runs every benchmark, or those `OVERDUB_BENCH` names (comma-separated, e.g. `save_to_sound,overhead`, for a
/// quicker look at one measure), and returns the report.
pub fn run() -> Report {
    let only = std::env::var("OVERDUB_BENCH").ok();
    let wanted = |name: &str| only.as_deref().is_none_or(|list| list.split(',').any(|n| n.trim() == name));
    let mut report = Report::default();
    for (name, measure) in MEASURES {
        if wanted(name) {
            measure(&mut report);
        }
    }
    report
}
