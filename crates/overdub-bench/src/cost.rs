//! What reloading costs the process over many reloads (memory, files left), and how fast a library is hashed.

use crate::build::{debug_size_build, release_library};
use crate::null_host::NullHost;
use crate::report::Report;
use overdub_loader::{HotOptions, HotShell};
use overdub_testkit::Build;
use std::path::Path;
use std::time::{Duration, Instant};

/// Reloads for the memory measure.
const RELOADS: usize = 1000;

/// Distinct rebuilds of a debug-size library in the long-session measure.
const LONG_SESSION_BUILDS: usize = 300;

/// Longest one reload may take before the measure gives up.
const RELOAD_PATIENCE: Duration = Duration::from_secs(20);

/// A watched shell played in real time, to which [`Rebuilds::next`] delivers one new build at a time the
/// way a linker does, waiting until it plays.
struct Rebuilds<'a> {
    build: &'a Build,
    path: &'a Path,
    purpose: &'static str,
    host: NullHost,
}

impl<'a> Rebuilds<'a> {
    fn start(build: &'a Build, path: &'a Path, purpose: &'static str) -> Self {
        build.link_variant(path, purpose, 0);
        let shell = HotShell::watch(path, HotOptions::default()).expect("the library loads");
        Self { build, path, purpose, host: NullHost::new(shell).0 }
    }

    /// Writes build `index` and plays until it runs.
    fn next(&mut self, index: usize) {
        let landed = self.build.link_variant(self.path, self.purpose, index);
        while !self.host.tick().swapped {
            assert!(landed.elapsed() < RELOAD_PATIENCE, "build {index} never started playing");
        }
    }
}

/// Runs the measures.
pub fn run(report: &mut Report) {
    reload_growth(report);
    long_session(report);
    hash_throughput(report);
}

/// RSS and image storage held after [`LONG_SESSION_BUILDS`] distinct rebuilds of a debug-size library, as
/// multiples of one build's mapped size: what a day of edits costs a host process.
fn long_session(report: &mut Report) {
    let build = debug_size_build();
    let dir = overdub_testkit::scratch_dir();
    let path = dir.path().join(overdub_testkit::dylib_file_name("long-session"));
    let mut rebuilds = Rebuilds::start(&build, &path, "session");
    let one_build = rebuilds.host.shell.library().expect("the first build loaded").cost().mapped_bytes as f64;
    let (rss_before, held_before) = (rss_bytes(), overdub_loader::library::held());
    for i in 1..=LONG_SESSION_BUILDS {
        rebuilds.next(i);
    }
    let rss = rss_bytes().saturating_sub(rss_before) as f64;
    let held = overdub_loader::library::held();
    let images = held.image_bytes.saturating_sub(held_before.image_bytes) as f64;
    drop(rebuilds);
    report.info(
        "session.build_mapped_mib",
        "one debug-size build's mapped size",
        one_build / f64::from(1 << 20),
        "MiB",
    );
    report.at_most(
        "session.rss_multiple",
        &format!("RSS grown over {LONG_SESSION_BUILDS} debug-size rebuilds, in builds' mapped sizes"),
        rss / one_build,
        "×",
        3.0,
    );
    report.at_most(
        "session.image_multiple",
        &format!("private images held after {LONG_SESSION_BUILDS} rebuilds, in builds' mapped sizes"),
        images / one_build,
        "×",
        3.0,
    );
    report.info("session.libraries_held", "  library versions still mapped", held.libraries as f64, "");
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
    let build = Build::new(std::fs::read(&library).expect("read the gain library"));
    let dir = library.parent().expect("libraries have a directory").join("overdub-bench-growth");
    std::fs::create_dir_all(&dir).expect("create the reload directory");
    let path = dir.join(overdub_testkit::dylib_file_name("gain-growth"));
    let mut rebuilds = Rebuilds::start(&build, &path, "growth");
    let mapped_before = overdub_loader::library::held().mapped_bytes;
    let rss_before = rss_bytes();
    for i in 1..=RELOADS {
        rebuilds.next(i);
    }
    let rss_growth = rss_bytes().saturating_sub(rss_before) as f64 / RELOADS as f64;
    let mapped_after = overdub_loader::library::held().mapped_bytes;
    let mapped_growth = (mapped_after - mapped_before) as f64 / RELOADS as f64;
    drop(rebuilds);
    let left = overdub_testkit::files_under(&dir).len().saturating_sub(1);
    let _ = std::fs::remove_dir_all(&dir);
    report.info(
        "cost.mapped_kib_per_reload",
        "library segments still mapped per reload (old builds are unloaded)",
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
