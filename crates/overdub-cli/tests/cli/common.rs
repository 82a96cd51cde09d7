//! Running the binary with nested cargo builds that share one target directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Where every nested cargo build of these tests goes, so dependencies compile once per test run.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-builds")
}

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the CLI lives at crates/overdub-cli")
        .to_owned()
}

/// `overdub` with the shared target directory and plain error output.
pub fn overdub() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_overdub"));
    command.env("CARGO_TARGET_DIR", target_dir()).env_remove("RUST_BACKTRACE");
    command
}

/// Runs `overdub` with `args` to completion, within the test's deadline.
pub fn run(args: &[&str], dir: &Path) -> Output {
    overdub_testkit::output_within(overdub().args(args).current_dir(dir), overdub_testkit::test_deadline())
}

/// Reads `stdout`'s lines as JSON values, on a thread of its own, into a channel (a line that is not JSON
/// fails the test).
pub fn json_lines(
    stdout: impl std::io::Read + Send + 'static,
) -> (std::sync::mpsc::Receiver<serde_json::Value>, std::thread::JoinHandle<()>) {
    use std::io::BufRead;
    let (send, lines) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let value: serde_json::Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}"));
            if send.send(value).is_err() {
                break;
            }
        }
    });
    (lines, reader)
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The bundle path `overdub bundle` printed on stdout.
#[cfg(target_os = "linux")]
pub fn printed_path(output: &Output) -> PathBuf {
    assert!(output.status.success(), "bundle failed: {}", stderr(output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    PathBuf::from(stdout.lines().last().expect("bundle prints the .clap path").trim())
}

/// The symbols `library` exports, checked to be an ELF shared object.
#[cfg(target_os = "linux")]
pub fn elf_exports(library: &Path) -> Vec<String> {
    use object::{Object, ObjectKind};
    let bytes = std::fs::read(library).unwrap();
    let file = object::File::parse(&*bytes).expect("the bundle parses as an object file");
    assert_eq!(file.format(), object::BinaryFormat::Elf, "{} is not ELF", library.display());
    assert_eq!(file.kind(), ObjectKind::Dynamic, "{} is not a shared object", library.display());
    file.exports()
        .unwrap()
        .filter_map(|export| match export.expect("the export table reads").name() {
            object::NameOrOrdinal::Name(name) => Some(String::from_utf8_lossy(name).into_owned()),
            object::NameOrOrdinal::Ordinal(_) => None,
        })
        .collect()
}

/// A new effect crate named `name` in `dir`, from `overdub new`.
pub fn scaffold(dir: &Path, name: &str) -> PathBuf {
    let output = run(&["new", name], dir);
    assert!(output.status.success(), "overdub new failed: {}", stderr(&output));
    dir.join(name)
}

/// A stereo 48 kHz float WAV of a few different waveforms, long enough for a parameter glide to settle.
pub fn test_wav(path: &Path) -> overdub_cli::wav::Audio {
    let frames = 4000;
    let left = (0..frames).map(|i| (i as f32 * 0.05).sin() * 0.7).collect();
    let right = (0..frames).map(|i| ((i % 100) as f32 / 50.0 - 1.0) * 0.4).collect();
    let audio = overdub_cli::wav::Audio { sample_rate: 48_000, channels: vec![left, right] };
    overdub_cli::wav::write(path, &audio).expect("the test WAV is written");
    audio
}

/// `input` scaled by `gain`: what the gain example and the scaffold produce for a value set before they start
/// (the first value after a reset is in force from the first sample; only later changes glide).
pub fn scaled(input: &overdub_cli::wav::Audio, gain: f32) -> Vec<Vec<f32>> {
    input.channels.iter().map(|channel| channel.iter().map(|&s| s * gain).collect()).collect()
}
