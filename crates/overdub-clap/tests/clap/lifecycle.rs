//! A hot plugin through the host's lifecycle: opened before its library exists (a project after
//! `cargo clean`), and restarted at its own request when a reload changed its parameters.

use crate::host::{Plugin, Running};
use crate::hot::{block, hot_fixture, load_hot, wait_for_log};
use clack_host::prelude::*;
use overdub_testkit::{fixture, install_like_linker, scratch_dir, test_deadline};
use std::time::Duration;

const GAIN: u32 = overdub::param_id("gain");
const ECHO_DELAY: usize = 1000;

/// Plays blocks until the plugin asks for a restart, then restarts it as a host does.
fn restart_when_asked(
    plugin: &mut Plugin,
    mut running: Running,
    mut play: impl FnMut(&mut Running),
) -> Running {
    let deadline = test_deadline();
    while !plugin.take_restart() {
        deadline.check(|| format!("no restart requested; log: {:?}", plugin.log()));
        plugin.poll_callback();
        play(&mut running);
        std::thread::sleep(Duration::from_millis(1));
    }
    plugin.stop(running);
    plugin.start(48_000.0, 64, 2, 2)
}

#[test]
fn a_hot_plugin_opened_before_its_library_exists_keeps_its_state_and_comes_alive_with_it() {
    let dir = scratch_dir();
    let logic = dir.path().join(overdub_testkit::dylib_file_name("tone"));
    install_like_linker(&fixture("tone"), &logic);
    let state = {
        let mut saved = load_hot(&logic);
        saved.flush(&[(GAIN, 2.5)]);
        saved.save()
    };
    std::fs::remove_file(&logic).unwrap();

    let mut plugin = load_hot(&logic);
    assert!(plugin.log().iter().any(|line| line.contains("waiting for")), "{:?}", plugin.log());
    plugin.load_state(&state).expect("a plugin with no logic yet keeps the state it is given");
    assert_eq!(plugin.save(), state, "and returns exactly those bytes");
    let mut running = plugin.start(48_000.0, 64, 2, 2);
    assert_eq!(block(&mut running, &EventBuffer::new()), 0.0, "silence until a library arrives");

    install_like_linker(&fixture("tone"), &logic);
    let none = EventBuffer::new();
    let running = restart_when_asked(&mut plugin, running, |running| {
        block(running, &none);
    });
    let mut running = running;
    assert_eq!(plugin.value(GAIN), Some(2.5), "the first build took the project's settings");
    assert_eq!(block(&mut running, &none), 2.5);
    assert_eq!(plugin.save(), state, "the same settings, saved by the logic now");
    plugin.stop(running);
}

#[test]
fn a_restart_the_plugin_asked_for_keeps_the_echoes_ringing() {
    let (_dir, logic, mut plugin) = hot_fixture("echo");
    let mut running = plugin.start(48_000.0, 64, 2, 2);
    let mut heard = Vec::new();
    let play = |running: &mut Running, heard: &mut Vec<f32>| {
        for (channel, input) in running.inputs.iter_mut().enumerate() {
            input.fill(0.0);
            if heard.is_empty() && channel < 2 {
                input[0] = 1.0;
            }
        }
        running.process(64, &EventBuffer::new());
        heard.extend_from_slice(&running.outputs[0][..64]);
    };
    while heard.len() < 2 * ECHO_DELAY {
        play(&mut running, &mut heard);
    }
    // A build whose parameter list changed (a default) but whose memory layout did not.
    install_like_linker(&fixture("echo_mix_default"), &logic);
    let mut running = restart_when_asked(&mut plugin, running, |running| play(running, &mut heard));
    let after = heard.len();
    while heard.len() < after + 3 * ECHO_DELAY {
        play(&mut running, &mut heard);
    }
    wait_for_log(&mut plugin, "state kept");
    // Echoes of the impulse at every multiple of the delay: 0.5, then ×0.9 each time.
    let echoes_after_restart: Vec<(usize, f32)> = (1..heard.len() / ECHO_DELAY)
        .map(|k| k * ECHO_DELAY)
        .filter(|&at| at >= after)
        .map(|at| (at, heard[at]))
        .collect();
    assert!(!echoes_after_restart.is_empty(), "echoes fell after the restart");
    for (at, echo) in echoes_after_restart {
        let k = (at / ECHO_DELAY) as i32;
        let expected = 0.5 * 0.9f32.powi(k - 1);
        assert!((echo - expected).abs() < 1e-4, "echo {k} at {at}: {echo}, expected {expected}");
    }
    plugin.stop(running);
}
