//! Every input a user can get wrong gives a message saying what to do, and a non-zero exit.

use crate::common::{run, scaffold, stderr, test_wav};
use std::process::Output;

fn fails_with(output: &Output, words: &[&str]) {
    let text = stderr(output);
    assert!(!output.status.success(), "should have failed; stderr: {text}");
    for word in words {
        assert!(text.contains(word), "stderr lacks `{word}`:\n{text}");
    }
}

#[test]
fn a_directory_without_cargo_toml_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    test_wav(&dir.path().join("in.wav"));
    let output = run(&["render", "--input", "in.wav", "--output", "out.wav"], dir.path());
    fails_with(&output, &["no Cargo.toml", "overdub new"]);
}

#[test]
fn a_crate_that_builds_no_library_is_not_a_logic_crate() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"plain\"\nversion = \"0.1.0\"\n")
        .unwrap();
    let output = run(&["dev", "--device", "null"], dir.path());
    fails_with(&output, &["not an overdub logic crate", "cdylib"]);
}

#[test]
fn a_failing_build_shows_cargo_s_message() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "broken");
    let lib = krate.join("src/lib.rs");
    let source = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        source.replace("ProcessStatus::Normal\n", "ProcessStatus::Normal + missing_thing\n"),
    )
    .unwrap();
    let output = run(&["dev", "--device", "null", "broken"], dir.path());
    fails_with(&output, &["missing_thing", "cargo build failed"]);
}

#[test]
fn a_bad_wav_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.wav"), b"RIFF\x04\0\0\0WAVEjunk").unwrap();
    let output =
        run(&["render", "--input", "bad.wav", "--output", "out.wav", "--logic", "none.so"], dir.path());
    fails_with(&output, &["bad.wav is not a usable WAV file"]);
    let output =
        run(&["render", "--input", "missing.wav", "--output", "out.wav", "--logic", "none.so"], dir.path());
    fails_with(&output, &["missing.wav is not a usable WAV file", "no such file"]);
}

#[test]
fn an_unknown_parameter_lists_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    scaffold(dir.path(), "params-fx");
    test_wav(&dir.path().join("in.wav"));
    let output = run(
        &["render", "--input", "in.wav", "--output", "out.wav", "--param", "Drive=3", "--crate", "params-fx"],
        dir.path(),
    );
    fails_with(&output, &["unknown parameter `Drive`", "Level (0.00 to 2.00, default 1.00)"]);
}

#[test]
fn new_refuses_an_existing_directory_and_a_bad_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    fails_with(&run(&["new", "taken"], dir.path()), &["already exists"]);
    fails_with(&run(&["new", "9lives"], dir.path()), &["not a valid crate name"]);
}

#[test]
fn without_a_sound_card_dev_falls_back_to_the_null_device_and_says_how_first() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "no-card");
    let output = run(&["dev", "--json", "--stop-after", "0.2"], &krate);
    assert!(output.status.success(), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["event"], "audio", "{stdout}");
    let device = first["device"].as_str().unwrap();
    if cfg!(feature = "sound-card") {
        assert!(
            device.starts_with("sound card") || device.starts_with("null device (no usable sound card"),
            "{device}"
        );
    } else {
        assert!(device.starts_with("null device (") && device.contains("--features sound-card"), "{device}");
    }
}
