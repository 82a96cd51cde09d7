use crate::common::{BLOCK, EXPLODE_ID, GAIN_ID, Workspace, assert_samples, process, ramp};
use overdub_loader::{HotShell, LoadError, ReloadError};
use overdub_shell::{SavedState, Shell, ShellError};

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
    let mut shell = ws.hot_shell();
    let input = ramp(BLOCK);
    process(&mut shell, &input);
    shell.set_param(EXPLODE_ID, 1.0).unwrap();
    let out = process(&mut shell, &input);
    assert!(out.iter().all(|&s| s == 0.0), "faulted output is silent: {out:?}");
    let fault = *shell.fault().expect("the panic is recorded");
    assert_eq!(fault.call, "process");
    assert!(fault.message.as_str().contains("tone exploded after 64 frames"), "{}", fault.message);
    assert!(shell.engine_mut().take_new_fault().is_none(), "reported once");
    assert!(process(&mut shell, &input).iter().all(|&s| s == 0.0));
}

#[test]
fn a_panic_in_load_state_is_reported_and_the_process_survives() {
    let ws = Workspace::with("tone");
    let mut shell = ws.hot_shell();
    let poisoned = SavedState {
        plugin_id: shell.info().id.to_owned(),
        params: vec![(GAIN_ID, 2.0)],
        // The DSP state format's header ("ovds", version 1), then the bytes the tone fixture panics on.
        logic: [b"ovds\x01".as_slice(), b"PANIC-please"].concat(),
    }
    .encode();
    let error = shell.load_state(&poisoned).unwrap_err();
    let ShellError::Panicked { call, message } = error else { panic!("{error}") };
    assert_eq!(call, "load_state");
    assert!(message.as_str().contains("load_state was told to panic"), "{message}");
    assert_eq!(shell.params().values()[0], 1.0, "parameters untouched by a failed load");
}

#[test]
fn a_faulted_instance_is_revived_by_the_next_good_build() {
    let ws = Workspace::with("tone");
    let mut shell = ws.hot_shell();
    let input = ramp(BLOCK);
    shell.set_param(GAIN_ID, 2.0).unwrap();
    shell.set_param(EXPLODE_ID, 1.0).unwrap();
    process(&mut shell, &input);
    assert!(shell.fault().is_some());
    shell.set_param(EXPLODE_ID, 0.0).unwrap();
    ws.install("tone_v2");
    shell.reload().expect("the new build loads");
    assert!(shell.fault().is_none());
    assert_samples(&process(&mut shell, &input), |x| x * 2.0 + 0.5, &input);
}
