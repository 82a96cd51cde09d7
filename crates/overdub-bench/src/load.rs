//! Time to load a library: stage, check, map, verify, create.

use crate::build::release_library;
use crate::report::Report;
use crate::stats::{ms, quantile};
use overdub_loader::{LoadCost, Loader};
use std::path::Path;
use std::time::{Duration, Instant};

const LOADS: usize = 20;

/// Loads the release gain example `LOADS` times from a cargo target directory (staged by hard link, as every
/// cargo build is) and `LOADS` times from a plain directory (staged by copy). Each load is a distinct file (a
/// unique trailer after the ELF image, which the loader ignores), so every load maps and verifies a new
/// library instead of reusing a mapped one.
pub fn run(report: &mut Report) {
    let library = release_library("overdub-example-gain", "gain");
    let bytes = std::fs::read(&library).expect("read the gain library");
    report.info(
        "load.gain.file_mib",
        "gain library size (release)",
        bytes.len() as f64 / (1 << 20) as f64,
        "MiB",
    );

    let in_target = library.parent().expect("libraries have a directory").join("overdub-bench-loads");
    std::fs::create_dir_all(&in_target).expect("create the load directory");
    let (linked, cost) = load_variants(&bytes, &in_target, "linked");
    let _ = std::fs::remove_dir_all(&in_target);
    report.info(
        "load.gain.linked.median_ms",
        "load gain from a cargo target dir (hard link), median of 20",
        ms(quantile(&linked, 0.5)),
        "ms",
    );
    report.info("load.gain.linked.stage_ms", "  of which staging (link + hash)", ms(cost.stage), "ms");
    report.info("load.gain.linked.open_ms", "  of which dlopen", ms(cost.open), "ms");

    let plain = overdub_testkit::scratch_dir();
    let (copied, cost) = load_variants(&bytes, plain.path(), "copied");
    report.info(
        "load.gain.copied.median_ms",
        "load gain from a plain dir (copy), median of 20",
        ms(quantile(&copied, 0.5)),
        "ms",
    );
    report.info("load.gain.copied.stage_ms", "  of which staging (copy + hash)", ms(cost.stage), "ms");
}

/// Loads `LOADS` variants written into `dir`; returns each load's time and the last load's cost breakdown.
fn load_variants(bytes: &[u8], dir: &Path, tag: &str) -> (Vec<Duration>, LoadCost) {
    let mut times = Vec::with_capacity(LOADS);
    let mut last = None;
    for i in 0..LOADS {
        let path = dir.join(overdub_testkit::dylib_file_name(&format!("gain-{tag}-{i}")));
        let mut variant = bytes.to_vec();
        variant.extend_from_slice(format!("overdub-bench-load-{tag}-{}-{i}", std::process::id()).as_bytes());
        std::fs::write(&path, variant).expect("write variant");
        let started = Instant::now();
        let loaded = Loader::new(&path).load().expect("the gain example loads");
        drop(loaded.create().expect("the gain example creates"));
        times.push(started.elapsed());
        last = Some(*loaded.cost());
        let _ = std::fs::remove_file(&path);
    }
    (times, last.expect("LOADS > 0"))
}
