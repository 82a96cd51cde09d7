//! The static example plugins in a real host: descriptors, extensions, processing at several rates and block
//! sizes with notes and automation, state round trips and refused state.

use crate::build::{EXAMPLES, static_plugin};
use crate::host::{Plugin, Running, describe, entry, param_event};
use clack_extensions::params::ParamRescanFlags;
use clack_host::events::event_types::{MidiEvent, NoteOffEvent, NoteOnEvent};
use clack_host::prelude::*;
use overdub::param_id;

const GAIN_ID: u32 = param_id("gain");
const TIME_ID: u32 = param_id("time");
const FEEDBACK_ID: u32 = param_id("feedback");
const MIX_ID: u32 = param_id("mix");

fn run(
    running: &mut Running,
    block: usize,
    total: usize,
    mut events_at: impl FnMut(usize) -> EventBuffer,
) -> Vec<f32> {
    let mut out = Vec::new();
    let mut done = 0;
    while done < total {
        let frames = block.min(total - done);
        running.process(frames, &events_at(done));
        out.extend_from_slice(&running.outputs[0][..frames]);
        done += frames;
    }
    out
}

#[test]
fn every_example_describes_itself_and_offers_its_extensions() {
    for example in EXAMPLES {
        let path = static_plugin(example);
        let (id, name, features) = describe(&entry(&path));
        assert_eq!(id, format!("dev.overdub.examples.{example}"));
        assert!(name.starts_with("Overdub "), "{name}");
        let mut plugin = Plugin::load(&path);
        let [audio, notes, params, state, latency, tail] = plugin.extensions();
        assert!(audio && params && state && latency && tail, "{example}");
        assert_eq!(notes, example == "synth", "{example}: note ports only for the instrument");
        assert_eq!(plugin.audio_port(false), Some((2, (example != "synth").then_some(0))));
        if example == "synth" {
            assert!(features.contains(&"instrument".to_owned()));
            assert_eq!(plugin.audio_port(true), None);
            assert_eq!(plugin.note_dialects(), Some(0b11), "CLAP and MIDI dialects");
        } else {
            assert!(features.contains(&"audio-effect".to_owned()));
            assert_eq!(plugin.audio_port(true), Some((2, Some(0))));
        }
        assert!(!plugin.params().is_empty());
    }
}

#[test]
fn gain_automation_lands_on_its_sample_at_every_rate_and_block_size() {
    for rate in [44_100.0, 48_000.0] {
        for block in [32, 64, 512] {
            let mut plugin = Plugin::load(&static_plugin("gain"));
            let mut running = plugin.start(rate, 512, 2, 2);
            running.inputs.iter_mut().for_each(|c| c.fill(1.0));
            let out = run(&mut running, block, 4096, |start| {
                let mut events = EventBuffer::new();
                if start <= 100 && 100 < start + block {
                    events.push(&param_event((100 - start) as u32, GAIN_ID, -6.0));
                }
                events
            });
            assert!(out[..100].iter().all(|&s| s == 1.0), "{rate} {block}: unchanged before the event");
            assert!(out[101] < 1.0, "{rate} {block}: the glide starts at the event");
            let settled = 10f32.powf(-6.0 / 20.0);
            assert!((out[4000] - settled).abs() < 1e-3, "{rate} {block}: {} != {settled}", out[4000]);
            assert!(out.iter().all(|s| s.is_finite() && (*s == 0.0 || s.is_normal())));
            assert_eq!(plugin.value(GAIN_ID), Some(-6.0), "the host reads the automated value");
            plugin.stop(running);
        }
    }
}

#[test]
fn parameter_text_comes_from_the_logic_and_flushes_set_values() {
    let mut plugin = Plugin::load(&static_plugin("gain"));
    assert_eq!(plugin.params(), vec![(GAIN_ID, "Gain".to_owned())]);
    assert_eq!(plugin.value_to_text(GAIN_ID, -6.0).as_deref(), Some("-6.00 dB"));
    assert_eq!(plugin.text_to_value(GAIN_ID, "-12 dB"), Some(-12.0));
    assert_eq!(plugin.text_to_value(GAIN_ID, "loud"), None);
    plugin.flush(&[(GAIN_ID, 99.0)]);
    assert_eq!(plugin.value(GAIN_ID), Some(12.0), "constrained to the range");
}

#[test]
fn synth_plays_clap_and_midi_notes_and_releases_them() {
    let mut plugin = Plugin::load(&static_plugin("synth"));
    let mut running = plugin.start(48_000.0, 256, 0, 2);
    let out = run(&mut running, 256, 4800, |start| {
        let mut events = EventBuffer::new();
        if start == 0 {
            events.push(&NoteOnEvent::new(10, Pckn::new(0u16, 0u16, 69u16, 1u32), 1.0));
            events.push(&MidiEvent::new(20, 0, [0x90, 64, 100]));
        }
        events
    });
    assert!(out[..10].iter().all(|&s| s == 0.0), "silent before the first note");
    assert!(out[100..].iter().any(|s| s.abs() > 0.05), "notes sound");
    let tail = run(&mut running, 256, 48_000, |start| {
        let mut events = EventBuffer::new();
        if start == 0 {
            events.push(&NoteOffEvent::new(0, Pckn::new(0u16, 0u16, 69u16, 1u32), 0.0));
            events.push(&MidiEvent::new(0, 0, [0x80, 64, 0]));
        }
        events
    });
    assert!(tail[47_000..].iter().all(|&s| s == 0.0), "released voices fall silent");
    plugin.stop(running);
}

fn delay_with_history(plugin: &mut Plugin) -> Running {
    let mut running = plugin.start(48_000.0, 128, 2, 2);
    for block in 0..20 {
        for (channel, samples) in running.inputs.iter_mut().enumerate() {
            for (i, s) in samples.iter_mut().enumerate() {
                *s = ((block * 128 + i + channel * 7) as f32 * 0.01).sin();
            }
        }
        let mut events = EventBuffer::new();
        events.push(&param_event(5, TIME_ID, 10.0));
        running.process(128, &events);
    }
    running
}

/// A project holds the delay's settings, not its delay line: it stays small, and reopening it does not
/// replay the echoes that were ringing when it was saved.
#[test]
fn delay_settings_restore_into_a_fresh_instance_without_the_echoes_of_the_save() {
    let path = static_plugin("delay");
    let mut original = Plugin::load(&path);
    let mut a = delay_with_history(&mut original);
    let state = original.save();
    assert!(state.len() < 1024, "settings only, no delay line: {} bytes", state.len());
    let mut restored = Plugin::load(&path);
    let mut b = restored.start(48_000.0, 128, 2, 2);
    restored.load_state(&state).expect("load state");
    assert_eq!(restored.value(TIME_ID), Some(10.0), "time parameter restored");
    for running in [&mut a, &mut b] {
        running.inputs.iter_mut().for_each(|c| c.fill(0.0));
    }
    let none = EventBuffer::new();
    let (mut echoes, mut replayed) = (0.0f32, 0.0f32);
    for _ in 0..8 {
        a.process(128, &none);
        b.process(128, &none);
        echoes = a.outputs[0].iter().fold(echoes, |m, s| m.max(s.abs()));
        replayed = b.outputs[0].iter().fold(replayed, |m, s| m.max(s.abs()));
    }
    assert!(echoes > 1e-3, "the original still rings");
    assert_eq!(replayed, 0.0, "the reopened project starts silent");
    original.stop(a);
    restored.stop(b);
}

#[test]
fn loaded_state_that_changes_values_makes_the_host_rescan_values() {
    let path = static_plugin("delay");
    let mut source = Plugin::load(&path);
    source.flush(&[(FEEDBACK_ID, 0.8)]);
    let state = source.save();
    let mut target = Plugin::load(&path);
    target.load_state(&state).expect("load before activation");
    assert_eq!(target.value(FEEDBACK_ID), Some(0.8));
    assert_eq!(target.rescans(), vec![ParamRescanFlags::VALUES]);
}

#[test]
fn garbled_truncated_random_and_foreign_state_is_refused_and_changes_nothing() {
    let mut plugin = Plugin::load(&static_plugin("delay"));
    plugin.flush(&[(MIX_ID, 0.25)]);
    let good = plugin.save();
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    let random: Vec<u8> = (0..512u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    let foreign = Plugin::load(&static_plugin("gain")).save();
    for (what, bytes) in [
        ("flipped", flipped),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("random", random),
        ("empty", Vec::new()),
        ("another plugin's", foreign),
    ] {
        assert!(plugin.load_state(&bytes).is_err(), "{what} state accepted");
        assert_eq!(plugin.value(MIX_ID), Some(0.25), "{what} state changed a value");
    }
    assert!(plugin.rescans().is_empty());
    assert_eq!(plugin.latency(), 0);
    plugin.load_state(&good).expect("the good state still loads");
    let mut running = plugin.start(44_100.0, 64, 2, 2);
    running.process(64, &EventBuffer::new());
    plugin.stop(running);
}
