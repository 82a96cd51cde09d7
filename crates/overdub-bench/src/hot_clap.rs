//! Reload latency where a plugin author hears it: the hot `.clap` of the gain example, as `overdub bundle`
//! builds it, in a CLAP host playing 128-frame blocks at 48 kHz while new builds of its logic land, beside the
//! dev host (a [`HotShell`] on the null device) with the same builds at the same cadence.
//!
//! Both hosts play side by side on one real-time thread, block for block, and the builds land for each in
//! turn, so the two see the same machine: on a shared machine, minutes apart, they would not. Each build
//! lands as cargo puts it in place, and the latency runs from that moment to the end of the first block the
//! new code played. To hear the new code from outside the plugin, each host's builds alternate between two
//! logics whose output differs (the tone fixture without a bias and with one of 0.5), each stamped as a
//! distinct build.

use crate::build::{debug_size_build_of, hot_bundle};
use crate::clap_host::ClapHost;
use crate::null_host::{NullHost, RATE};
use crate::report::Report;
use crate::stats::{ms, quantile};
use overdub_loader::{HotOptions, HotShell, ReloadEvent};
use overdub_testkit::Build;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Samples per block, as a DAW commonly runs.
const BLOCK: usize = 128;

/// The size of a release build of the gain example (4.3 MiB): what the tone fixtures' dev builds (0.6 MiB)
/// are grown to, with data after everything they map, where a release build keeps its line tables.
const RELEASE_SIZE: usize = 4 << 20;

/// What the two logics a host's builds alternate between output for an input of 1: a bias of 0, then 0.5.
const OUTPUTS: [f32; 2] = [1.0, 1.5];

/// The variable a hot plugin reads its logic library's path from (`overdub_clap::hot::LOGIC_ENV`).
const LOGIC_ENV: &str = "OVERDUB_LOGIC";

/// Blocks played between reloads, so each reload starts from steady state.
const SETTLE_BLOCKS: usize = 30;

/// Longest a build may take to be heard before the benchmark gives up.
const GIVE_UP: Duration = Duration::from_secs(20);

/// The reload phases, as the plugin logs them and [`overdub_loader::ReloadTimings`] holds them.
const PHASES: [&str; 4] = ["settle", "load", "prepare", "swap"];

/// The hosts, by their index in the pairs below.
const PLUGIN: usize = 0;
const DEV_HOST: usize = 1;
const HOSTS: [&str; 2] = ["plugin", "dev-host"];

/// One size of library measured.
struct Case {
    tag: &'static str,
    what: &'static str,
    /// The two logics each host's builds alternate between (outputting [`OUTPUTS`]).
    builds: [Build; 2],
    /// Builds landed for each host.
    reloads: usize,
    median_target: f64,
    p99_target: Option<f64>,
}

/// What one host measured.
struct Measured {
    latencies: Vec<Duration>,
    /// Each reload's phases in milliseconds, in [`PHASES`] order.
    phases: Vec<[f64; 4]>,
}

/// What one case's run measured.
struct Run {
    /// The plugin's, then the dev host's.
    hosts: [Measured; 2],
    /// Whether their thread ran at real-time priority.
    realtime: bool,
    /// Bytes of each build the loader maps, so stages.
    image_bytes: u64,
}

/// Measures the hot plugin beside the dev host, for a release-size and a debug-size library.
pub fn run(report: &mut Report) {
    let bundle = hot_bundle("gain");
    let padded = |fixture| {
        let bytes = std::fs::read(overdub_testkit::fixture(fixture)).expect("read the tone fixture");
        Build::new(bytes).padded(RELEASE_SIZE)
    };
    // A cargo target directory, as a plugin author's builds are written into.
    let dir =
        bundle.ancestors().nth(2).expect("bundles are in <target>/bundle").join("overdub-bench-hot-clap");
    let cases = [
        Case {
            tag: "release",
            what: "release-size",
            builds: [padded("tone"), padded("tone_v2")],
            reloads: 100,
            median_target: 5.0,
            p99_target: Some(20.0),
        },
        Case {
            tag: "debug_size",
            what: "debug-size",
            builds: [debug_size_build_of("heavy"), debug_size_build_of("heavy_v2")],
            reloads: 40,
            median_target: 25.0,
            p99_target: None,
        },
    ];
    for case in &cases {
        let run = measure(&bundle, &dir, case);
        record(report, case, &run);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Plays the hot plugin and the dev host side by side while the case's builds land for each in turn.
fn measure(bundle: &Path, dir: &Path, case: &Case) -> Run {
    // A directory each, so that one host's landings are no file events for the other's watcher.
    let paths = HOSTS.map(|host| {
        let host_dir = dir.join(host);
        std::fs::create_dir_all(&host_dir).expect("create the reload directory");
        host_dir.join(overdub_testkit::dylib_file_name(case.tag))
    });
    let purposes = HOSTS.map(|host| format!("hot-clap-{}-{host}", case.tag));
    for (path, purpose) in paths.iter().zip(&purposes) {
        case.builds[0].link_variant(path, purpose, 0);
    }
    // SAFETY: the plugin reads its library path from the environment when it is created, just below; no other
    // thread of the benchmark reads or writes the environment meanwhile.
    unsafe { std::env::set_var(LOGIC_ENV, &paths[PLUGIN]) };
    let mut plugin = ClapHost::start(bundle, RATE, BLOCK);
    let (events, received) = mpsc::channel();
    let options = HotOptions { events: Some(events), ..HotOptions::default() };
    let shell = HotShell::watch(&paths[DEV_HOST], options).expect("the first build loads");
    // The dev host's clock paces both. It raises this thread to real-time priority only now, so the threads the
    // plugin and the shell started run at normal priority, as those a DAW's main thread creates do.
    let (mut dev_host, realtime) = NullHost::with_block(shell, BLOCK);
    assert_eq!(plugin.block(1.0), OUTPUTS[0], "the plugin runs the first build; log: {:?}", plugin.log());
    let [plugin_latencies, dev_latencies] = land_builds(case, &paths, &purposes, |host, build| {
        let tick = dev_host.tick();
        let output = plugin.block(1.0);
        match host {
            PLUGIN => (Instant::now(), output == OUTPUTS[build % 2]),
            _ => (tick.at, tick.swapped),
        }
    });
    let image_bytes = dev_host.shell.library().expect("the first build loaded").cost().image_bytes;
    drop(dev_host);
    let log = plugin.log();
    let plugin_phases: Vec<[f64; 4]> = log.iter().filter_map(|line| logged_phases(line)).collect();
    assert_eq!(plugin_phases.len(), case.reloads, "one logged reload per build; log: {log:?}");
    let dev_phases = received
        .try_iter()
        .filter_map(|event| match event {
            ReloadEvent::Swapped { timings, .. } => {
                Some([timings.settle, timings.load, timings.prepare, timings.swap].map(ms))
            }
            _ => None,
        })
        .collect();
    let hosts = [
        Measured { latencies: plugin_latencies, phases: plugin_phases },
        Measured { latencies: dev_latencies, phases: dev_phases },
    ];
    Run { hosts, realtime, image_bytes }
}

/// Lands `case.reloads` builds for each host in turn, from another thread, as cargo in another process puts
/// them in place ([`Build::link_variant`]), while `play` plays blocks: `play(host, build)` plays one block on both and says when `host`'s
/// finished and whether `host` played it with the code of its build number `build`. Returns each host's
/// latencies from a build's landing to its first block.
fn land_builds(
    case: &Case,
    paths: &[PathBuf; 2],
    purposes: &[String; 2],
    mut play: impl FnMut(usize, usize) -> (Instant, bool),
) -> [Vec<Duration>; 2] {
    std::thread::scope(|scope| {
        let (request, requests) = mpsc::channel::<(usize, usize)>();
        let (landed, landings) = mpsc::channel::<Instant>();
        scope.spawn(move || {
            for (host, build) in requests {
                std::thread::sleep(landing_delay(build));
                let landing = case.builds[build % 2].link_variant(&paths[host], &purposes[host], build);
                let _ = landed.send(landing);
            }
        });
        let mut latencies = [Vec::with_capacity(case.reloads), Vec::with_capacity(case.reloads)];
        for build in 1..=case.reloads {
            for host in [PLUGIN, DEV_HOST] {
                request.send((host, build)).expect("the writer runs");
                let mut written = None;
                let give_up = Instant::now() + GIVE_UP;
                loop {
                    let (at, heard) = play(host, build);
                    written = written.or_else(|| landings.try_recv().ok());
                    if heard {
                        let written = written.unwrap_or_else(|| landings.recv().expect("the writer reports"));
                        latencies[host].push(at.saturating_duration_since(written));
                        break;
                    }
                    let who = HOSTS[host];
                    assert!(at < give_up, "{who}: build {build} of the {} library was never heard", case.tag);
                }
                for _ in 0..SETTLE_BLOCKS {
                    play(host, build);
                }
            }
        }
        latencies
    })
}

/// How long after a block build `build` starts being written: spread evenly over a block period (in
/// golden-ratio steps), since a linker finishing knows nothing of the audio clock, and a build that always
/// landed at the same point between blocks would always wait the same time for its first one.
fn landing_delay(build: usize) -> Duration {
    let phase = (build as f64 * 0.618_033_988_749_895).fract();
    Duration::from_secs_f64(phase * BLOCK as f64 / RATE)
}

/// The phases in a reload line the hot plugin logs, `… (settle 0.01 · load 1.20 · prepare 0.30 · swap 0.90
/// ms) …`, in milliseconds.
fn logged_phases(line: &str) -> Option<[f64; 4]> {
    let (_, timings) = line.split_once("new build running after ")?;
    let mut phases = [0.0; 4];
    for (value, phase) in phases.iter_mut().zip(PHASES) {
        let (_, rest) = timings.split_once(&format!("{phase} "))?;
        *value = rest.split([' ', ')']).next()?.parse().ok()?;
    }
    Some(phases)
}

/// The median of each phase.
fn median_phases(phases: &[[f64; 4]]) -> [f64; 4] {
    std::array::from_fn(|i| {
        let mut values: Vec<f64> = phases.iter().map(|p| p[i]).collect();
        values.sort_unstable_by(f64::total_cmp);
        values.get(values.len().saturating_sub(1) / 2).copied().unwrap_or(f64::NAN)
    })
}

fn record(report: &mut Report, case: &Case, run: &Run) {
    let key = |name: &str| format!("hot_clap.{}.{name}", case.tag);
    let mib = |bytes: u64| bytes as f64 / (1 << 20) as f64;
    let (what, n) = (case.what, case.reloads);
    let [plugin, dev_host] = &run.hosts;
    let file = mib(case.builds[0].bytes.len() as u64);
    report.info(&key("file_mib"), &format!("hot .clap reloads: {what} library size"), file, "MiB");
    let image = mib(run.image_bytes);
    report.info(&key("image_mib"), "  of which mapped, so staged for each build", image, "MiB");
    report.info(
        &key("realtime"),
        &format!("  audio thread at real-time priority ({}; 1 = yes)", case.tag),
        f64::from(u8::from(run.realtime)),
        "",
    );
    let median = ms(quantile(&plugin.latencies, 0.5));
    report.at_most(
        &key("median_ms"),
        &format!("reload through the hot .clap, {what} library, landing → first new block, median of {n}"),
        median,
        "ms",
        case.median_target,
    );
    let p99 = ms(quantile(&plugin.latencies, 0.99));
    let p99_label = format!("reload through the hot .clap, {what} library, p99");
    match case.p99_target {
        Some(target) => report.at_most(&key("p99_ms"), &p99_label, p99, "ms", target),
        None => report.info(&key("p99_ms"), &p99_label, p99, "ms"),
    }
    for (phase, value) in PHASES.iter().zip(median_phases(&plugin.phases)) {
        let label = format!("  of which {phase} (median, from the plugin's log)");
        report.info(&key(&format!("{phase}_ms")), &label, value, "ms");
    }
    let dev_median = ms(quantile(&dev_host.latencies, 0.5));
    report.info(
        &key("dev_host_median_ms"),
        &format!("the dev host beside it, same builds and cadence, {what} library, median of {n}"),
        dev_median,
        "ms",
    );
    report.info(
        &key("dev_host_p99_ms"),
        "  the dev host, p99",
        ms(quantile(&dev_host.latencies, 0.99)),
        "ms",
    );
    for (phase, value) in PHASES.iter().zip(median_phases(&dev_host.phases)) {
        let label = format!("  of which {phase} (median, from its reload events)");
        report.info(&key(&format!("dev_host_{phase}_ms")), &label, value, "ms");
    }
    report.at_most(
        &key("ratio"),
        &format!("hot .clap / dev host reload latency, {what} library, medians"),
        median / dev_median,
        "×",
        1.2,
    );
}
