//! Child processes a test cannot be left waiting on: each runs in a process group of its own, is waited for
//! no later than the test's [`Deadline`], and is killed with everything it started when the test gives up.

use crate::wait::Deadline;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::channel;

/// Runs `command` to completion, or kills it (and its children) and fails the test at `deadline`.
#[track_caller]
pub fn output_within(command: &mut Command, deadline: Deadline) -> Output {
    let child = spawn_group(command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()));
    let group = child.id();
    let (done, finished) = channel();
    let waiter = std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match finished.recv_timeout(deadline.left()) {
        Ok(output) => {
            waiter.join().expect("the waiting thread only waits");
            output.unwrap_or_else(|e| panic!("waiting for {command:?} failed: {e}"))
        }
        Err(_) => {
            kill_group(group);
            panic!("{command:?} did not finish by the test's deadline; killed it");
        }
    }
}

/// Runs a shell command line, as a user at a terminal would, and fails the test if it fails.
#[track_caller]
pub fn run_shell(line: &str) {
    let output = output_within(Command::new("sh").arg("-c").arg(line), crate::wait::test_deadline());
    assert!(output.status.success(), "{line}: {}", String::from_utf8_lossy(&output.stderr));
}

/// A running child that is killed, with everything it started, when the guard drops (a failing test must
/// not leave a dev host playing).
pub struct ChildGuard {
    child: Child,
}

impl ChildGuard {
    /// Starts `command` in a process group of its own.
    #[track_caller]
    pub fn spawn(command: &mut Command) -> Self {
        Self { child: spawn_group(command) }
    }

    /// The child.
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            kill_group(self.child.id());
            let _ = self.child.wait();
        }
    }
}

#[track_caller]
fn spawn_group(command: &mut Command) -> Child {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    command.spawn().unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"))
}

fn kill_group(group: u32) {
    #[cfg(unix)]
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{group}")]).status();
    #[cfg(not(unix))]
    let _ = Command::new("taskkill").args(["/F", "/T", "/PID", &group.to_string()]).status();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[cfg(unix)]
    #[test]
    fn a_command_past_the_deadline_is_killed_and_fails_the_test() {
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| {
            output_within(Command::new("sleep").arg("30"), Deadline::after(Duration::from_millis(100)))
        });
        assert!(result.is_err());
        assert!(started.elapsed() < Duration::from_secs(20), "the wait ended at the deadline");
    }

    #[cfg(unix)]
    #[test]
    fn a_command_that_finishes_gives_its_output() {
        let output = output_within(Command::new("echo").arg("hi"), Deadline::after(Duration::from_secs(30)));
        assert_eq!(String::from_utf8_lossy(&output.stdout), "hi\n");
    }
}
