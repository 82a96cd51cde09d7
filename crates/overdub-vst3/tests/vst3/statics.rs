//! The static example plugins in the test host: factory and class info, buses and parameters, processing at
//! 44.1 and 48 kHz in blocks of 32, 64 and 512 with sample values checked, notes into the synth, automation,
//! state round trips (as a DAW restores a project) and refused state.

use crate::build::{EXAMPLES, static_plugin};
use crate::host::{AUDIO, EVENTS, Module, Plugin};
use crate::running::{Running, note};
use overdub::param_id;
use overdub_testkit::scratch_dir;
use overdub_vst3::LOG_ENV;
use vst3::Steinberg::kResultOk;

const GAIN: u32 = param_id("gain");
const TIME: u32 = param_id("time");
const FEEDBACK: u32 = param_id("feedback");
const MIX: u32 = param_id("mix");
const RATES: [f64; 2] = [44_100.0, 48_000.0];
const BLOCKS: [usize; 3] = [32, 64, 512];

/// Runs `total` samples in blocks of `block`, with the parameter changes `params_at(start)` returns for the
/// block starting at `start`; channel 0 of the output.
fn run(
    running: &mut Running,
    block: usize,
    total: usize,
    mut params_at: impl FnMut(usize) -> Vec<(u32, u32, f64)>,
) -> Vec<f32> {
    let mut out = Vec::new();
    let mut done = 0;
    while done < total {
        let frames = block.min(total - done);
        assert_eq!(running.process(frames, &[], &params_at(done)), kResultOk);
        out.extend_from_slice(&running.outputs[0][..frames]);
        done += frames;
    }
    out
}

#[test]
fn every_example_lists_one_audio_module_class_that_is_its_own_controller() {
    for (example, subcategories) in
        EXAMPLES.into_iter().zip(["Fx|Stereo", "Fx|Delay|Stereo", "Instrument|Synth|Stereo"])
    {
        let path = static_plugin(example);
        let module = Module::load(&path);
        assert_eq!(module.factory_info(), ("overdub".to_owned(), 1), "{example}: one class");
        let class = module.class();
        assert_eq!(class.category, "Audio Module Class");
        assert!(class.name.starts_with("Overdub "), "{}", class.name);
        assert_eq!(class.subcategories, subcategories, "{example}");
        assert_eq!(class.vendor, "overdub");
        assert!(class.sdk_version.starts_with("VST 3"), "{}", class.sdk_version);
        drop(module);
        let plugin = Plugin::load(&path);
        let stereo = vec![(2, if example == "synth" { "main out" } else { "main in" }.to_owned())];
        if example == "synth" {
            assert_eq!(plugin.buses(AUDIO, true), []);
            assert_eq!(plugin.buses(EVENTS, true), [(16, "notes".to_owned())]);
        } else {
            assert_eq!(plugin.buses(AUDIO, true), stereo);
            assert_eq!(plugin.buses(EVENTS, true), []);
        }
        assert_eq!(plugin.buses(AUDIO, false), [(2, "main out".to_owned())]);
        assert!(!plugin.params().is_empty());
    }
}

#[test]
fn gain_automation_lands_on_its_sample_at_every_rate_and_block_size() {
    for rate in RATES {
        for block in BLOCKS {
            let mut plugin = Plugin::load(&static_plugin("gain"));
            let minus_six = plugin.normalized(GAIN, -6.0);
            let mut running = plugin.start(rate, 512, 2, 2);
            running.inputs.iter_mut().for_each(|c| c.fill(1.0));
            let out = run(&mut running, block, 4096, |start| {
                if start <= 100 && 100 < start + block {
                    vec![(GAIN, (100 - start) as u32, minus_six)]
                } else {
                    vec![]
                }
            });
            assert!(out[..100].iter().all(|&s| s == 1.0), "{rate} {block}: unchanged before the change");
            assert!(out[101] < 1.0, "{rate} {block}: the glide starts at the change");
            let settled = 10f32.powf(-6.0 / 20.0);
            assert!((out[4000] - settled).abs() < 1e-3, "{rate} {block}: {} != {settled}", out[4000]);
            assert!((plugin.plain(GAIN) + 6.0).abs() < 1e-9, "the controller shows the automated value");
            assert_eq!(plugin.tail(), 0);
            plugin.stop(running);
        }
    }
}

#[test]
fn delay_echoes_fall_on_the_samples_its_time_names_at_every_rate_and_block_size() {
    for rate in RATES {
        for block in BLOCKS {
            let mut plugin = Plugin::load(&static_plugin("delay"));
            let ten_ms = plugin.normalized(TIME, 10.0);
            let mut running = plugin.start(rate, 512, 2, 2);
            let delay = (0.010 * rate).round() as usize;
            let mut first = true;
            let mut out = Vec::new();
            while out.len() < 3 * delay + 10 {
                for channel in &mut running.inputs {
                    channel.fill(0.0);
                    channel[0] = if first { 1.0 } else { 0.0 };
                }
                let params = if first { vec![(TIME, 0, ten_ms)] } else { vec![] };
                first = false;
                assert_eq!(running.process(block, &[], &params), kResultOk);
                out.extend_from_slice(&running.outputs[0][..block]);
            }
            // Dry at half the mix, then each echo at half: 1.0, then × the default feedback of 0.4.
            for (at, expected) in [(0, 0.5), (delay, 0.5), (2 * delay, 0.2), (3 * delay, 0.08)] {
                assert!((out[at] - expected).abs() < 1e-6, "{rate} {block}: sample {at} is {}", out[at]);
            }
            let silent = (1..3 * delay).filter(|&i| i % delay != 0).all(|i| out[i] == 0.0);
            assert!(silent, "{rate} {block}: nothing between the echoes");
            assert_eq!(plugin.tail(), (rate * 2.0 * 8.0) as u32, "the logic's tail");
            plugin.stop(running);
        }
    }
}

#[test]
fn synth_sounds_from_its_note_on_and_falls_silent_after_the_release() {
    let mut plugin = Plugin::load(&static_plugin("synth"));
    let mut running = plugin.start(48_000.0, 256, 0, 2);
    let mut out = Vec::new();
    for block in 0..20 {
        let notes = if block == 0 { vec![note(10, true, 69, 1), note(20, true, 64, -1)] } else { vec![] };
        assert_eq!(running.process(256, &notes, &[]), kResultOk);
        out.extend_from_slice(&running.outputs[0][..256]);
    }
    assert!(out[..10].iter().all(|&s| s == 0.0), "silent until the first note");
    assert!(out[100..].iter().any(|s| s.abs() > 0.05), "the notes sound");
    assert_eq!(plugin.tail(), u32::MAX, "held notes keep the synth alive");
    let mut tail = Vec::new();
    for block in 0..200 {
        let notes = if block == 0 { vec![note(0, false, 69, 1), note(0, false, 64, -1)] } else { vec![] };
        running.process(256, &notes, &[]);
        tail.extend_from_slice(&running.outputs[0][..256]);
    }
    assert!(tail[tail.len() - 1000..].iter().all(|&s| s == 0.0), "released voices fall silent");
    assert_eq!(plugin.tail(), 0);
    plugin.stop(running);
}

#[test]
fn parameters_are_listed_and_shown_in_the_logic_s_own_words() {
    let plugin = Plugin::load(&static_plugin("gain"));
    let params = plugin.params();
    assert_eq!(params.len(), 1);
    let (id, title, steps, default, _) = &params[0];
    assert_eq!((*id, title.as_str(), *steps), (GAIN, "Gain", 0));
    assert!((default - 60.0 / 72.0).abs() < 1e-12, "0 dB of -60..12");
    assert_eq!(plugin.text(GAIN, plugin.normalized(GAIN, -6.0)).as_deref(), Some("-6.00 dB"));
    let typed = plugin.parse(GAIN, "-12 dB").unwrap();
    assert!((typed - plugin.normalized(GAIN, -12.0)).abs() < 1e-12);
    assert_eq!(plugin.parse(GAIN, "loud"), None);
    assert_eq!(plugin.set(GAIN, 1.0), kResultOk);
    assert_eq!(plugin.plain(GAIN), 12.0);
    assert_ne!(plugin.set(param_id("nope"), 0.5), kResultOk, "an unknown parameter is refused");
}

/// An impulse and then silence through a fresh activation, with `params` at the first sample: channel 0.
fn impulse_response(plugin: &mut Plugin, params: &[(u32, u32, f64)]) -> Vec<f32> {
    let mut running = plugin.start(48_000.0, 128, 2, 2);
    let mut out = Vec::new();
    for block in 0..40 {
        for channel in &mut running.inputs {
            channel.fill(0.0);
            channel[0] = if block == 0 { 1.0 } else { 0.0 };
        }
        running.process(128, &[], if block == 0 { params } else { &[] });
        out.extend_from_slice(&running.outputs[0][..128]);
    }
    plugin.stop(running);
    out
}

/// A project restored as a DAW does it (component state, the same bytes to the controller, then the
/// controller's own), after which the DAW reads the controller's values and sends them to the processor:
/// a wrapper whose controller ignored the component's state once made hosts restore defaults this way.
#[test]
fn a_restored_project_plays_exactly_as_saved_even_when_the_host_syncs_the_processor_from_the_controller() {
    let path = static_plugin("delay");
    let mut original = Plugin::load(&path);
    for (id, plain) in [(TIME, 10.0), (FEEDBACK, 0.8), (MIX, 0.25)] {
        assert_eq!(original.set(id, original.normalized(id, plain)), kResultOk);
    }
    let (component, controller) = original.save();
    assert!(component.len() < 1024, "settings only, no delay line: {} bytes", component.len());
    let mut restored = Plugin::load(&path);
    assert_eq!(restored.restore(&component, &controller), kResultOk);
    for id in [TIME, FEEDBACK, MIX] {
        assert_eq!(restored.value(id), original.value(id), "the controller shows the project's value");
    }
    let synced: Vec<(u32, u32, f64)> = [TIME, FEEDBACK, MIX].map(|id| (id, 0, restored.value(id))).to_vec();
    let saved = impulse_response(&mut original, &[]);
    let reopened = impulse_response(&mut restored, &synced);
    assert_eq!(saved, reopened, "identical output, sample for sample");
    assert_eq!(restored.save(), (component, controller), "and it saves the same project again");
    let defaults = impulse_response(&mut Plugin::load(&path), &[]);
    assert_ne!(saved, defaults, "the project's settings are not the defaults");
}

#[test]
fn garbled_truncated_random_empty_and_foreign_state_is_refused_reported_and_changes_nothing() {
    let dir = scratch_dir();
    let log = dir.path().join("plugin.log");
    let plugin = Plugin::load_with(&static_plugin("delay"), &[(LOG_ENV, &log)]);
    plugin.set(MIX, 0.25);
    let (good, controller) = plugin.save();
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    let random: Vec<u8> = (0..512u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    let (foreign, _) = Plugin::load(&static_plugin("gain")).save();
    for (what, bytes) in [
        ("flipped", flipped),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("random", random),
        ("empty", Vec::new()),
        ("another plugin's", foreign),
    ] {
        assert_ne!(plugin.restore(&bytes, &controller), kResultOk, "{what} state accepted");
        assert_eq!(plugin.value(MIX), 0.25, "{what} state changed a value");
    }
    let reported = std::fs::read_to_string(&log).unwrap();
    for reason in ["checksum mismatch", "truncated", "not an overdub state", "belongs to plugin"] {
        assert!(reported.contains(reason), "{reason:?} not reported in {reported}");
    }
    assert_eq!(plugin.restore(&good, &controller), kResultOk, "the good state still loads");
    assert_eq!(plugin.latency(), 0);
}

/// The plugin counts its own allocations on the audio thread (the shell, the wrapper) and reports them from
/// its main-thread tick: none through notes, automation at every sample, and projects saved meanwhile.
#[test]
fn the_audio_path_allocates_nothing_through_notes_automation_and_saves() {
    let dir = scratch_dir();
    let log = dir.path().join("plugin.log");
    let mut plugin = Plugin::load_with(&static_plugin("synth"), &[(LOG_ENV, &log)]);
    assert_eq!(plugin.app.timer_count(), 1, "the plugin ticks on the host's run loop");
    let level = param_id("level");
    let mut running = plugin.start(48_000.0, 128, 0, 2);
    for block in 0..600 {
        let key = 48 + (block / 40) as i16;
        let notes = match block % 40 {
            0 => vec![note(3, true, key, block)],
            20 => vec![note(7, false, key, block - 20)],
            _ => vec![],
        };
        let params: Vec<(u32, u32, f64)> =
            (0..128).step_by(16).map(|at| (level, at, f64::from(at) / 128.0)).collect();
        assert_eq!(running.process(128, &notes, &params), kResultOk);
        if block % 10 == 0 {
            plugin.save();
            plugin.run_loop();
        }
    }
    plugin.run_loop();
    let reported = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!reported.contains("allocated"), "{reported}");
    plugin.stop(running);
}
