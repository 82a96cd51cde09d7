//! The compiler's own time for an edit: the rustc command cargo ran for the crate (as `overdub dev` records
//! it), run bare with its outputs and incremental cache in a directory of its own, so it competes with
//! nothing and touches nothing the dev host watches. And the link alone: the same command's linker line
//! (`--print link-args`, objects kept with `-C save-temps`) run again by itself.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The command `overdub dev` recorded from cargo (`<profile>/.overdub/lib<name>.rustc.json`).
#[derive(Clone, Debug, Deserialize)]
pub struct Recorded {
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    cwd: PathBuf,
}

impl Recorded {
    /// Reads it.
    pub fn read(path: &Path) -> Self {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("the dev host recorded no rustc command at {}: {e}", path.display()));
        serde_json::from_str(&text).expect("the recorded command parses")
    }

    /// The command with its outputs and incremental cache moved under `dir`, and `extra` arguments.
    fn command(&self, dir: &Path, extra: &[&str]) -> Command {
        let mut args = Vec::with_capacity(self.args.len());
        let mut iter = self.args.iter();
        while let Some(arg) = iter.next() {
            if arg == "--out-dir" {
                iter.next();
                args.push(arg.clone());
                args.push(dir.join("out").to_string_lossy().into_owned());
            } else if arg.starts_with("incremental=") {
                args.push(format!("incremental={}", dir.join("incremental").display()));
            } else {
                args.push(arg.clone());
            }
        }
        let mut command = Command::new(&self.program);
        command
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(&self.cwd)
            .args(args)
            .args(extra)
            .stdin(Stdio::null());
        command
    }
}

/// Runs `recorded` bare in `dir`; returns how long rustc took.
pub fn time(recorded: &Recorded, dir: &Path) -> Duration {
    std::fs::create_dir_all(dir.join("out")).expect("create the bare build's directory");
    let started = Instant::now();
    let output = recorded.command(dir, &[]).output().expect("run rustc");
    let took = started.elapsed();
    assert!(
        output.status.success(),
        "the bare rustc build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    took
}

/// The linker's time for `recorded`'s crate, median of `runs`: the command is built once more with its
/// objects kept and its linker line printed, and that line is run alone.
pub fn link_time(recorded: &Recorded, dir: &Path, runs: usize) -> Duration {
    std::fs::create_dir_all(dir.join("out")).expect("create the link measurement's directory");
    let output =
        recorded.command(dir, &["-C", "save-temps", "--print", "link-args"]).output().expect("run rustc");
    assert!(
        output.status.success(),
        "the build for the link failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    let line = printed.lines().find(|l| l.contains("\"cc\"") || l.contains("ld")).expect("a linker line");
    let words = quoted_words(line);
    let split = words.iter().position(|w| !is_assignment(w)).expect("a linker program");
    let mut command = Command::new(&words[split]);
    for assignment in &words[..split] {
        let (key, value) = assignment.split_once('=').expect("an assignment");
        command.env(key, value);
    }
    command.args(&words[split + 1..]).current_dir(&recorded.cwd).stdout(Stdio::null());
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let status = command.status().expect("run the linker");
            assert!(status.success(), "the linker failed on its own line");
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Whether a printed word is a `KEY=value` environment assignment.
fn is_assignment(word: &str) -> bool {
    word.split_once('=')
        .is_some_and(|(key, _)| !key.is_empty() && key.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
}

/// The words of rustc's printed linker line: `KEY="value"` and `"arg"`, with backslash escapes in quotes.
fn quoted_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut started) = (false, false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            '\\' if quoted => current.extend(chars.next()),
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            c => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_linker_line_splits_into_assignments_and_quoted_arguments() {
        let words = quoted_words(r#"LC_ALL="C" PATH="/a b:/c" "cc" "-Wl,--as-needed" "/t/x \"y\".o""#);
        assert_eq!(words, ["LC_ALL=C", "PATH=/a b:/c", "cc", "-Wl,--as-needed", "/t/x \"y\".o"]);
        assert!(is_assignment(&words[1]) && !is_assignment(&words[2]));
    }
}
