use crate::common::{BLOCK, GAIN_ID, Workspace, assert_samples, frames_seen, process, ramp};
use crate::player::{Player, sine};
use overdub_loader::{ReloadEvent, StateOutcome};
use overdub_shell::{HostBlock, Shell, ShellProcessor};
use std::sync::Arc;

#[test]
fn loads_a_library_and_processes_real_buffers() {
    let ws = Workspace::with("tone");
    let (mut shell, mut processor) = ws.hot_shell();
    shell.set_param(GAIN_ID, 2.0).unwrap();
    let input = ramp(BLOCK);
    assert_samples(&process(&mut processor, &input), |x| x * 2.0, &input);
    assert_eq!(frames_seen(&mut processor), BLOCK as u64);
}

#[test]
fn a_rebuilt_library_changes_the_output_and_keeps_parameters_and_memory() {
    let ws = Workspace::with("tone");
    let mut player = Player::watch(&ws.library);
    player.shell.set_param(GAIN_ID, 3.0).unwrap();
    player.play(2, &sine);
    player.install(&ws, "tone_v2");
    let swapped = player.play_until_swapped(&sine);
    let ReloadEvent::Swapped { state, params_changed, .. } = swapped else { unreachable!() };
    assert_eq!(state, StateOutcome::Kept, "same layout: the state memory is adopted");
    assert!(!params_changed);
    let frames_before = frames_seen(&mut player.processor);
    let input = ramp(BLOCK);
    assert_samples(&process(&mut player.processor, &input), |x| x * 3.0 + 0.5, &input);
    assert_eq!(player.value(GAIN_ID), 3.0);
    assert_eq!(
        frames_seen(&mut player.processor),
        frames_before + BLOCK as u64,
        "the count crossed the reload"
    );
    assert!(frames_before >= 3 * BLOCK as u64);
}

#[test]
fn the_same_bytes_in_a_new_file_are_not_reloaded() {
    let ws = Workspace::with("tone");
    let mut player = Player::watch(&ws.library);
    player.install(&ws, "tone");
    player.play_until(&sine, |e| matches!(e, ReloadEvent::Unchanged { .. }));
    assert_eq!(player.count_since_change(|e| matches!(e, ReloadEvent::Swapped { .. })), 0);
}

#[test]
fn two_shells_share_one_mapping_of_the_same_library() {
    let ws = Workspace::with("tone");
    let other = Workspace::with("tone");
    let (mut a, mut a_processor) = ws.hot_shell();
    let (b, mut b_processor) = other.hot_shell();
    assert!(Arc::ptr_eq(&a.library().unwrap(), &b.library().unwrap()));
    let input = ramp(BLOCK);
    a.set_param(GAIN_ID, 2.0).unwrap();
    assert_samples(&process(&mut a_processor, &input), |x| x * 2.0, &input);
    assert_samples(&process(&mut b_processor, &input), |x| x, &input);
}

#[test]
fn the_hot_process_path_does_not_allocate() {
    use overdub::alloc_counter::count_allocations;
    use overdub_abi::{Event, EventBody, ParamChange};
    let ws = Workspace::with("tone");
    let (mut shell, mut processor) = ws.hot_shell();
    let mut block = overdub_shell::AudioBlock::new(2, 2, BLOCK);
    let events = [
        Event { time: 3, body: EventBody::ParamChange(ParamChange { index: 0, id: GAIN_ID, value: 2.0 }) },
        Event::note_on(7, 0, 60, 1.0),
    ];
    shell.set_param(GAIN_ID, 1.5).unwrap();
    let ((), allocations) = count_allocations(|| {
        for _ in 0..10 {
            let mut buffer = block.buffer(BLOCK);
            processor.process(&mut buffer, &HostBlock::events(&events));
        }
        processor.set_param(GAIN_ID, 0.5).unwrap();
    });
    assert_eq!(allocations, 0);
}
