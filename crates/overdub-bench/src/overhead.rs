//! What a shell costs per block: an example called bare, through the static shell, and through the hot shell
//! (one virtual call into the loaded library), for the gain and the delay.
//!
//! Times on a shared machine are noise at this scale (tens of nanoseconds), so each way is also run under
//! valgrind's callgrind, which counts the instructions it executes per block, the same on every run; the
//! targets are judged on those counts and the times reported beside them.
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

/// Blocks counted per callgrind run.
const COUNTED_BLOCKS: usize = 2000;

/// Instructions a nanosecond is taken to hold when the 20 ns target is judged in instructions: a
/// conservative 3 (one per cycle at 3 GHz), so the instruction target is never looser than the time one.
const INSTRUCTIONS_PER_NS: f64 = 3.0;

/// Times both examples, each in its own process, and counts their instructions per block under callgrind
/// (when valgrind is installed); the targets are judged on the counts, which repeat on a shared machine.
pub fn run(report: &mut Report) {
    let callgrind = callgrind_available();
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
            record_times(report, name, block as usize, [bare, fixed, hot]);
            if callgrind {
                let counts = Way::ALL.map(|way| instructions(&timer, &library, way, block as usize));
                record_counts(report, name, block as usize, counts);
            }
        }
    }
    if !callgrind {
        report.info(
            "overhead.instructions_counted",
            "instruction counts (valgrind not installed: 0)",
            0.0,
            "",
        );
    }
}

fn record_times(report: &mut Report, name: &str, block: usize, [bare, fixed, hot]: [f64; 3]) {
    let key = |what: &str| format!("overhead.{name}.{block}.{what}");
    let label = |what: &str| format!("{name}, {block}-sample block, {what}");
    report.info(&key("bare_ns"), &label("bare"), bare, "ns");
    report.info(&key("static_ratio"), &label("static / bare (time)"), fixed / bare, "×");
    report.info(&key("hot_minus_static_ns"), &label("hot − static (time)"), hot - fixed, "ns");
}

fn record_counts(report: &mut Report, name: &str, block: usize, [bare, fixed, hot]: [f64; 3]) {
    let key = |what: &str| format!("overhead.{name}.{block}.{what}");
    let label = |what: &str| format!("{name}, {block}-sample block, {what}");
    report.info(&key("bare_instructions"), &label("bare, instructions"), bare, "instr");
    report.at_most(
        &key("static_instruction_ratio"),
        &label("static / bare, instructions"),
        fixed / bare,
        "×",
        1.01,
    );
    report.at_most(
        &key("hot_minus_static_instructions"),
        &label("hot − static, instructions"),
        hot - fixed,
        "instr",
        20.0 * INSTRUCTIONS_PER_NS,
    );
}

/// Whether `valgrind` runs here.
fn callgrind_available() -> bool {
    std::process::Command::new("valgrind").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Instructions per block of `way` at `block` samples, as callgrind counts them inside [`counted_blocks`].
fn instructions(timer: &Path, library: &Path, way: Way, block: usize) -> f64 {
    let output = std::process::Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null", "--toggle-collect=*counted_blocks*"])
        .arg(timer)
        .arg(library)
        .args(["--count", way.name(), &block.to_string(), &COUNTED_BLOCKS.to_string()])
        .output()
        .expect("run valgrind");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "callgrind failed: {stderr}");
    let collected = stderr
        .lines()
        .find_map(|line| line.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse::<f64>().ok())
        .unwrap_or_else(|| panic!("callgrind reported no count: {stderr}"));
    collected / COUNTED_BLOCKS as f64
}

/// The timer binaries' whole job: with only a library argument, prints per block size nanoseconds per block
/// for `T` called bare, through a static shell, and through a hot shell running `library` (the same logic
/// built as a library); with `--count WAY BLOCK BLOCKS` after it, runs `WAY` (`bare`, `static` or `hot`)
/// for `BLOCKS` blocks inside [`counted_blocks`], for callgrind to count.
pub fn main<T: Identified>() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let library = Path::new(args.first().expect("usage: TIMER LIBRARY [--count WAY BLOCK BLOCKS]"));
    match args.get(1).map(String::as_str) {
        Some("--count") => {
            let way = Way::parse(&args[2]);
            let block: usize = args[3].parse().expect("a block size");
            let blocks: usize = args[4].parse().expect("a block count");
            let mut run = runner::<T>(way, library, block);
            for _ in 0..WARM_UP_BLOCKS {
                run();
            }
            counted_blocks(blocks, &mut *run);
        }
        _ => {
            for block in BLOCKS {
                let [bare, fixed, hot] = [Way::Bare, Way::Static, Way::Hot]
                    .map(|way| per_block(SAMPLES / block, runner::<T>(way, library, block)));
                println!("{block} {bare} {fixed} {hot}");
            }
        }
    }
}

/// Blocks run before counting (first calls, lazy set-up).
const WARM_UP_BLOCKS: usize = 200;

/// How a block is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Way {
    Bare,
    Static,
    Hot,
}

impl Way {
    const ALL: [Way; 3] = [Way::Bare, Way::Static, Way::Hot];

    fn parse(name: &str) -> Self {
        match name {
            "bare" => Self::Bare,
            "static" => Self::Static,
            "hot" => Self::Hot,
            other => panic!("no way `{other}`"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Bare => "bare",
            Self::Static => "static",
            Self::Hot => "hot",
        }
    }
}

/// One block of `T` run `way`, as a closure owning everything it runs.
fn runner<T: Identified>(way: Way, library: &Path, block: usize) -> Box<dyn FnMut()> {
    let config = ProcessConfig::stereo(48_000.0, block);
    let mut audio = AudioBlock::new(2, 2, block);
    match way {
        // The author's `process` with its parameters kept current, as anything running the logic must.
        Way::Bare => {
            let mut bare = T::create();
            bare.reset(config.sample_rate, block);
            let mut params = T::Params::new();
            params.reset();
            let values: Vec<f64> = T::Params::INFOS.iter().map(|p| p.constrain(p.default)).collect();
            Box::new(move || {
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
            })
        }
        Way::Static => {
            let mut control = StaticShell::<T>::new().expect("create");
            let mut fixed = control.activate(config, Continuity::Reset).expect("activate");
            Box::new(move || {
                let _control = &control;
                black_box(fixed.process(&mut audio.buffer(block), &HostBlock::default()));
            })
        }
        Way::Hot => {
            let mut control = HotShell::load(library).expect("load");
            let mut hot = control.activate(config, Continuity::Reset).expect("activate");
            Box::new(move || {
                let _control = &control;
                black_box(hot.process(&mut audio.buffer(block), &HostBlock::default()));
            })
        }
    }
}

/// Runs `run` `blocks` times: the only function callgrind counts in (`--toggle-collect`), so the count is
/// the blocks' and nothing else's.
#[inline(never)]
pub fn counted_blocks(blocks: usize, run: &mut dyn FnMut()) {
    for _ in 0..blocks {
        run();
    }
}

/// Nanoseconds per call of `f`, best of five rounds of `blocks` calls.
fn per_block(blocks: usize, mut f: Box<dyn FnMut()>) -> f64 {
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
