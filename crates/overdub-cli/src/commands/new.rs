//! `overdub new NAME [--instrument]`: a logic crate that builds, plays and passes its own test out of the box.
//!
//! The crate depends on the overdub crates by path into the repository this binary was built from (so it
//! builds offline), or by version when that checkout is gone (see [`crate::repo`]).

use crate::cli::NewArgs;
use crate::error::CliError;
use crate::repo;
use std::path::Path;

const CARGO_TOML: &str = include_str!("../../templates/Cargo.toml.in");
const README: &str = include_str!("../../templates/README.md.in");
const EFFECT: &str = include_str!("../../templates/effect.rs.in");
const INSTRUMENT: &str = include_str!("../../templates/instrument.rs.in");

/// Creates the crate and says how to use it.
pub fn run(args: &NewArgs) -> Result<(), CliError> {
    check_name(&args.name)?;
    let dir = args.dir.join(&args.name);
    if dir.exists() {
        return Err(CliError::Exists { path: dir });
    }
    let fill = |template: &str| fill(template, &args.name, args.instrument);
    let source = if args.instrument { INSTRUMENT } else { EFFECT };
    write(&dir.join("Cargo.toml"), &fill(CARGO_TOML))?;
    write(&dir.join("README.md"), &fill(README))?;
    write(&dir.join("src/lib.rs"), &fill(source))?;
    write(&dir.join(".gitignore"), "/target\n")?;
    if let Some(root) = repo::root() {
        let lock = root.join("Cargo.lock");
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(CliError::io("copy", &lock))?;
    }
    let kind = if args.instrument { "instrument" } else { "effect" };
    println!("created the {kind} `{}` in {}", args.name, dir.display());
    if repo::root().is_none() {
        println!("(depends on overdub {} by version: no overdub checkout found)", repo::VERSION);
    }
    println!("next: cd {} && cargo test && overdub dev", dir.display());
    Ok(())
}

fn check_name(name: &str) -> Result<(), CliError> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid { Ok(()) } else { Err(CliError::BadName(name.to_owned())) }
}

/// The template with its placeholders replaced.
fn fill(template: &str, name: &str, instrument: bool) -> String {
    let words: Vec<String> = name
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
        .collect();
    let metadata = if instrument { "\n[package.metadata.overdub]\ninstrument = true\n" } else { "" };
    let (kind, input, param) = if instrument {
        ("instrument", "a note pattern; `--midi FILE` for your own", "Volume")
    } else {
        ("effect", "a sine; `--input sweep|noise|impulses|FILE.wav` for others", "Level")
    };
    template
        .replace("{{name}}", name)
        .replace("{{type}}", &words.concat())
        .replace("{{title}}", &words.join(" "))
        .replace("{{overdub}}", &repo::dependency("overdub"))
        .replace("{{overdub_shell}}", &repo::dependency("overdub-shell"))
        .replace("{{metadata}}", metadata)
        .replace("{{kind}}", kind)
        .replace("{{input}}", input)
        .replace("{{param}}", param)
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(CliError::io("create", parent))?;
    }
    std::fs::write(path, text).map_err(CliError::io("write", path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_type_and_title() {
        let filled = fill("{{type}} / {{title}} / {{name}}", "my-fat_delay", false);
        assert_eq!(filled, "MyFatDelay / My Fat Delay / my-fat_delay");
    }

    #[test]
    fn rejects_names_cargo_cannot_use() {
        assert!(check_name("9lives").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("").is_err());
        assert!(check_name("echo-2").is_ok());
    }
}
