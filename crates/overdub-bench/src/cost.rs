//! What reloading costs the process over many reloads (memory, files left), and how fast a library is hashed.

use crate::build::release_library;
use crate::reload::write_variant;
use crate::report::Report;
use overdub_loader::{HotShell, ReloadOutcome};
use std::time::Instant;

/// Reloads for the memory measure.
const RELOADS: usize = 1000;

/// Runs both measures.
pub fn run(report: &mut Report) {
    reload_growth(report);
    hash_throughput(report);
}

fn rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn reload_growth(report: &mut Report) {
    let library = release_library("overdub-example-gain", "gain");
    let bytes = std::fs::read(&library).expect("read the gain library");
    let dir = library.parent().expect("libraries have a directory").join("overdub-bench-growth");
    std::fs::create_dir_all(&dir).expect("create the reload directory");
    let path = dir.join(overdub_testkit::dylib_file_name("gain-growth"));
    write_variant(&bytes, &path, "growth", 0);
    let mut shell = HotShell::load(&path).expect("load");
    let (_, mapped_before) = overdub_loader::library::mapped_totals();
    let rss_before = rss_bytes();
    for i in 1..=RELOADS {
        write_variant(&bytes, &path, "growth", i);
        let outcome = shell.reload().expect("reload");
        assert!(matches!(outcome, ReloadOutcome::Reloaded(_)), "build {i} is new");
    }
    let rss_growth = rss_bytes().saturating_sub(rss_before) as f64 / RELOADS as f64;
    let (_, mapped_after) = overdub_loader::library::mapped_totals();
    let mapped_growth = (mapped_after - mapped_before) as f64 / RELOADS as f64;
    drop(shell);
    let left = overdub_testkit::files_under(&dir).len().saturating_sub(1);
    let _ = std::fs::remove_dir_all(&dir);
    report.info(
        "cost.mapped_kib_per_reload",
        "library segments mapped per reload (kept, never unloaded)",
        mapped_growth / 1024.0,
        "KiB",
    );
    report.at_most(
        "cost.rss_beyond_code_kib_per_reload",
        &format!("RSS growth per reload beyond the library's mapping, over {RELOADS}"),
        (rss_growth - mapped_growth).max(0.0) / 1024.0,
        "KiB",
        1024.0,
    );
    report.info("cost.rss_kib_per_reload", "  RSS growth per reload, all of it", rss_growth / 1024.0, "KiB");
    report.at_most(
        "cost.temp_files_left",
        &format!("temp files left after {RELOADS} reloads"),
        left as f64,
        "",
        0.0,
    );
}

fn hash_throughput(report: &mut Report) {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let bytes: Vec<u8> = (0..50 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let best = (0..5)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(overdub_loader::hash_bytes(std::hint::black_box(&bytes)));
            started.elapsed()
        })
        .min()
        .expect("five rounds");
    report.at_least(
        "hash.gb_per_s",
        "content hash (xxh3) of a 50 MiB library",
        bytes.len() as f64 / best.as_secs_f64() / 1e9,
        "GB/s",
        5.0,
    );
}
