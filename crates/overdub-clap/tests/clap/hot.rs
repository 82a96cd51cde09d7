//! The hot gain plugin pointed at the `tone` fixture: rebuilt logic is picked up while the host processes,
//! with parameters kept, and a panicking build leaves the host running.

use crate::build::hot_plugin;
use crate::host::{Plugin, Running, describe, entry, param_event};
use clack_extensions::params::ParamRescanFlags;
use clack_host::prelude::*;
use overdub::param_id;
use overdub_testkit::{
    dylib_file_name, fixture, install_like_linker, plugin_target_dir, scratch_dir, test_deadline,
};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

const GAIN: u32 = param_id("gain");
const EXPLODE: u32 = param_id("explode");
/// The host's block clock: a block of 64 samples about every millisecond.
const BLOCK_PERIOD: Duration = Duration::from_millis(1);

/// The hot plugin running the fixture `name`, from a scratch directory the caller keeps (the library's path
/// is returned for new builds to land at).
pub fn hot_fixture(name: &str) -> (overdub_testkit::TempDir, std::path::PathBuf, Plugin) {
    let dir = scratch_dir();
    let logic = dir.path().join(overdub_testkit::dylib_file_name(name));
    install_like_linker(&fixture(name), &logic);
    let plugin = load_hot(&logic);
    (dir, logic, plugin)
}

pub fn load_hot(logic: &Path) -> Plugin {
    // The variable is read when the instance is created: tests running side by side must not set it between
    // another test's setting and loading.
    static LOADING: Mutex<()> = Mutex::new(());
    let plugin = hot_plugin();
    let _loading = LOADING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // SAFETY: only these tests read OVERDUB_LOGIC, and they all set it to the same kind of value before loading.
    unsafe { std::env::set_var("OVERDUB_LOGIC", logic) };
    Plugin::load(&plugin)
}

pub fn block(running: &mut Running, events: &EventBuffer) -> f32 {
    running.inputs.iter_mut().for_each(|c| c.fill(1.0));
    running.process(64, events);
    running.outputs[0][63]
}

/// Plays blocks until the output becomes `expected`, within the test's deadline.
pub fn wait_for(plugin: &mut Plugin, running: &mut Running, expected: f32) {
    let none = EventBuffer::new();
    let deadline = test_deadline();
    loop {
        plugin.poll_callback();
        let last = block(running, &none);
        if (last - expected).abs() < 1e-6 {
            return;
        }
        deadline.check(|| format!("output stayed {last}, never became {expected}; log: {:?}", plugin.log()));
        std::thread::sleep(BLOCK_PERIOD);
    }
}

/// Waits for the plugin to log a line containing `text`, running main-thread callbacks meanwhile, within
/// the test's deadline.
pub fn wait_for_log(plugin: &mut Plugin, text: &str) {
    let deadline = test_deadline();
    while !plugin.log().iter().any(|line| line.contains(text)) {
        deadline.check(|| format!("the plugin never logged {text:?}; log: {:?}", plugin.log()));
        plugin.poll_callback();
        std::thread::sleep(BLOCK_PERIOD);
    }
}

#[test]
fn hot_plugin_follows_rebuilds_while_the_host_processes() {
    let (_dir, logic, mut plugin) = hot_fixture("tone");
    let mut running = plugin.start(48_000.0, 64, 2, 2);
    let mut events = EventBuffer::new();
    events.push(&param_event(0, GAIN, 2.0));
    assert_eq!(block(&mut running, &events), 2.0);

    install_like_linker(&fixture("tone_v2"), &logic);
    wait_for(&mut plugin, &mut running, 2.5);
    assert_eq!(plugin.value(GAIN), Some(2.0), "the parameter survived the reload");
    wait_for_log(&mut plugin, "new build running");
    plugin.stop(running);
}

#[test]
fn a_panicking_build_leaves_the_host_running_and_a_new_build_revives_it() {
    let (_dir, logic, mut plugin) = hot_fixture("tone");
    let mut running = plugin.start(44_100.0, 64, 2, 2);
    let mut explode = EventBuffer::new();
    explode.push(&param_event(0, EXPLODE, 1.0));
    assert_eq!(block(&mut running, &explode), 0.0, "a faulted logic outputs silence");
    assert_eq!(block(&mut running, &EventBuffer::new()), 0.0);
    wait_for_log(&mut plugin, "panicked: tone exploded");

    // A faulted engine does not run the block, so automation in it would not reach the parameters; a
    // flush sets them directly.
    running.flush(&[(EXPLODE, 0.0)]);
    install_like_linker(&fixture("tone_v2"), &logic);
    wait_for(&mut plugin, &mut running, 1.5);
    plugin.stop(running);
}

#[test]
fn a_reload_that_changes_the_parameters_is_rescanned_on_deactivation_after_one_restart() {
    let (_dir, logic, mut plugin) = hot_fixture("tone");
    let ids = |plugin: &mut Plugin| plugin.params().into_iter().map(|(id, _)| id).collect::<Vec<_>>();
    assert_eq!(ids(&mut plugin), [GAIN, EXPLODE, param_id("allocate")]);
    let mut running = plugin.start(48_000.0, 64, 2, 2);
    let none = EventBuffer::new();
    block(&mut running, &none);

    // A build with another parameter list, while the host processes: the plugin cannot rescan everything
    // while active, so it asks for a restart.
    install_like_linker(&fixture("tone_more_params"), &logic);
    let deadline = test_deadline();
    while !plugin.take_restart() {
        deadline.check(|| format!("no restart requested; log: {:?}", plugin.log()));
        plugin.poll_callback();
        block(&mut running, &none);
        std::thread::sleep(BLOCK_PERIOD);
    }
    assert!(plugin.rescans().is_empty(), "no rescan while active");

    // The host restarts it: the rescan happens on deactivation, before the reactivation.
    plugin.stop(running);
    assert_eq!(plugin.rescans(), [ParamRescanFlags::ALL]);
    assert_eq!(
        ids(&mut plugin),
        [GAIN, EXPLODE, param_id("allocate"), param_id("drive")],
        "the new build's parameters"
    );
    let mut running = plugin.start(48_000.0, 64, 2, 2);
    for _ in 0..50 {
        plugin.poll_callback();
        block(&mut running, &none);
    }
    assert!(!plugin.take_restart(), "a second restart: the plugin would restart forever");
    assert_eq!(plugin.rescans(), [ParamRescanFlags::ALL]);
    assert_eq!(plugin.latency_changes(), 0, "the latency did not change");
    plugin.stop(running);
}

#[test]
fn a_hot_plugin_knows_its_identity_from_the_manifest_before_any_logic_library_exists() {
    let plugin = hot_plugin();
    let profile = plugin_target_dir(true).join("debug");
    assert!(
        !profile.join(dylib_file_name("gain")).exists(),
        "the hot build neither built nor linked the logic"
    );
    let (id, name, features) = describe(&entry(&plugin));
    assert_eq!(id, "dev.overdub.examples.gain.hot", "the id of examples/gain/Cargo.toml, marked hot");
    assert_eq!(name, "Overdub Gain (hot)");
    assert_eq!(features, ["audio-effect", "stereo"]);
}
