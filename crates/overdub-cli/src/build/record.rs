//! The rustc invocation cargo runs for the logic crate, recorded while cargo builds it so the fast path can
//! run exactly that command again.
//!
//! cargo runs its `RUSTC_WORKSPACE_WRAPPER` (or, when the user already has a caching `RUSTC_WRAPPER`, that
//! slot) as `WRAPPER RUSTC ARGS…`; the dev build sets the slot to this binary with [`RECORD_TO`] in the
//! environment. In that mode this binary only runs the command it was given, with its own standard streams,
//! and, when the command compiles the logic crate's cdylib, writes the program, arguments, environment and
//! working directory to the file [`RECORD_TO`] names. Nothing about the compilation changes: cargo's
//! fingerprints do not include the wrapper, and the wrapper adds one process start per compilation of a
//! workspace member.

use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Where the wrapper writes the invocation (set only for the wrapper).
pub const RECORD_TO: &str = "OVERDUB_RECORD_RUSTC_TO";
/// The manifest directory of the crate to record (cargo sets `CARGO_MANIFEST_DIR` for each compilation).
pub const RECORD_CRATE: &str = "OVERDUB_RECORD_RUSTC_CRATE";
/// A wrapper the user had in the slot taken: it runs the command in turn.
pub const INNER_WRAPPER: &str = "OVERDUB_RECORD_RUSTC_INNER";

/// Variables only the cargo run that spawned rustc can give a meaning: its jobserver's file descriptors, and
/// this recorder's own settings.
const NOT_REPLAYED: [&str; 6] =
    ["CARGO_MAKEFLAGS", "MAKEFLAGS", "MFLAGS", RECORD_TO, RECORD_CRATE, INNER_WRAPPER];

/// One rustc command as cargo ran it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invocation {
    /// The compiler (cargo's `RUSTC`, or a workspace wrapper in front of it).
    pub program: PathBuf,
    /// Its arguments, in order.
    pub args: Vec<String>,
    /// Its whole environment, less what only that cargo run could give a meaning.
    pub env: Vec<(String, String)>,
    /// The directory it ran in (cargo's workspace root: paths in its arguments and messages are relative to
    /// it).
    pub cwd: PathBuf,
}

impl Invocation {
    /// The value following the argument `flag` (`--out-dir DIR`), or of `flag=VALUE`.
    pub fn value_of(&self, flag: &str) -> Option<&str> {
        let mut args = self.args.iter();
        while let Some(arg) = args.next() {
            if arg == flag {
                return args.next().map(String::as_str);
            }
            if let Some(value) = arg.strip_prefix(flag).and_then(|rest| rest.strip_prefix('=')) {
                return Some(value);
            }
        }
        None
    }

    /// The value of codegen option `name` (`-C name=VALUE` or `-Cname=VALUE`).
    pub fn codegen(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}=");
        let mut args = self.args.iter();
        while let Some(arg) = args.next() {
            let option = match arg.strip_prefix("-C") {
                Some("") => args.next().map(String::as_str),
                Some(joined) => Some(joined),
                None => None,
            };
            if let Some(value) = option.and_then(|o| o.strip_prefix(prefix.as_str())) {
                return Some(value);
            }
        }
        None
    }

    /// The crate types it builds.
    pub fn crate_types(&self) -> Vec<&str> {
        let mut types = Vec::new();
        let mut args = self.args.iter();
        while let Some(arg) = args.next() {
            if arg == "--crate-type"
                && let Some(kind) = args.next()
            {
                types.extend(kind.split(','));
            }
        }
        types
    }

    /// A value of its environment.
    pub fn env_var(&self, key: &str) -> Option<&str> {
        self.env.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Reads an invocation the wrapper wrote.
    pub fn read(path: &Path) -> std::io::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        serde_json::from_str(&text).map_err(std::io::Error::other)
    }

    /// Writes it beside `path` and renames it there, so a reader never sees half of it.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let partial = path.with_extension("partial");
        std::fs::write(&partial, text)?;
        std::fs::rename(&partial, path)
    }
}

#[cfg(test)]
impl Invocation {
    /// `rustc` with `args`, no environment, in `/`.
    pub(crate) fn of(args: &[&str]) -> Self {
        Self {
            program: "rustc".into(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
            cwd: "/".into(),
        }
    }
}

/// When this process was started as the recording wrapper, runs the command it was given, records it when it
/// compiles the logic crate's cdylib, and returns the compiler's exit code; `None` otherwise (the binary is
/// then the `overdub` command).
pub fn run_as_wrapper() -> Option<ExitCode> {
    let record_to = std::env::var_os(RECORD_TO)?;
    let mut argv = std::env::args_os().skip(1);
    let program = PathBuf::from(argv.next()?);
    let args: Vec<OsString> = argv.collect();
    let mut command = match std::env::var_os(INNER_WRAPPER).filter(|w| !w.is_empty()) {
        Some(inner) => {
            let mut command = Command::new(inner);
            command.arg(&program);
            command
        }
        None => Command::new(&program),
    };
    command.args(&args);
    for key in [RECORD_TO, RECORD_CRATE, INNER_WRAPPER] {
        command.env_remove(key);
    }
    if compiles_the_logic(&args)
        && let Some(invocation) = invocation(program, &args)
    {
        // A record that cannot be written only costs the fast path: the next rebuild goes through cargo.
        let _ = invocation.write(Path::new(&record_to));
    }
    let status = match command.status() {
        Ok(status) => status,
        Err(error) => {
            eprintln!("error: overdub could not run {:?}: {error}", command.get_program());
            return Some(ExitCode::FAILURE);
        }
    };
    Some(ExitCode::from(status.code().map_or(1, |code| u8::try_from(code).unwrap_or(1))))
}

/// Whether `args` compile the cdylib of the crate [`RECORD_CRATE`] names (not its build script or tests).
fn compiles_the_logic(args: &[OsString]) -> bool {
    let wanted = std::env::var_os(RECORD_CRATE);
    let here = std::env::var_os("CARGO_MANIFEST_DIR");
    let same_crate = match (wanted, here) {
        (Some(wanted), Some(here)) => Path::new(&wanted) == Path::new(&here),
        _ => false,
    };
    same_crate && args.windows(2).any(|pair| pair[0] == "--crate-type" && pair[1] == "cdylib")
}

/// The invocation, when every part of it is text (otherwise it is not recorded, and cargo builds instead).
fn invocation(program: PathBuf, args: &[OsString]) -> Option<Invocation> {
    let args = args.iter().map(|a| a.to_str().map(str::to_owned)).collect::<Option<Vec<_>>>()?;
    let mut env = Vec::new();
    for (key, value) in std::env::vars_os() {
        let (Some(key), Some(value)) = (key.to_str(), value.to_str()) else { return None };
        if !NOT_REPLAYED.contains(&key) {
            env.push((key.to_owned(), value.to_owned()));
        }
    }
    env.sort();
    Some(Invocation { program, args, env, cwd: std::env::current_dir().ok()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flags_in_both_spellings_and_codegen_options_in_both_forms() {
        let mut call = Invocation::of(&[
            "--crate-name",
            "fx",
            "--crate-type",
            "cdylib",
            "--crate-type",
            "rlib",
            "--out-dir",
            "/t/deps",
            "--emit=dep-info,link",
            "-C",
            "debuginfo=2",
            "-Cincremental=/t/inc",
        ]);
        call.env.push(("CARGO_PKG_NAME".to_owned(), "fx".to_owned()));
        assert_eq!(call.value_of("--out-dir"), Some("/t/deps"));
        assert_eq!(call.value_of("--emit"), Some("dep-info,link"));
        assert_eq!(call.codegen("debuginfo"), Some("2"));
        assert_eq!(call.codegen("incremental"), Some("/t/inc"));
        assert_eq!(call.codegen("opt-level"), None);
        assert_eq!(call.crate_types(), ["cdylib", "rlib"]);
        assert_eq!(call.env_var("CARGO_PKG_NAME"), Some("fx"));
    }

    #[test]
    fn an_invocation_survives_writing_and_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/rustc.json");
        let call = Invocation::of(&["--crate-name", "fx"]);
        call.write(&path).unwrap();
        assert_eq!(Invocation::read(&path).unwrap(), call);
    }
}
