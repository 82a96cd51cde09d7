//! Reload latency, audio-thread stall and swap continuity: a watched shell playing in real time while new
//! builds land the way cargo places them (the old file removed, the new one linked in).

use crate::build::{debug_size_build, release_library};
use crate::null_host::NullHost;
use crate::report::Report;
use crate::stats::{ms, quantile};
use overdub_loader::{HotOptions, HotShell};
use overdub_testkit::Build;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Reloads measured per library size.
const RELOADS: usize = 50;

/// Blocks played between reloads, so each reload starts from steady state.
const SETTLE_BLOCKS: usize = 30;

/// Measures reload latency for the release gain library, and for a debug-size library (see
/// [`debug_size_build`]).
pub fn run(report: &mut Report) {
    let library = release_library("overdub-example-gain", "gain");
    let release = Build::new(std::fs::read(&library).expect("read the gain library"));
    // A cargo target directory (CACHEDIR.TAG), as a plugin author's build is.
    let dir = library.parent().expect("libraries have a directory").join("overdub-bench-reloads");
    std::fs::create_dir_all(&dir).expect("create the reload directory");

    measure(report, "release", &release, &dir, 5.0, 20.0);
    measure(report, "debug_size", &debug_size_build(), &dir, 25.0, f64::INFINITY);
    let _ = std::fs::remove_dir_all(&dir);
}

fn measure(report: &mut Report, tag: &str, build: &Build, dir: &Path, median_target: f64, p99_target: f64) {
    let path = dir.join(overdub_testkit::dylib_file_name(&format!("gain-{tag}")));
    build.link_variant(&path, "reload", 0);
    let shell = HotShell::watch(&path, HotOptions::default()).expect("the gain example loads");
    let (mut host, realtime) = NullHost::new(shell);
    report.info(
        &format!("reload.{tag}.realtime"),
        &format!("audio thread at real-time priority ({tag}; 1 = yes)"),
        f64::from(u8::from(realtime)),
        "",
    );

    let mut steady = Vec::new();
    let mut steady_jump = 0.0f32;
    for _ in 0..SETTLE_BLOCKS * 4 {
        let tick = host.tick();
        steady.push(tick.took);
        steady_jump = steady_jump.max(tick.jump);
    }

    // The new builds are written by another thread, as a linker in another process writes them, while this
    // one keeps playing.
    let (request, requests) = mpsc::channel::<usize>();
    let (landed, landings) = mpsc::channel::<Instant>();
    let writer = {
        let (build, path) = (build.clone(), path.clone()); // one copy, made before the measurement
        std::thread::spawn(move || {
            for index in requests {
                let _ = landed.send(build.link_variant(&path, "reload", index));
            }
        })
    };
    let mut latencies = Vec::with_capacity(RELOADS);
    let mut reloading = Vec::new();
    let mut linking = Vec::new();
    let mut swap_jump = 0.0f32;
    for i in 1..=RELOADS {
        request.send(i).expect("the writer runs");
        let mut written = None;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let tick = host.tick();
            // Blocks played while the new build is still being written measure the "linker" (another thread
            // here, another process in life), not the reload: they count from the moment it landed.
            if written.is_some() {
                reloading.push(tick.took);
            } else {
                linking.push(tick.took);
            }
            written = written.or_else(|| landings.try_recv().ok());
            if tick.swapped {
                let written = written.unwrap_or_else(|| landings.recv().expect("the writer reports"));
                latencies.push(tick.at.saturating_duration_since(written));
                swap_jump = swap_jump.max(tick.jump);
                break;
            }
            assert!(tick.at < deadline, "reload {i} of the {tag} library never arrived");
        }
        for _ in 0..SETTLE_BLOCKS {
            let tick = host.tick();
            steady.push(tick.took);
            steady_jump = steady_jump.max(tick.jump);
        }
    }
    drop(request);
    writer.join().expect("the writer thread");
    let mib = build.bytes.len() as f64 / (1 << 20) as f64;
    report.info(&format!("reload.{tag}.file_mib"), &format!("{tag} library size"), mib, "MiB");
    let image =
        host.shell.library().expect("the gain example loaded").cost().image_bytes as f64 / (1 << 20) as f64;
    report.info(
        &format!("reload.{tag}.image_mib"),
        "  of which mapped, so staged for each build",
        image,
        "MiB",
    );
    report.at_most(
        &format!("reload.{tag}.median_ms"),
        &format!("reload latency, {tag} library, median of {RELOADS}"),
        ms(quantile(&latencies, 0.5)),
        "ms",
        median_target,
    );
    let p99 = ms(quantile(&latencies, 0.99));
    let label = format!("reload latency, {tag} library, p99");
    if p99_target.is_finite() {
        report.at_most(&format!("reload.{tag}.p99_ms"), &label, p99, "ms", p99_target);
    } else {
        report.info(&format!("reload.{tag}.p99_ms"), &label, p99, "ms");
    }
    let worst = |times: &[Duration]| times.iter().max().copied().unwrap_or_default();
    report.at_most(
        &format!("reload.{tag}.stall_ratio"),
        &format!("worst block while reloading / worst steady ({tag})"),
        worst(&reloading).as_secs_f64() / worst(&steady).as_secs_f64(),
        "×",
        1.2,
    );
    report.info(
        &format!("reload.{tag}.worst_block_us"),
        &format!("  worst block while reloading ({tag}), of a 1333 µs budget"),
        worst(&reloading).as_secs_f64() * 1e6,
        "µs",
    );
    report.info(
        &format!("reload.{tag}.worst_linking_block_us"),
        &format!("  worst block while the new build was being written ({tag})"),
        worst(&linking).as_secs_f64() * 1e6,
        "µs",
    );
    report.info(
        &format!("reload.{tag}.worst_steady_block_us"),
        &format!("  worst steady block ({tag})"),
        worst(&steady).as_secs_f64() * 1e6,
        "µs",
    );
    report.at_most(
        &format!("reload.{tag}.allocations"),
        &format!("allocations on the audio thread ({tag}, all blocks)"),
        host.allocations as f64,
        "",
        0.0,
    );
    report.at_most(
        &format!("reload.{tag}.swap_jump_ratio"),
        &format!("largest sample jump at the swap / steady (sine through gain, {tag})"),
        f64::from(swap_jump / steady_jump),
        "×",
        1.5,
    );
}
