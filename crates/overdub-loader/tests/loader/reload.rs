use crate::common::{BLOCK, GAIN_ID, Workspace, assert_samples, process, ramp};
use overdub_loader::{HotShell, ReloadOutcome, StateOutcome};
use overdub_shell::{HostBlock, SavedState, Shell};
use std::sync::Arc;

fn frames_seen(shell: &mut HotShell) -> u64 {
    let saved = SavedState::decode(&shell.save_state().unwrap(), shell.info().id).unwrap();
    // Tone's state is one record field, `frames_seen`, a u64: its value is the state's last eight bytes.
    let (field, value) = saved.logic.split_at(saved.logic.len() - 8);
    assert!(field.ends_with(b"frames_seen\x05"), "a u64 field named frames_seen: {field:?}");
    u64::from_le_bytes(value.try_into().expect("eight bytes"))
}

#[test]
fn loads_a_library_and_processes_real_buffers() {
    let ws = Workspace::with("tone");
    let mut shell = ws.hot_shell();
    shell.set_param(GAIN_ID, 2.0).unwrap();
    let input = ramp(BLOCK);
    assert_samples(&process(&mut shell, &input), |x| x * 2.0, &input);
    assert_eq!(frames_seen(&mut shell), BLOCK as u64);
}

#[test]
fn a_rebuilt_library_changes_the_output_and_keeps_parameters_and_state() {
    let ws = Workspace::with("tone");
    let mut shell = ws.hot_shell();
    shell.set_param(GAIN_ID, 3.0).unwrap();
    let input = ramp(BLOCK);
    process(&mut shell, &input);
    process(&mut shell, &input);

    ws.install("tone_v2");
    let ReloadOutcome::Reloaded(reloaded) = shell.reload().unwrap() else { panic!("the file changed") };
    assert_eq!(reloaded.state, StateOutcome::Kept, "same layout: the state memory is adopted");
    assert!(!reloaded.params_changed);
    assert_eq!(shell.params().values()[0], 3.0);
    assert_samples(&process(&mut shell, &input), |x| x * 3.0 + 0.5, &input);
    assert_eq!(frames_seen(&mut shell), 3 * BLOCK as u64, "the frame count crossed the reload");
}

#[test]
fn an_unchanged_file_is_not_reloaded() {
    let ws = Workspace::with("tone");
    let mut shell = ws.hot_shell();
    assert!(matches!(shell.reload().unwrap(), ReloadOutcome::Unchanged));
    ws.install("tone");
    assert!(matches!(shell.reload().unwrap(), ReloadOutcome::Unchanged), "same bytes in a new file");
}

#[test]
fn two_shells_share_one_mapping_of_the_same_library() {
    let ws = Workspace::with("tone");
    let other = Workspace::with("tone");
    let mut a = ws.hot_shell();
    let mut b = other.hot_shell();
    assert!(Arc::ptr_eq(a.library(), b.library()));
    let input = ramp(BLOCK);
    a.set_param(GAIN_ID, 2.0).unwrap();
    assert_samples(&process(&mut a, &input), |x| x * 2.0, &input);
    assert_samples(&process(&mut b, &input), |x| x, &input);
}

#[test]
fn a_file_rewritten_in_place_is_still_loaded_from_a_private_copy() {
    let ws = Workspace::with("tone");
    let mut shell = ws.hot_shell();
    std::fs::write(&ws.library, std::fs::read(overdub_testkit::fixture("tone_v2")).unwrap()).unwrap();
    assert!(matches!(shell.reload().unwrap(), ReloadOutcome::Reloaded(_)));
    let input = ramp(BLOCK);
    assert_samples(&process(&mut shell, &input), |x| x + 0.5, &input);
}

#[test]
fn the_hot_process_path_does_not_allocate() {
    use overdub::alloc_counter::count_allocations;
    use overdub_abi::{Event, EventBody, ParamChange};
    let ws = Workspace::with("tone");
    let mut shell = ws.hot_shell();
    let mut block = overdub_shell::AudioBlock::new(2, 2, BLOCK);
    let events = [
        Event { time: 3, body: EventBody::ParamChange(ParamChange { index: 0, id: GAIN_ID, value: 2.0 }) },
        Event::note_on(7, 0, 60, 1.0),
    ];
    let ((), allocations) = count_allocations(|| {
        for _ in 0..10 {
            let mut buffer = block.buffer(BLOCK);
            shell.process(&mut buffer, &HostBlock::events(&events));
        }
    });
    assert_eq!(allocations, 0);
}
