//! Time to load a library: check and stage its private image, map, verify, create; and what staging costs
//! per MiB of image.

use crate::build::{debug_size_build, release_library};
use crate::report::Report;
use crate::stats::{ms, quantile};
use overdub_loader::{LoadCost, Loader};
use overdub_testkit::Build;
use std::path::Path;
use std::time::{Duration, Instant};

const LOADS: usize = 20;

/// Loads `LOADS` distinct builds (see [`Build`]) of the release gain example and of a debug-size library,
/// each a real load: staged, mapped and verified anew.
pub fn run(report: &mut Report) {
    let library = release_library("overdub-example-gain", "gain");
    let release = Build::new(std::fs::read(&library).expect("read the gain library"));
    let dir = overdub_testkit::scratch_dir();
    measure(report, "gain", "release gain", &release, dir.path());
    measure(report, "debug_size", "debug-size (120 MiB)", &debug_size_build(), dir.path());
}

fn measure(report: &mut Report, tag: &str, what: &str, build: &Build, dir: &Path) {
    let (times, costs) = load_variants(build, dir, tag);
    let last = costs.last().expect("LOADS > 0");
    let mib = |bytes: u64| bytes as f64 / (1 << 20) as f64;
    report.info(
        &format!("load.{tag}.file_mib"),
        &format!("{what} library size"),
        mib(last.file_bytes),
        "MiB",
    );
    report.info(
        &format!("load.{tag}.image_mib"),
        "  of which mapped, so copied into the private image",
        mib(last.image_bytes),
        "MiB",
    );
    report.info(
        &format!("load.{tag}.median_ms"),
        &format!("load {what}, median of {LOADS}"),
        ms(quantile(&times, 0.5)),
        "ms",
    );
    let stages: Vec<Duration> = costs.iter().map(|c| c.stage).collect();
    let stage = quantile(&stages, 0.5);
    report.info(
        &format!("load.{tag}.stage_ms"),
        "  of which staging (check, copy, hash, seal)",
        ms(stage),
        "ms",
    );
    report.info(
        &format!("load.{tag}.stage_ms_per_mib"),
        "  staging cost per MiB of image",
        ms(stage) / mib(last.image_bytes),
        "ms/MiB",
    );
    let opens: Vec<Duration> = costs.iter().map(|c| c.open).collect();
    report.info(&format!("load.{tag}.open_ms"), "  of which dlopen", ms(quantile(&opens, 0.5)), "ms");
}

/// Loads `LOADS` variants written into `dir`; returns each load's time and cost.
fn load_variants(build: &Build, dir: &Path, tag: &str) -> (Vec<Duration>, Vec<LoadCost>) {
    let path = dir.join(overdub_testkit::dylib_file_name(&format!("load-{tag}")));
    let mut times = Vec::with_capacity(LOADS);
    let mut costs = Vec::with_capacity(LOADS);
    for i in 0..LOADS {
        build.write_variant(&path, "load", i);
        let started = Instant::now();
        let loaded = Loader::new(&path).load().expect("the library loads");
        drop(loaded.create().expect("the library creates"));
        times.push(started.elapsed());
        costs.push(*loaded.cost());
    }
    (times, costs)
}
