//! What a developer writes over files a host has loaded never crashes it: builds copied over the hot plugin's
//! logic library in place are loaded from a private image (or rejected when cut short), and a bundle rebuilt
//! while the host runs it leaves the running code untouched.

use crate::build::static_plugin;
use crate::host::{Plugin, param_event};
use crate::hot::{block, hot_fixture, wait_for, wait_for_log};
use clack_host::prelude::*;
use overdub_bundle::{BundleSpec, Format, Platform};
use overdub_testkit::{fixture, run_shell, scratch_dir};

const GAIN: u32 = overdub::param_id("gain");

#[test]
fn builds_copied_in_place_over_the_hot_plugin_s_library_are_loaded_and_never_crash_the_host() {
    let (_dir, logic, mut plugin) = hot_fixture("tone");
    let mut running = plugin.start(48_000.0, 64, 2, 2);
    let mut events = EventBuffer::new();
    events.push(&param_event(0, GAIN, 2.0));
    assert_eq!(block(&mut running, &events), 2.0);

    let lib = format!("'{}'", logic.display());
    let (tone, tone_v2) = (fixture("tone"), fixture("tone_v2"));
    run_shell(&format!("cp '{}' {lib}", tone_v2.display()));
    wait_for(&mut plugin, &mut running, 2.5);
    run_shell(&format!("cat '{}' > {lib}", tone.display()));
    wait_for(&mut plugin, &mut running, 2.0);
    run_shell(&format!("cp -p '{}' {lib}", tone_v2.display()));
    wait_for(&mut plugin, &mut running, 2.5);
    run_shell(&format!("head -c 30000 '{}' > {lib}", tone.display()));
    wait_for_log(&mut plugin, "truncated");
    assert_eq!(block(&mut running, &EventBuffer::new()), 2.5, "the running build plays on");
    assert_eq!(plugin.value(GAIN), Some(2.0), "the parameter survived every reload");
    plugin.stop(running);
}

#[test]
fn a_bundle_rebuilt_while_a_host_has_it_loaded_leaves_the_running_plugin_intact() {
    let dir = scratch_dir();
    let gain = static_plugin("gain");
    let library = dir.path().join("libplugin.so");
    std::fs::copy(&gain, &library).unwrap();
    let spec =
        BundleSpec { library: &library, name: "rebuilt", id: "dev.overdub.test.rebuilt", version: "1" };
    let out = dir.path().join("bundle");
    let bundled = overdub_bundle::bundle(&spec, Format::Clap, &out, Platform::current()).unwrap();
    let mut plugin = Plugin::load(&bundled);
    let mut running = plugin.start(48_000.0, 64, 2, 2);
    let none = EventBuffer::new();
    running.inputs.iter_mut().for_each(|c| c.fill(0.5));
    running.process(64, &none);
    assert_eq!(running.outputs[0][63], 0.5, "unity gain");

    // Another build lands under the same bundle name while the host processes.
    std::fs::copy(static_plugin("delay"), &library).unwrap();
    overdub_bundle::bundle(&spec, Format::Clap, &out, Platform::current()).unwrap();
    for _ in 0..100 {
        running.process(64, &none);
        assert_eq!(running.outputs[0][63], 0.5, "the host still runs the gain it loaded");
    }
    plugin.stop(running);
}
