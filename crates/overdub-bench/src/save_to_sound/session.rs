//! One `overdub dev` session on the null device, edited from outside as an author saves: each save timed from
//! the file write to the dev host's report of the first block of new code, with the phases it reports, and
//! the same edit compiled by the bare rustc command cargo runs, in the same run.

use super::bare::{self, Recorded};
use super::crates::EditedCrate;
use overdub_testkit::{ChildGuard, Deadline, EventLog};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a session may take to start (the first build of the dependencies of a new profile included).
const START_BUDGET: Duration = Duration::from_secs(20 * 60);

/// Longest one save may take to be heard.
const SAVE_BUDGET: Duration = Duration::from_secs(120);

/// One timed save.
#[derive(Clone, Debug)]
pub struct Save {
    /// From the file write to the `swapped` line (the dev host reports within 2 ms of the swap).
    pub save_to_sound: Duration,
    /// The same edit compiled by cargo's own rustc command, run bare.
    pub bare_rustc: Duration,
    /// What the dev host reported for the swap.
    pub swapped: Value,
    /// The route the build took.
    pub route: String,
}

/// A dev host playing noise through a crate.
pub struct DevSession {
    child: ChildGuard,
    events: EventLog<(Instant, Value)>,
    krate: EditedCrate,
    target: std::path::PathBuf,
    edits: usize,
}

impl DevSession {
    /// Starts `overdub dev` on `krate` with `flags`, building into `target`.
    pub fn start(overdub: &Path, krate: &EditedCrate, target: &Path, flags: &[&str]) -> Self {
        let mut command = Command::new(overdub);
        command
            .args(["dev", "--device", "null", "--json", "--input", "noise"])
            .args(flags)
            .current_dir(&krate.dir)
            .env("CARGO_TARGET_DIR", target)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = ChildGuard::spawn(&mut command);
        let stdout = child.child().stdout.take().expect("stdout was piped");
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let Ok(value) = serde_json::from_str::<Value>(&line) else { continue };
                if send.send((Instant::now(), value)).is_err() {
                    break;
                }
            }
        });
        let mut events = EventLog::new(lines, Deadline::after(START_BUDGET));
        events.wait_for("the dev host's first build", |(_, e)| e["event"] == "ready");
        Self { child, events, krate: krate.clone(), target: target.to_owned(), edits: 0 }
    }

    /// Saves the next edit and waits until the dev host plays it; with `bare`, also compiles the same source
    /// with cargo's recorded command, run bare.
    pub fn save(&mut self, with_bare: bool) -> Save {
        self.edits += 1;
        let source = self.krate.edited_source(self.edits);
        let mark = self.events.mark();
        let written = Instant::now();
        std::fs::write(self.krate.source(), source).expect("write the edit");
        let deadline = Deadline::after(SAVE_BUDGET);
        let (heard, swapped) = loop {
            if let Some((_, (at, line))) = self.events.claim_since(mark, |(_, e)| e["event"] == "swapped") {
                break (at, line);
            }
            let failed =
                self.events.seen()[mark..].iter().any(|(_, e)| e["event"] == "built" && e["ok"] == false);
            assert!(!failed, "the edit of {} did not build", self.krate.tag);
            deadline.check(|| format!("edit {} of {} was never heard", self.edits, self.krate.tag));
            self.events.pump(Duration::from_millis(5));
        };
        let route = swapped["build_route"].as_str().unwrap_or("unknown").to_owned();
        let bare_rustc = if with_bare { self.bare_rustc() } else { Duration::ZERO };
        Save { save_to_sound: heard - written, bare_rustc, swapped, route }
    }

    /// The recorded cargo command for the crate, as the dev host kept it.
    pub fn recorded(&self) -> Recorded {
        Recorded::read(&self.target.join("debug/.overdub").join(format!("lib{}.rustc.json", self.krate.lib)))
    }

    fn bare_rustc(&self) -> Duration {
        bare::time(&self.recorded(), &self.target.join("bench-bare"))
    }

    /// Blocks the null device finished late so far, from the last meter line.
    pub fn late_blocks(&mut self) -> u64 {
        self.events.pump(Duration::ZERO);
        let meters = self.events.seen().iter().rev().find(|(_, e)| e["event"] == "meter");
        meters.and_then(|(_, e)| e["late_blocks"].as_u64()).unwrap_or(0)
    }

    /// Plays on for `duration` without edits; returns the blocks that were late meanwhile.
    pub fn late_blocks_over(&mut self, duration: Duration) -> u64 {
        let before = self.late_blocks_after_next_meter();
        let until = Instant::now() + duration;
        while Instant::now() < until {
            self.events.pump(Duration::from_millis(50));
        }
        self.late_blocks_after_next_meter() - before
    }

    fn late_blocks_after_next_meter(&mut self) -> u64 {
        let mark = self.events.mark();
        self.events.wait_for_after(mark.saturating_sub(1), "a meter", |(_, e)| e["event"] == "meter");
        self.late_blocks()
    }

    /// Stops the dev host.
    pub fn stop(mut self) {
        let _ = Command::new("kill").args(["-INT", &self.child.child().id().to_string()]).status();
        self.events.wait_for("the dev host to stop", |(_, e)| e["event"] == "interrupted");
        let _ = self.child.child().wait();
    }
}
