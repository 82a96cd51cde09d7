//! `overdub dev --json` on the null device: an edit is picked up, rebuilt and reported with its timings, and
//! Ctrl-C ends it cleanly.

use crate::common::{json_lines, overdub, scaffold};
use overdub_testkit::{ChildGuard, EventLog, test_deadline};
use serde_json::Value;
use std::process::{Command, Stdio};

/// Whether a JSON line is the event named `name`.
fn is(name: &'static str) -> impl Fn(&Value) -> bool {
    move |line| line["event"] == name
}

#[test]
fn dev_json_picks_up_an_edit_and_reports_the_reload_with_timings() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "live-fx");
    let mut dev = ChildGuard::spawn(
        overdub()
            .args(["dev", "--device", "null", "--json", "--input", "noise"])
            .current_dir(&krate)
            .stdout(Stdio::piped()),
    );
    let stdout = dev.child().stdout.take().unwrap();
    let (lines, reader) = json_lines(stdout);
    let mut events = EventLog::new(lines, test_deadline());

    let ready = events.wait_for("ready", is("ready"));
    assert!(ready["device"].as_str().unwrap().starts_with("null device"), "{ready}");
    let lib = krate.join("src/lib.rs");
    let source = std::fs::read_to_string(&lib).unwrap();
    let (find, replace) = ("*sample *= level;", "*sample *= level * 0.25;");
    assert!(source.contains(find), "the scaffold no longer has the line this test edits: {find}");
    std::fs::write(&lib, source.replace(find, replace)).unwrap();

    // The library watcher often sees the new file before cargo has exited: `swapped` may come before `built`.
    let swapped = events.wait_for("swapped", is("swapped"));
    let built = events.wait_for("built", is("built"));
    assert_eq!(built["ok"], true);
    assert_eq!(built["route"], "fast", "a source edit runs the recorded rustc command: {built}");
    assert_eq!(swapped["state"], "kept", "a code-only edit keeps the state: {swapped}");
    for phase in [
        "save_to_sound_ms",
        "detect_ms",
        "build_ms",
        "settle_ms",
        "load_ms",
        "prepare_ms",
        "swap_ms",
        "reload_ms",
    ] {
        assert!(swapped[phase].as_f64().is_some_and(|ms| ms >= 0.0), "{phase} missing: {swapped}");
    }
    // Lines are printed in order: the second meter after the swap measured only the new code.
    let swapped_at = events.position(|line| *line == swapped).expect("it was received");
    events.wait_for_after(swapped_at, "a meter after the swap", is("meter"));
    let meter = events.wait_for_after(swapped_at, "a second meter after the swap", is("meter"));
    assert!(meter["peak_dbfs"].as_f64().unwrap() < -6.0, "the new code plays at a quarter: {meter}");

    let status = Command::new("kill").args(["-INT", &dev.child().id().to_string()]).status().unwrap();
    assert!(status.success());
    events.wait_for("interrupted", is("interrupted"));
    assert!(dev.child().wait().unwrap().success(), "Ctrl-C exits cleanly");
    reader.join().unwrap();
}

#[test]
fn a_wav_input_plays_on_the_null_device_at_the_file_s_own_rate() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "rate-fx");
    let wav = dir.path().join("cd.wav");
    let audio = overdub_cli::wav::Audio { sample_rate: 44_100, channels: vec![vec![0.25; 4410]; 2] };
    overdub_cli::wav::write(&wav, &audio).unwrap();
    let output = crate::common::run(
        &["dev", "--device", "null", "--json", "--stop-after", "0.2", "--input", wav.to_str().unwrap()],
        &krate,
    );
    assert!(output.status.success(), "{}", crate::common::stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let first: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["event"], "audio", "{stdout}");
    assert!(first["device"].as_str().unwrap().contains("44100 Hz"), "{stdout}");
}

/// The `editor` line of a `dev --json` run of `krate` with `display` (none: `DISPLAY` unset).
fn editor_line(krate: &std::path::Path, display: Option<&str>) -> Value {
    let mut command = overdub();
    command.args(["dev", "--device", "null", "--json", "--stop-after", "1"]).current_dir(krate);
    match display {
        Some(display) => command.env("DISPLAY", display),
        None => command.env_remove("DISPLAY"),
    };
    let output = overdub_testkit::output_within(&mut command, test_deadline());
    assert!(output.status.success(), "{}", crate::common::stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().find(|line| line.contains(r#""event":"editor""#));
    serde_json::from_str(line.unwrap_or_else(|| panic!("no editor line: {stdout}"))).unwrap()
}

#[test]
fn dev_opens_the_editor_in_a_window_of_its_own_when_there_is_a_display_and_says_why_not_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "gui-fx");
    let without = editor_line(&krate, None);
    let message = without["message"].as_str().unwrap();
    assert!(message.contains("not shown") && message.contains("DISPLAY"), "{without}");
    let Some(display) = overdub_testkit::x11::x_server() else { return };
    let with = editor_line(&krate, Some(display));
    assert!(with["message"].as_str().unwrap().starts_with("open in a window of its own"), "{with}");
}
