use crate::common::{BLOCK, EXPLODE_ID, GAIN_ID, Workspace, process, ramp};
use crate::player::{Player, sine};
use overdub_loader::{HotShell, LoadError, ReloadError, ReloadEvent};
use overdub_shell::Shell;

#[test]
fn a_panic_in_create_is_reported_with_its_message() {
    let ws = Workspace::with("panic_create");
    let Err(error) = HotShell::load(&ws.library) else { panic!("a panicking create must not load") };
    let ReloadError::Load(LoadError::Panicked { call, message, .. }) = &error else { panic!("{error}") };
    assert_eq!(*call, "create");
    assert!(message.as_str().contains("create failed: no buffer sizes configured (0 known)"), "{message}");
    assert!(message.as_str().contains("panic_create/src/lib.rs"), "location: {message}");
}

#[test]
fn a_panic_in_process_faults_the_instance_and_outputs_silence() {
    let ws = Workspace::with("tone");
    let (mut shell, mut processor) = ws.hot_shell();
    let input = ramp(BLOCK);
    process(&mut processor, &input);
    shell.set_param(EXPLODE_ID, 1.0).unwrap();
    let out = process(&mut processor, &input);
    assert!(out.iter().all(|&s| s == 0.0), "faulted output is silent: {out:?}");
    let fault = shell.take_fault().expect("the panic reaches the main thread");
    assert_eq!(fault.call, "process");
    assert!(fault.message.as_str().contains("tone exploded after 64 frames"), "{}", fault.message);
    assert!(process(&mut processor, &input).iter().all(|&s| s == 0.0));
    assert!(shell.take_fault().is_none(), "reported once");
}

#[test]
fn a_panic_in_the_new_build_s_load_of_the_old_memory_rejects_it_and_the_old_build_plays_on() {
    let ws = Workspace::with("tone");
    let mut player = Player::watch(&ws.library);
    player.shell.set_param(GAIN_ID, 2.0).unwrap();
    player.play(2, &sine);
    player.install(&ws, "tone_load_panic");
    let rejected = player.play_until(&sine, |e| matches!(e, ReloadEvent::Rejected { .. }));
    let ReloadEvent::Rejected { reason, .. } = rejected else { unreachable!() };
    assert!(reason.contains("load_state was told to panic"), "{reason}");
    let from = player.output.len();
    player.play(2, &sine);
    for i in from..player.output.len() {
        assert!((player.output[i] - player.input[i] * 2.0).abs() < 1e-6, "the old build plays on");
    }
}

#[test]
fn a_faulted_instance_is_revived_by_the_next_good_build() {
    let ws = Workspace::with("tone");
    let mut player = Player::watch(&ws.library);
    player.shell.set_param(GAIN_ID, 2.0).unwrap();
    player.shell.set_param(EXPLODE_ID, 1.0).unwrap();
    player.play_until(&sine, |e| matches!(e, ReloadEvent::Faulted { .. }));
    assert!(player.faulted());
    player.shell.set_param(EXPLODE_ID, 0.0).unwrap();
    player.install(&ws, "tone_v2");
    player.play_until_swapped(&sine);
    assert!(!player.faulted());
    let from = player.output.len();
    player.play(2, &sine);
    for i in from..player.output.len() {
        assert!((player.output[i] - (player.input[i] * 2.0 + 0.5)).abs() < 1e-6, "sample {i}");
    }
}
