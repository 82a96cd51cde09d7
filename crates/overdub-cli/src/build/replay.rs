//! The fast path: the recorded rustc command run again for the logic crate, its diagnostics shown as cargo
//! shows them, and its cdylib put where cargo puts it.
//!
//! What differs from cargo's own run, each choice measured by the save→sound benchmark: with
//! [`Emit::Cdylib`] only the cdylib is emitted (the rlib is for other crates and `cargo test`, which build
//! through cargo, whose fingerprint of the crate no longer matches, so it rebuilds them); and the incremental
//! cache of a command that differs from cargo's is a directory of its own, so the two never discard each
//! other's. Everything else (flags, environment, working directory, output paths) is cargo's.

use super::record::Invocation;
use serde::Deserialize;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use thiserror::Error;

/// What the fast path emits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// Only the cdylib the dev host loads.
    #[default]
    Cdylib,
    /// Every crate type cargo builds (the cdylib and the rlib), as cargo's command does.
    AsCargo,
}

/// Why a fast build gave no library.
#[derive(Debug, Error)]
pub enum ReplayError {
    /// rustc could not be started.
    #[error("cannot run {program}: {source}")]
    Spawn {
        /// The compiler.
        program: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// rustc reported errors (held in `diagnostics`, as cargo would show them).
    #[error("rustc failed")]
    Failed {
        /// The rendered diagnostics, for whoever decides whether to show them.
        diagnostics: String,
    },
    /// The recorded command names no output directory or crate.
    #[error("the recorded rustc command has no {0}")]
    Incomplete(&'static str),
    /// The cdylib could not be put in place.
    #[error("cannot put {path} in place: {source}")]
    Uplift {
        /// The file being written.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
}

/// The command the fast path runs for `invocation`.
pub fn command(invocation: &Invocation, emit: Emit) -> Command {
    let mut command = Command::new(&invocation.program);
    command.env_clear().envs(invocation.env.iter().map(|(k, v)| (k, v))).current_dir(&invocation.cwd);
    command.args(arguments(invocation, emit));
    command
}

/// cargo's arguments, less what `emit` leaves out.
fn arguments(invocation: &Invocation, emit: Emit) -> Vec<String> {
    if emit == Emit::AsCargo {
        return invocation.args.clone();
    }
    let mut out = Vec::with_capacity(invocation.args.len());
    let mut args = invocation.args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--crate-type" => {
                if args.next().is_some_and(|kind| kind.split(',').any(|k| k == "cdylib")) {
                    out.extend(["--crate-type".to_owned(), "cdylib".to_owned()]);
                }
            }
            // The metadata is for crates that depend on this one; a cdylib has none.
            emit if emit.starts_with("--emit=") => {
                let kinds: Vec<&str> =
                    emit["--emit=".len()..].split(',').filter(|k| *k != "metadata").collect();
                out.push(format!("--emit={}", kinds.join(",")));
            }
            incremental
                if incremental.starts_with("incremental=") && out.last().is_some_and(|a| a == "-C") =>
            {
                out.push(format!("{incremental}/overdub-cdylib"));
            }
            _ => out.push(arg.clone()),
        }
    }
    out
}

/// Runs the fast build of `invocation`, shows its diagnostics on success (on failure they are returned, for
/// cargo to show its own), and hard-links the new cdylib over `library` by a rename, as cargo uplifts it.
pub fn run(invocation: &Invocation, emit: Emit, library: &Path) -> Result<(), ReplayError> {
    let crate_name = invocation.value_of("--crate-name").ok_or(ReplayError::Incomplete("crate name"))?;
    let out_dir = invocation.value_of("--out-dir").ok_or(ReplayError::Incomplete("output directory"))?;
    let out_dir = invocation.cwd.join(out_dir);
    let extra = invocation.codegen("extra-filename").unwrap_or("");
    let built = out_dir.join(crate::build::cdylib_file_name(&format!("{crate_name}{extra}")));
    let mut child = command(invocation, emit)
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| ReplayError::Spawn { program: invocation.program.clone(), source })?;
    let stderr = child.stderr.take().expect("stderr was piped");
    let mut diagnostics = String::new();
    let mut warnings = 0;
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        match serde_json::from_str::<Diagnostic>(&line) {
            Ok(diagnostic) if diagnostic.is_shown() => {
                warnings += usize::from(diagnostic.level == "warning");
                diagnostics += diagnostic.rendered.as_deref().unwrap_or_default();
            }
            Ok(_) => {}
            // rustc's own messages that are not JSON (an internal error, say) are shown as they are.
            Err(_) if !line.starts_with('{') => {
                diagnostics += &line;
                diagnostics.push('\n');
            }
            Err(_) => {}
        }
    }
    let status =
        child.wait().map_err(|source| ReplayError::Spawn { program: invocation.program.clone(), source })?;
    if !status.success() {
        return Err(ReplayError::Failed { diagnostics });
    }
    show(&diagnostics, warnings, invocation);
    uplift(&built, library)?;
    if emit == Emit::AsCargo {
        let rlib = built.with_extension("rlib");
        if rlib.is_file() {
            uplift(&rlib, &library.with_extension("rlib"))?;
        }
    }
    Ok(())
}

/// One message rustc writes with `--error-format=json`.
#[derive(Deserialize)]
struct Diagnostic {
    #[serde(rename = "$message_type", default)]
    message_type: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    spans: Vec<serde_json::Value>,
    rendered: Option<String>,
}

impl Diagnostic {
    /// Whether cargo would show it: a diagnostic, but not rustc's own count of them ("2 warnings emitted",
    /// "aborting due to …"), which cargo replaces with its line.
    fn is_shown(&self) -> bool {
        let summary = self.spans.is_empty()
            && (self.message.ends_with("warning emitted")
                || self.message.ends_with("warnings emitted")
                || self.message.starts_with("aborting due to"));
        self.message_type == "diagnostic" && !summary
    }
}

/// Whether diagnostics keep their colours: as cargo decides, by `CARGO_TERM_COLOR` or else whether stderr
/// is a terminal (cargo always asks rustc for coloured text and strips it otherwise).
fn coloured() -> bool {
    match std::env::var("CARGO_TERM_COLOR").as_deref() {
        Ok("always") => true,
        Ok("never") => false,
        _ => std::io::IsTerminal::is_terminal(&std::io::stderr()),
    }
}

/// `text` without its ANSI escape sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI sequences (colours) end at their first letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Shows the diagnostics of a build that succeeded (warnings), with cargo's count line.
fn show(diagnostics: &str, warnings: usize, invocation: &Invocation) {
    if diagnostics.is_empty() {
        return;
    }
    let mut err = std::io::stderr().lock();
    if coloured() {
        let _ = err.write_all(diagnostics.as_bytes());
    } else {
        let _ = err.write_all(strip_ansi(diagnostics).as_bytes());
    }
    if warnings > 0 {
        let package = invocation.env_var("CARGO_PKG_NAME").unwrap_or("the logic crate");
        let plural = if warnings == 1 { "" } else { "s" };
        let _ = writeln!(err, "warning: `{package}` (lib) generated {warnings} warning{plural}");
    }
}

/// Puts `built` at `dest` as one rename of a hard link (a copy where links are refused), so whoever watches
/// `dest` sees the whole new file at once.
fn uplift(built: &Path, dest: &Path) -> Result<(), ReplayError> {
    let staged = dest.with_extension("overdub-uplift");
    let fail = |source| ReplayError::Uplift { path: dest.to_owned(), source };
    let _ = std::fs::remove_file(&staged);
    if std::fs::hard_link(built, &staged).is_err() {
        std::fs::copy(built, &staged).map_err(fail)?;
    }
    std::fs::rename(&staged, dest).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cdylib_only_command_drops_the_rlib_and_metadata_and_keeps_its_own_incremental_cache() {
        let call = Invocation::of(&[
            "--crate-type",
            "cdylib",
            "--crate-type",
            "rlib",
            "--emit=dep-info,metadata,link",
            "-C",
            "incremental=/t/inc",
            "-C",
            "debuginfo=line-tables-only",
        ]);
        assert_eq!(
            arguments(&call, Emit::Cdylib),
            [
                "--crate-type",
                "cdylib",
                "--emit=dep-info,link",
                "-C",
                "incremental=/t/inc/overdub-cdylib",
                "-C",
                "debuginfo=line-tables-only"
            ]
        );
        assert_eq!(arguments(&call, Emit::AsCargo), call.args, "cargo's own command, and its cache");
    }

    #[test]
    fn diagnostics_are_told_from_other_messages() {
        let warning: Diagnostic = serde_json::from_str(
            r#"{"$message_type":"diagnostic","level":"warning","rendered":"warning: unused\n"}"#,
        )
        .unwrap();
        assert!(warning.is_shown() && warning.level == "warning");
        let count: Diagnostic = serde_json::from_str(
            r#"{"$message_type":"diagnostic","level":"warning","message":"2 warnings emitted","spans":[],"rendered":"warning: 2 warnings emitted\n"}"#,
        )
        .unwrap();
        assert!(!count.is_shown(), "cargo prints its own count");
        let artifact: Diagnostic =
            serde_json::from_str(r#"{"$message_type":"artifact","artifact":"/t/x.so","emit":"link"}"#)
                .unwrap();
        assert!(!artifact.is_shown());
    }

    #[test]
    fn colours_are_stripped_to_plain_text() {
        assert_eq!(strip_ansi("\u{1b}[1m\u{1b}[33mwarning\u{1b}[0m: unused"), "warning: unused");
    }

    #[test]
    fn uplifting_replaces_the_file_with_the_new_one_in_one_rename() {
        let dir = tempfile::tempdir().unwrap();
        let (built, dest) = (dir.path().join("deps.so"), dir.path().join("lib.so"));
        std::fs::write(&built, b"new").unwrap();
        std::fs::write(&dest, b"old").unwrap();
        let kept_open = std::fs::read(&dest).unwrap();
        uplift(&built, &dest).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new");
        assert_eq!(kept_open, b"old");
        assert!(!dest.with_extension("overdub-uplift").exists());
    }
}
