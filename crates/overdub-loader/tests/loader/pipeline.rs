//! The real-time pipeline: builds are picked up by the watcher and switched in by the audio thread.

use crate::common::{ALLOCATE_ID, BLOCK, EXPLODE_ID, GAIN_ID, Workspace};
use crate::player::{Player, impulse, sine};
use overdub_loader::{Loader, ReloadEvent, StateOutcome};
use overdub_shell::Shell;
use overdub_testkit::fixture;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const ECHO_DELAY: usize = 1000;
const ECHO_FEEDBACK: f32 = 0.9;

fn assert_output(player: &Player, from: usize, expected: impl Fn(f32) -> f32) {
    for i in from..player.output.len() {
        let (x, y) = (player.input[i], player.output[i]);
        assert!((y - expected(x)).abs() < 1e-5, "sample {i}: got {y}, expected {} (input {x})", expected(x));
    }
}

#[test]
fn a_rebuilt_library_is_picked_up_without_calling_reload() {
    let ws = Workspace::with("tone");
    let mut player = Player::watch(&ws.library);
    player.shell.set_param(GAIN_ID, 2.0).unwrap();
    player.play(4, &sine);
    assert_output(&player, 0, |x| x * 2.0);

    player.install(&ws, "tone_v2");
    let ReloadEvent::Swapped { state, params_changed, crossfaded, timings, .. } =
        player.play_until_swapped(&sine)
    else {
        unreachable!()
    };
    assert_eq!(state, StateOutcome::Kept);
    assert!(!params_changed && !crossfaded);
    assert!(timings.load > Duration::ZERO && timings.total() < Duration::from_secs(5), "{timings:?}");
    assert!(matches!(player.reports.seen()[0], ReloadEvent::Detected { .. }), "{:?}", player.reports.seen());
    assert!(player.reports.seen().iter().any(|e| matches!(e, ReloadEvent::Loaded { .. })));

    let swapped_at = player.output.len();
    player.play_until_quiet(&sine, Duration::from_millis(100));
    assert_output(&player, swapped_at, |x| x * 2.0 + 0.5);
    let swaps = player.count(|e| matches!(e, ReloadEvent::Swapped { .. }));
    assert_eq!(swaps, 1, "one build, one swap: {:?}", player.reports.seen());
    assert_eq!(player.value(GAIN_ID), 2.0, "parameter values survive");
    assert_eq!(player.allocations, 0, "the audio thread allocated");
}

/// Echo amplitudes at each multiple of the delay, searched within `slack` samples after it.
fn echoes(output: &[f32], slack: usize) -> Vec<(usize, f32)> {
    (1..)
        .map(|k| k * ECHO_DELAY)
        .take_while(|&at| at + slack < output.len())
        .map(|at| {
            let (offset, peak) = output[at..=at + slack]
                .iter()
                .enumerate()
                .fold((0, 0.0f32), |best, (i, &s)| if s.abs() > best.1.abs() { (i, s) } else { best });
            (offset, peak)
        })
        .collect()
}

#[test]
fn a_delay_tail_keeps_ringing_across_a_code_only_reload() {
    let ws = Workspace::with("echo");
    let mut player = Player::watch(&ws.library);
    player.play(3 * ECHO_DELAY / BLOCK, &impulse);
    player.install(&ws, "echo_v2");
    let swap = player.play_until_swapped(&impulse);
    assert!(
        matches!(swap, ReloadEvent::Swapped { state: StateOutcome::Kept, crossfaded: false, .. }),
        "{swap:?}"
    );
    let until = player.output.len() + 12 * ECHO_DELAY;
    while player.output.len() < until {
        player.block(&impulse);
    }
    let echoes = echoes(&player.output, 0);
    let mut switched = false;
    for (k, &(_, amplitude)) in echoes.iter().enumerate() {
        let old = 0.5 * ECHO_FEEDBACK.powi(k as i32);
        let new = 0.25 * ECHO_FEEDBACK.powi(k as i32);
        switched |= (amplitude - new).abs() < 1e-5;
        let expected = if switched { new } else { old };
        assert!(
            (amplitude - expected).abs() < 1e-5,
            "echo {k}: {amplitude}, expected {expected}: {echoes:?}"
        );
    }
    assert!(switched, "the new code's echoes were heard: {echoes:?}");
    assert_eq!(player.allocations, 0, "the audio thread allocated");
}

#[test]
fn an_edit_inside_a_nested_type_changes_the_state_fingerprint() {
    let fingerprint = |name| Loader::new(fixture(name)).load().unwrap().fingerprint();
    assert_ne!(fingerprint("echo"), 0);
    assert_eq!(fingerprint("echo"), fingerprint("echo_v2"), "a code-only edit keeps the layout");
    assert_ne!(
        fingerprint("echo"),
        fingerprint("echo_layout"),
        "a field added inside Vec<Line>'s Line.extra"
    );
}

#[test]
fn a_layout_change_migrates_the_state_with_a_crossfade() {
    let ws = Workspace::with("echo");
    let mut player = Player::watch(&ws.library);
    player.play(ECHO_DELAY / BLOCK + 2, &impulse);
    player.install(&ws, "echo_layout");
    let swap = player.play_until_swapped(&impulse);
    let ReloadEvent::Swapped { state: StateOutcome::Migrated { bytes }, crossfaded: true, .. } = swap else {
        panic!("expected a migration with a crossfade, got {swap:?}")
    };
    let samples = 2 * ECHO_DELAY * 4;
    assert!((samples..samples + 128).contains(&bytes), "two lines of samples, field names and tags: {bytes}");
    while player.output.len() < 10 * ECHO_DELAY + 16 * BLOCK {
        player.block(&impulse);
    }
    // The migrated state is a snapshot taken a few blocks before the switch, so later echoes come that late.
    let echoes = echoes(&player.output, 16 * BLOCK);
    let (lag, last) = *echoes.last().unwrap();
    let k = echoes.len() as i32 - 1;
    assert!((last - 0.25 * ECHO_FEEDBACK.powi(k)).abs() < 1e-5, "the tail survived: {echoes:?}");
    assert!(lag % BLOCK == 0 && lag <= 16 * BLOCK, "{lag}");
    assert_eq!(player.allocations, 0, "the audio thread allocated (crossfade included)");
}

#[test]
fn a_broken_build_is_rejected_and_the_next_good_one_recovers() {
    let ws = Workspace::with("tone");
    let mut player = Player::watch(&ws.library);
    player.play(2, &sine);

    player.install(&ws, "tone_nan");
    let rejected = player.play_until(&sine, |e| matches!(e, ReloadEvent::Rejected { .. }));
    let ReloadEvent::Rejected { reason, .. } = rejected else { unreachable!() };
    assert!(reason.contains("NaN"), "{reason}");

    player.install(&ws, "panic_create");
    let rejected = player.play_until(&sine, |e| matches!(e, ReloadEvent::Rejected { .. }));
    let ReloadEvent::Rejected { reason, .. } = rejected else { unreachable!() };
    assert!(reason.contains("panicked in create") && reason.contains("create failed"), "{reason}");
    assert_output(&player, 0, |x| x);

    player.shell.set_param(EXPLODE_ID, 1.0).unwrap();
    let faulted = player.play_until(&sine, |e| matches!(e, ReloadEvent::Faulted { .. }));
    let ReloadEvent::Faulted { call, message, .. } = faulted else { unreachable!() };
    assert_eq!(call, "process");
    assert!(message.contains("tone exploded"), "{message}");
    player.shell.set_param(EXPLODE_ID, 0.0).unwrap();

    player.install(&ws, "tone_v2");
    player.play_until_swapped(&sine);
    let revived_at = player.output.len();
    player.play(2, &sine);
    assert_output(&player, revived_at, |x| x + 0.5);
    assert!(!player.faulted());
    assert_eq!(player.allocations, 0, "the audio thread allocated");
}

#[test]
fn a_library_deleted_with_its_directory_is_picked_up_when_rebuilt() {
    let ws = Workspace::nested("tone", "target/debug");
    let mut player = Player::watch(&ws.library);
    player.play(2, &sine);
    std::fs::remove_dir_all(ws.dir.path().join("target")).unwrap();
    player.play(4, &sine);
    std::fs::create_dir_all(ws.library.parent().unwrap()).unwrap();
    player.install(&ws, "tone_v2");
    player.play_until_swapped(&sine);
    let from = player.output.len();
    player.play(2, &sine);
    assert_output(&player, from, |x| x + 0.5);
}

#[test]
fn two_shells_in_one_process_switch_in_the_same_cycle() {
    let ws = Workspace::with("tone");
    let mut players = [Player::watch(&ws.library), Player::watch(&ws.library)];
    for player in &mut players {
        player.play(2, &sine);
    }
    ws.install("tone_v2");
    let mut swapped = [None, None];
    let deadline = overdub_testkit::test_deadline();
    while !deadline.passed() {
        for (player, swapped) in players.iter_mut().zip(&mut swapped) {
            let out = player.block(&sine).to_vec();
            let input = &player.input[player.input.len() - BLOCK..];
            if swapped.is_none() && (out[0] - (input[0] + 0.5)).abs() < 1e-6 {
                *swapped = Some(player.time);
            }
        }
        if swapped.iter().all(Option::is_some) {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    assert!(swapped[0].is_some(), "both shells switched");
    assert_eq!(swapped[0], swapped[1], "in the same processing cycle");
    assert!(players.iter().all(|p| p.allocations == 0));
}

/// Environment variable that turns [`second_process`] from a no-op into the other process of
/// [`two_processes_reload_the_same_library_side_by_side`].
const CHILD_LIBRARY: &str = "OVERDUB_TEST_CHILD_LIBRARY";

#[test]
fn second_process() {
    let Some(library) = std::env::var_os(CHILD_LIBRARY) else { return };
    let mut player = Player::watch(std::path::Path::new(&library));
    player.play(2, &sine);
    println!("ready");
    player.play_until_swapped(&sine);
    let from = player.output.len();
    player.play(2, &sine);
    assert_output(&player, from, |x| x + 0.5);
    println!("swapped");
}

#[test]
fn two_processes_reload_the_same_library_side_by_side() {
    let ws = Workspace::with("tone");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "pipeline::second_process", "--nocapture", "--test-threads=1"])
        .env(CHILD_LIBRARY, &ws.library)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines().map_while(Result::ok);
    assert!(lines.any(|line| line.ends_with("ready")), "the other process started");
    let mut player = Player::watch(&ws.library);
    player.play(2, &sine);
    player.install(&ws, "tone_v2");
    player.play_until_swapped(&sine);
    assert!(lines.any(|line| line.ends_with("swapped")), "the other process reloaded too");
    assert!(child.wait().unwrap().success());
    let from = player.output.len();
    player.play(2, &sine);
    assert_output(&player, from, |x| x + 0.5);
}

#[test]
fn a_build_that_panics_right_after_switching_in_is_rolled_back() {
    let ws = Workspace::with("tone");
    let mut player = Player::watch(&ws.library);
    player.shell.set_param(GAIN_ID, 2.0).unwrap();
    player.play(100, &sine);
    player.install(&ws, "tone_late_panic");
    let rolled = player.play_until(&sine, |e| matches!(e, ReloadEvent::RolledBack { .. }));
    let ReloadEvent::RolledBack { reason, .. } = rolled else { unreachable!() };
    assert!(reason.contains("tone broke after"), "{reason}");
    player.play_until_swapped(&sine);
    let from = player.output.len();
    player.play(4, &sine);
    assert_output(&player, from, |x| x * 2.0);
    assert!(!player.faulted(), "the previous build revived the instance");
    assert_eq!(player.value(GAIN_ID), 2.0);

    player.install(&ws, "tone_v2");
    player.play_until_swapped(&sine);
    let from = player.output.len();
    player.play(2, &sine);
    assert_output(&player, from, |x| x * 2.0 + 0.5);
    assert_eq!(player.allocations, 0, "the audio thread allocated");
}

#[test]
fn allocations_in_the_logic_s_process_are_reported() {
    let ws = Workspace::with("tone");
    let mut player = Player::watch(&ws.library);
    player.play(2, &sine);
    player.shell.set_param(ALLOCATE_ID, 1.0).unwrap();
    let allocated = player.play_until(&sine, |e| matches!(e, ReloadEvent::Allocated { .. }));
    let ReloadEvent::Allocated { count, .. } = allocated else { unreachable!() };
    assert!(count >= 1, "{count}");
}

fn silence(_: u64) -> f32 {
    0.0
}

#[test]
fn a_held_note_keeps_sounding_across_a_code_only_reload() {
    let ws = Workspace::with("voices");
    let mut player = Player::watch(&ws.library);
    player.events.push(overdub_abi::Event::note_on(0, 0, 60, 1.0));
    player.play(4, &silence);
    assert_eq!(player.output.last(), Some(&0.5));
    player.install(&ws, "voices_v2");
    let swap = player.play_until_swapped(&silence);
    assert!(matches!(swap, ReloadEvent::Swapped { state: StateOutcome::Kept, .. }), "{swap:?}");
    let from = player.output.len();
    player.play(2, &silence);
    assert!(player.output[from..].iter().all(|&s| s == 0.25), "the same voice, the new code's level");
}

#[test]
fn held_notes_are_replayed_into_a_build_that_cannot_keep_the_voices() {
    let ws = Workspace::with("voices");
    let mut player = Player::watch(&ws.library);
    player.events.push(overdub_abi::Event::note_on(0, 0, 60, 1.0));
    player.events.push(overdub_abi::Event::note_on(0, 0, 64, 1.0));
    player.play(2, &silence);
    player.events.push(overdub_abi::Event::note_off(0, 0, 64, 0.0));
    player.play(2, &silence);
    assert_eq!(player.output.last(), Some(&0.5), "one note held");
    player.install(&ws, "voices_layout");
    let swap = player.play_until_swapped(&silence);
    assert!(matches!(swap, ReloadEvent::Swapped { crossfaded: true, .. }), "{swap:?}");
    let from = player.output.len();
    player.play(2, &silence);
    assert!(player.output[from..].iter().all(|&s| s == 0.25), "the held note (only) sounds in the new build");
    assert_eq!(player.allocations, 0, "the audio thread allocated");
}

#[test]
fn a_cargo_style_replace_is_loaded_once() {
    let ws = Workspace::with("tone");
    let mut player = Player::watch(&ws.library);
    player.play(2, &sine);
    // Cargo uplifts an artifact by removing the old file and hard-linking the new one in its place.
    std::fs::remove_file(&ws.library).unwrap();
    std::fs::hard_link(fixture("tone_v2"), &ws.library).unwrap();
    player.play_until_swapped(&sine);
    player.play_until_quiet(&sine, Duration::from_millis(100));
    let detected = player.count(|e| matches!(e, ReloadEvent::Detected { .. }));
    let unchanged = player.count(|e| matches!(e, ReloadEvent::Unchanged { .. }));
    assert_eq!((detected, unchanged), (1, 0), "{:?}", player.reports.seen());
}
