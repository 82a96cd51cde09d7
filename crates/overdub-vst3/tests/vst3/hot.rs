//! The hot gain plugin pointed at fixture logic libraries: rebuilt logic is picked up while the host
//! processes, with parameter values kept; a new parameter list or latency is asked for with the restart
//! flags VST3 has for it, from the host's run loop; a panicking build is reported and a new build revives it.

use crate::build::{hot_plugin, static_plugin};
use crate::host::{Module, Plugin};
use crate::running::Running;
use overdub::param_id;
use overdub_testkit::{
    dylib_file_name, fixture, install_like_linker, plugin_target_dir, scratch_dir, test_deadline,
};
use overdub_vst3::LOG_ENV;
use std::path::PathBuf;
use std::time::Duration;
use vst3::Steinberg::Vst::RestartFlags_::{
    kLatencyChanged, kParamTitlesChanged, kParamValuesChanged, kReloadComponent,
};

const GAIN: u32 = param_id("gain");
const EXPLODE: u32 = param_id("explode");
const ALLOCATE: u32 = param_id("allocate");
/// The host's block clock: a block of 64 samples about every millisecond.
const BLOCK_PERIOD: Duration = Duration::from_millis(1);

/// A hot plugin following `logic`, reporting into a log file of its own.
struct Hot {
    plugin: Plugin,
    log: PathBuf,
    _dir: tempfile::TempDir,
    logic: PathBuf,
}

impl Hot {
    /// The hot plugin following a library first built from `fixture_name`.
    fn following(fixture_name: &str) -> Self {
        let dir = scratch_dir();
        let logic = dir.path().join(dylib_file_name("tone"));
        install_like_linker(&fixture(fixture_name), &logic);
        Self::at(dir, logic)
    }

    fn at(dir: tempfile::TempDir, logic: PathBuf) -> Self {
        let log = dir.path().join("plugin.log");
        let plugin = Plugin::load_with(&hot_plugin(), &[("OVERDUB_LOGIC", &logic), (LOG_ENV, &log)]);
        Self { plugin, log, _dir: dir, logic }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Lands a build of `fixture_name` where the plugin looks, as cargo does.
    fn rebuild(&self, fixture_name: &str) {
        install_like_linker(&fixture(fixture_name), &self.logic);
    }

    /// Plays blocks (running the host's run loop between them) until `done` says so, within the test's
    /// deadline.
    fn play_until(&mut self, running: &mut Running, what: &str, mut done: impl FnMut(&Plugin, f32) -> bool) {
        let deadline = test_deadline();
        loop {
            self.plugin.run_loop();
            let last = block(running, &[]);
            if done(&self.plugin, last) {
                return;
            }
            deadline.check(|| format!("{what} never happened (output {last}); log: {}", self.log()));
            std::thread::sleep(BLOCK_PERIOD);
        }
    }

    /// Plays until a restart with `flag` is asked for, then restarts the plugin as a host does.
    fn restart_when_asked(&mut self, running: Running, flag: i32) -> Running {
        let mut running = running;
        let mut asked = Vec::new();
        self.play_until(&mut running, "a restart request", |plugin, _| {
            asked.extend(plugin.take_restarts());
            asked.iter().any(|flags| flags & flag != 0)
        });
        assert_eq!(asked, [flag], "one restart request, for this reason only");
        self.plugin.stop(running);
        self.plugin.start(48_000.0, 64, 2, 2)
    }
}

/// One block of 64 samples of 1.0 with parameter changes `params`; the last output sample.
fn block(running: &mut Running, params: &[(u32, u32, f64)]) -> f32 {
    running.inputs.iter_mut().for_each(|c| c.fill(1.0));
    running.process(64, &[], params);
    running.outputs[0][63]
}

#[test]
fn a_hot_plugin_follows_rebuilds_while_the_host_processes_and_keeps_parameter_values() {
    let mut hot = Hot::following("tone");
    let mut running = hot.plugin.start(48_000.0, 64, 2, 2);
    let two = hot.plugin.normalized(GAIN, 2.0);
    assert_eq!(block(&mut running, &[(GAIN, 0, two)]), 2.0);
    hot.rebuild("tone_v2");
    hot.play_until(&mut running, "the new build playing", |_, last| last == 2.5);
    assert_eq!(hot.plugin.plain(GAIN), 2.0, "the parameter survived the reload");
    let log = hot.log.clone();
    hot.play_until(&mut running, "the reload reported", |_, _| {
        std::fs::read_to_string(&log).unwrap_or_default().contains("new build running after")
    });
    let log = hot.log();
    assert!(log.contains(&format!("running {} (hot)", hot.logic.display())), "{log}");
    assert!(hot.plugin.take_restarts().is_empty(), "a code-only rebuild asks the host for nothing");
    hot.plugin.stop(running);
}

#[test]
fn a_new_parameter_list_asks_for_a_reload_and_then_for_the_new_titles() {
    let mut hot = Hot::following("tone");
    let ids = |plugin: &Plugin| plugin.params().into_iter().map(|p| p.0).collect::<Vec<_>>();
    assert_eq!(ids(&hot.plugin), [GAIN, EXPLODE, ALLOCATE]);
    let running = hot.plugin.start(48_000.0, 64, 2, 2);
    hot.rebuild("tone_more_params");
    let mut running = hot.restart_when_asked(running, kReloadComponent);
    assert_eq!(ids(&hot.plugin), [GAIN, EXPLODE, ALLOCATE, param_id("drive")], "the new build's list");
    hot.plugin.run_loop();
    assert_eq!(
        hot.plugin.take_restarts(),
        [kParamTitlesChanged | kParamValuesChanged],
        "the host rereads it"
    );
    for _ in 0..50 {
        hot.plugin.run_loop();
        block(&mut running, &[]);
    }
    assert!(hot.plugin.take_restarts().is_empty(), "no second request: the plugin would restart forever");
    hot.plugin.stop(running);
}

#[test]
fn a_new_latency_asks_for_a_restart_after_which_the_host_reads_it() {
    let mut hot = Hot::following("tone");
    let running = hot.plugin.start(48_000.0, 64, 2, 2);
    assert_eq!(hot.plugin.latency(), 0);
    let three = hot.plugin.normalized(GAIN, 3.0);
    assert_eq!(hot.plugin.set(GAIN, three), vst3::Steinberg::kResultOk);
    hot.rebuild("tone_latency");
    let mut running = hot.restart_when_asked(running, kLatencyChanged);
    assert_eq!(hot.plugin.latency(), 64);
    assert_eq!(block(&mut running, &[]), 3.0, "the value survived the reload and the restart");
    hot.plugin.stop(running);
}

#[test]
fn a_panicking_build_is_reported_and_a_new_build_revives_it() {
    let mut hot = Hot::following("tone");
    let log = hot.log.clone();
    let reported = move |text: &str| std::fs::read_to_string(&log).unwrap_or_default().contains(text);
    let mut running = hot.plugin.start(44_100.0, 64, 2, 2);
    assert_eq!(block(&mut running, &[(EXPLODE, 0, 1.0)]), 0.0, "a faulted logic outputs silence");
    hot.play_until(&mut running, "the panic reported", |_, _| reported("process panicked: tone exploded"));
    assert_eq!(hot.plugin.set(EXPLODE, 0.0), vst3::Steinberg::kResultOk);
    hot.rebuild("tone_v2");
    hot.play_until(&mut running, "the new build reviving it", |_, last| last == 1.5);
    hot.plugin.stop(running);
}

#[test]
fn a_logic_that_allocates_on_the_audio_thread_is_reported() {
    let mut hot = Hot::following("tone");
    let log = hot.log.clone();
    let mut running = hot.plugin.start(48_000.0, 64, 2, 2);
    block(&mut running, &[(ALLOCATE, 0, 1.0)]);
    hot.play_until(&mut running, "the allocations reported", |_, _| {
        std::fs::read_to_string(&log).unwrap_or_default().contains("the logic's process() allocated")
    });
    hot.plugin.stop(running);
}

#[test]
fn a_hot_plugin_is_listed_apart_from_the_static_one_and_waits_for_a_missing_library_keeping_its_state() {
    let profile = plugin_target_dir(true).join("debug");
    let hot_class = Module::load(&hot_plugin()).class();
    assert!(
        !profile.join(dylib_file_name("gain")).exists(),
        "the hot build neither built nor linked the logic"
    );
    assert_eq!(hot_class.name, "Overdub Gain (hot)");
    assert_ne!(hot_class.cid, Module::load(&static_plugin("gain")).class().cid, "a class id of its own");

    let state = {
        let saved = Hot::following("tone");
        assert_eq!(saved.plugin.set(GAIN, saved.plugin.normalized(GAIN, 2.5)), vst3::Steinberg::kResultOk);
        saved.plugin.save().0
    };
    let dir = scratch_dir();
    let logic = dir.path().join(dylib_file_name("tone"));
    let mut hot = Hot::at(dir, logic);
    assert!(hot.log().contains("waiting for"), "{}", hot.log());
    assert_eq!(hot.plugin.restore(&state, &[]), vst3::Steinberg::kResultOk, "kept as given");
    assert_eq!(hot.plugin.save().0, state, "and handed back unchanged");
    let mut running = hot.plugin.start(48_000.0, 64, 2, 2);
    assert_eq!(block(&mut running, &[]), 0.0, "silence until a library arrives");
    hot.rebuild("tone");
    let mut running = hot.restart_when_asked(running, kReloadComponent);
    assert_eq!(hot.plugin.plain(GAIN), 2.5, "the first build took the project's settings");
    assert_eq!(block(&mut running, &[]), 2.5);
    hot.plugin.stop(running);
}

/// A restart the plugin asked for (a reload changed a parameter default, not the memory's layout) keeps the
/// logic's memory: the delay's echoes ring on through it at the amplitudes they had coming.
#[test]
fn a_restart_the_plugin_asked_for_keeps_the_echoes_ringing() {
    const ECHO_DELAY: usize = 1000;
    let mut hot = Hot::following("echo");
    let mut running = hot.plugin.start(48_000.0, 64, 2, 2);
    let mut heard = Vec::new();
    let play = |running: &mut Running, heard: &mut Vec<f32>| {
        for input in &mut running.inputs {
            input.fill(0.0);
            input[0] = if heard.is_empty() { 1.0 } else { 0.0 };
        }
        running.process(64, &[], &[]);
        heard.extend_from_slice(&running.outputs[0][..64]);
    };
    while heard.len() < 2 * ECHO_DELAY {
        play(&mut running, &mut heard);
    }
    hot.rebuild("echo_mix_default");
    let deadline = test_deadline();
    let mut asked = Vec::new();
    while !asked.contains(&kReloadComponent) {
        deadline.check(|| format!("no restart asked for; log: {}", hot.log()));
        hot.plugin.run_loop();
        asked.extend(hot.plugin.take_restarts());
        play(&mut running, &mut heard);
        std::thread::sleep(BLOCK_PERIOD);
    }
    hot.plugin.stop(running);
    let mut running = hot.plugin.start(48_000.0, 64, 2, 2);
    let after = heard.len();
    while heard.len() < after + 3 * ECHO_DELAY {
        play(&mut running, &mut heard);
    }
    assert!(hot.log().contains("state kept"), "{}", hot.log());
    // Echoes of the impulse at every multiple of the delay: 0.5, then ×0.9 each time.
    let echoes: Vec<(usize, f32)> = (1..heard.len() / ECHO_DELAY)
        .map(|k| k * ECHO_DELAY)
        .filter(|&at| at >= after)
        .map(|at| (at, heard[at]))
        .collect();
    assert!(!echoes.is_empty(), "echoes fell after the restart");
    for (at, echo) in echoes {
        let k = (at / ECHO_DELAY) as i32;
        let expected = 0.5 * 0.9f32.powi(k - 1);
        assert!((echo - expected).abs() < 1e-4, "echo {k} at {at}: {echo}, expected {expected}");
    }
    hot.plugin.stop(running);
}
