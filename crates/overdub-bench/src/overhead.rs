//! What a shell costs per block: an example called bare, through the static shell, and through the hot shell
//! (one virtual call into the loaded library), for the gain and the delay.
//!
//! Each example is timed in a process of its own (the `overhead-gain` and `overhead-delay` binaries): a logic
//! crate linked in exports the loader's symbols, so two cannot share one binary.

use crate::build::{release_binary, release_library};
use crate::report::Report;
use overdub::{Identified, Params, Process};
use overdub_loader::HotShell;
use overdub_shell::{AudioBlock, Continuity, HostBlock, ProcessConfig, Shell, ShellProcessor, StaticShell};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// Samples processed per measurement, whatever the block size.
const SAMPLES: usize = 1 << 23;

/// Block sizes timed.
const BLOCKS: [usize; 3] = [32, 64, 512];

/// Times both examples, each in its own process, and reports them.
pub fn run(report: &mut Report) {
    for (name, package, lib) in
        [("gain", "overdub-example-gain", "gain"), ("delay", "overdub-example-delay", "delay")]
    {
        let library = release_library(package, lib);
        let timer = release_binary("overdub-bench", &format!("overhead-{name}"));
        let output =
            std::process::Command::new(&timer).arg(&library).output().expect("run the overhead timer");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let numbers: Vec<f64> = line.split_whitespace().filter_map(|n| n.parse().ok()).collect();
            let &[block, bare, fixed, hot] = numbers.as_slice() else { continue };
            record(report, name, block as usize, bare, fixed, hot);
        }
    }
}

fn record(report: &mut Report, name: &str, block: usize, bare_ns: f64, static_ns: f64, hot_ns: f64) {
    report.info(
        &format!("overhead.{name}.{block}.bare_ns"),
        &format!("{name}, {block}-sample block, bare"),
        bare_ns,
        "ns",
    );
    report.at_most(
        &format!("overhead.{name}.{block}.static_ratio"),
        &format!("{name}, {block}-sample block, static / bare"),
        static_ns / bare_ns,
        "×",
        1.01,
    );
    report.at_most(
        &format!("overhead.{name}.{block}.hot_minus_static_ns"),
        &format!("{name}, {block}-sample block, hot − static"),
        hot_ns - static_ns,
        "ns",
        20.0,
    );
}

/// Prints, per block size, nanoseconds per block for `T` called bare, through a static shell, and through a
/// hot shell running `library` (the same logic built as a library): the timer binaries' whole job.
pub fn print_timings<T: Identified>(library: &Path) {
    for block in BLOCKS {
        let (bare, fixed, hot) = time::<T>(library, block);
        println!("{block} {bare} {fixed} {hot}");
    }
}

fn time<T: Identified>(library: &Path, block: usize) -> (f64, f64, f64) {
    let config = ProcessConfig::stereo(48_000.0, block);
    let mut audio = AudioBlock::new(2, 2, block);
    let blocks = SAMPLES / block;

    // Bare: the author's `process` with its parameters kept current, as anything running the logic must.
    let mut bare = T::create();
    bare.reset(config.sample_rate, block);
    let mut params = T::Params::new();
    params.reset();
    let values: Vec<f64> = T::Params::INFOS.iter().map(|p| p.constrain(p.default)).collect();
    let bare_ns = per_block(blocks, || {
        params.begin_window(&values, block, config.sample_rate);
        let mut ctx = Process {
            buffer: audio.buffer(block),
            events: &[],
            params: &mut params,
            transport: None,
            sample_rate: config.sample_rate,
            sample_position: 0,
            display: &overdub::abi::display::DISCARDED,
        };
        black_box(bare.process(&mut ctx));
        params.end_window();
    });

    let mut fixed_shell = StaticShell::<T>::new().expect("create");
    let mut fixed = fixed_shell.activate(config, Continuity::Reset).expect("activate");
    let static_ns = per_block(blocks, || {
        black_box(fixed.process(&mut audio.buffer(block), &HostBlock::default()));
    });

    let mut hot_shell = HotShell::load(library).expect("load");
    let mut hot = hot_shell.activate(config, Continuity::Reset).expect("activate");
    let hot_ns = per_block(blocks, || {
        black_box(hot.process(&mut audio.buffer(block), &HostBlock::default()));
    });
    (bare_ns, static_ns, hot_ns)
}

/// Nanoseconds per call of `f`, best of five rounds of `blocks` calls.
fn per_block(blocks: usize, mut f: impl FnMut()) -> f64 {
    (0..5)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..blocks {
                f();
            }
            started.elapsed().as_secs_f64() * 1e9 / blocks as f64
        })
        .fold(f64::INFINITY, f64::min)
}
