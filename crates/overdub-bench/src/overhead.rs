//! What a shell costs per block: the gain example called bare, through the static shell, and through the hot
//! shell (one virtual call into the loaded library).

use crate::build::release_library;
use crate::report::Report;
use gain::Gain;
use overdub_abi::{ParamValues, PluginLogic, Process};
use overdub_loader::HotShell;
use overdub_shell::{AudioBlock, HostBlock, ProcessConfig, Shell, StaticShell};
use std::hint::black_box;
use std::time::Instant;

/// Samples processed per measurement, whatever the block size.
const SAMPLES: usize = 1 << 23;

/// Runs the three ways at 32, 64 and 512-sample blocks.
pub fn run(report: &mut Report) {
    let library = release_library("overdub-example-gain", "gain");
    for block in [32, 64, 512] {
        let config = ProcessConfig::stereo(48_000.0, block);
        let mut audio = AudioBlock::new(2, 2, block);
        let blocks = SAMPLES / block;

        let mut bare = Gain::create();
        bare.reset(config.sample_rate, block);
        let values = [0.0];
        let bare_ns = per_block(blocks, || {
            let mut ctx = Process {
                buffer: audio.buffer(block),
                events: &[],
                params: ParamValues::new(&values),
                transport: None,
                sample_rate: config.sample_rate,
                sample_position: 0,
            };
            black_box(bare.process(&mut ctx));
        });

        let mut fixed = StaticShell::<Gain>::new().expect("create");
        fixed.activate(config).expect("activate");
        let static_ns = per_block(blocks, || {
            black_box(fixed.process(&mut audio.buffer(block), &HostBlock::default()));
        });

        let mut hot = HotShell::load(&library).expect("load");
        hot.activate(config).expect("activate");
        let hot_ns = per_block(blocks, || {
            black_box(hot.process(&mut audio.buffer(block), &HostBlock::default()));
        });

        report.info(
            &format!("overhead.gain.{block}.bare_ns"),
            &format!("gain, {block}-sample block, bare"),
            bare_ns,
            "ns",
        );
        report.at_most(
            &format!("overhead.gain.{block}.static_ratio"),
            &format!("gain, {block}-sample block, static / bare"),
            static_ns / bare_ns,
            "×",
            1.01,
        );
        report.at_most(
            &format!("overhead.gain.{block}.hot_minus_static_ns"),
            &format!("gain, {block}-sample block, hot − static"),
            hot_ns - static_ns,
            "ns",
            20.0,
        );
    }
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
