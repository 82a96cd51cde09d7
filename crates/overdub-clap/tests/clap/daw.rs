//! The plugins in a host that behaves like a DAW: audio at real-time cadence (48 kHz, 128-frame blocks, a
//! sine in) on an audio thread of its own, while the main thread saves the state every 10 ms (and loads it
//! every 50th time), polls every parameter's value and text at 60 Hz and the latency every 100 ms, and, for
//! the hot plugin, the logic is rebuilt twice. No block may be silenced or dropped, the static plugin's
//! output must be identical to a run without the main-thread calls, and the audio thread allocates nothing.

use crate::build::{hot_plugin, static_plugin};
use crate::host::{Plugin, Running};
use crate::hot::load_hot;
use clack_host::prelude::*;
use overdub_testkit::{fixture, install_like_linker, scratch_dir, test_deadline};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const RATE: f64 = 48_000.0;
const BLOCK: usize = 128;
/// Blocks a session plays: 2 s, at real-time cadence.
const BLOCKS: usize = 750;

/// What the audio thread saw.
struct Played {
    /// Left output of every block, in order.
    output: Vec<f32>,
    /// Blocks whose output was all zeros although a sine played into them.
    silenced: usize,
    /// The longest `process` call.
    worst: Duration,
}

/// Plays [`BLOCKS`] blocks of a sine through `running` on an audio thread of its own, at real-time cadence;
/// meanwhile `main` runs on this thread until the audio is done.
fn play(
    plugin: &mut Plugin,
    mut running: Running,
    mut main: impl FnMut(&mut Plugin, u32),
) -> (Running, Played) {
    let done = Arc::new(AtomicBool::new(false));
    let audio = {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let period = Duration::from_secs_f64(BLOCK as f64 / RATE);
            let mut played = Played { output: Vec::new(), silenced: 0, worst: Duration::ZERO };
            played.output.reserve(BLOCKS * BLOCK);
            let none = EventBuffer::new();
            let mut next = Instant::now();
            for block in 0..BLOCKS {
                for channel in &mut running.inputs {
                    for (i, sample) in channel.iter_mut().enumerate() {
                        let t = (block * BLOCK + i) as f64 / RATE;
                        *sample = (t * 440.0 * std::f64::consts::TAU).sin() as f32 * 0.5;
                    }
                }
                let started = Instant::now();
                running.process(BLOCK, &none);
                played.worst = played.worst.max(started.elapsed());
                let out = &running.outputs[0][..BLOCK];
                if out.iter().all(|&s| s == 0.0) {
                    played.silenced += 1;
                }
                played.output.extend_from_slice(out);
                next += period;
                if let Some(wait) = next.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
            }
            done.store(true, Ordering::Release);
            (running, played)
        })
    };
    let deadline = test_deadline();
    let mut tick = 0u32;
    while !done.load(Ordering::Acquire) {
        deadline.check(|| "the audio thread never finished".into());
        main(plugin, tick);
        plugin.poll_callback();
        tick += 1;
        std::thread::sleep(Duration::from_millis(1));
    }
    audio.join().expect("the audio thread")
}

/// The main thread of a DAW at work, called every millisecond: state saves every 10 ms (and a load every
/// 50th), parameter values and texts at 60 Hz, latency every 100 ms.
fn busy_main_thread(plugin: &mut Plugin, tick: u32, saves: &mut u32) {
    if tick.is_multiple_of(10) {
        let state = plugin.save();
        *saves += 1;
        if saves.is_multiple_of(50) {
            plugin.load_state(&state).expect("the plugin loads its own state");
        }
    }
    if tick.is_multiple_of(16) {
        for (id, _) in plugin.params() {
            if let Some(value) = plugin.value(id) {
                plugin.value_to_text(id, value);
            }
        }
    }
    if tick.is_multiple_of(100) {
        plugin.latency();
    }
}

/// What the plugin logged about allocating on the audio thread (its allocator counts it; a hot logic
/// library counts its own).
fn plugin_allocated(plugin: &mut Plugin) -> Vec<String> {
    plugin.poll_callback();
    plugin.log().into_iter().filter(|line| line.contains("allocated")).collect()
}

fn report(what: &str, played: &Played) {
    println!(
        "{what}: {BLOCKS} blocks, {} silenced, worst block {:.1} µs of {:.0} µs",
        played.silenced,
        played.worst.as_secs_f64() * 1e6,
        BLOCK as f64 / RATE * 1e6,
    );
}

#[test]
fn a_busy_main_thread_never_silences_or_changes_a_block_of_the_static_plugins() {
    for example in ["gain", "delay"] {
        let path = static_plugin(example);
        let mut quiet = Plugin::load(&path);
        let running = quiet.start(RATE, BLOCK as u32, 2, 2);
        let (running, reference) = play(&mut quiet, running, |_, _| {});
        quiet.stop(running);

        let mut busy = Plugin::load(&path);
        let running = busy.start(RATE, BLOCK as u32, 2, 2);
        let mut saves = 0;
        let (running, played) =
            play(&mut busy, running, |plugin, tick| busy_main_thread(plugin, tick, &mut saves));
        busy.stop(running);
        report(&format!("static {example}"), &played);
        assert!(saves > 100, "{example}: the main thread saved {saves} times");
        assert_eq!(played.silenced, 0, "{example}: silenced blocks");
        assert_eq!(
            plugin_allocated(&mut busy),
            Vec::<String>::new(),
            "{example}: the audio thread allocated"
        );
        assert!(
            played.output == reference.output,
            "{example}: the output differs from a run without main-thread calls"
        );
    }
}

#[test]
fn a_busy_main_thread_and_two_rebuilds_never_silence_a_block_of_the_hot_plugin() {
    let _ = hot_plugin();
    for (logic, rebuilt) in [("tone", "tone_v2"), ("echo", "echo_v2")] {
        let dir = scratch_dir();
        let library = dir.path().join(overdub_testkit::dylib_file_name(logic));
        install_like_linker(&fixture(logic), &library);
        let mut plugin = load_hot(&library);
        let running = plugin.start(RATE, BLOCK as u32, 2, 2);
        let mut saves = 0;
        let (running, played) = play(&mut plugin, running, |plugin, tick| {
            busy_main_thread(plugin, tick, &mut saves);
            match tick {
                300 => install_like_linker(&fixture(rebuilt), &library),
                900 => install_like_linker(&fixture(logic), &library),
                _ => {}
            }
        });
        plugin.stop(running);
        report(&format!("hot {logic}"), &played);
        let reloads = plugin.log().iter().filter(|line| line.contains("new build running")).count();
        assert_eq!(reloads, 2, "{logic}: both rebuilds were heard; log: {:?}", plugin.log());
        assert_eq!(played.silenced, 0, "{logic}: silenced blocks");
        assert_eq!(
            plugin_allocated(&mut plugin),
            Vec::<String>::new(),
            "{logic}: the audio thread allocated"
        );
    }
}
