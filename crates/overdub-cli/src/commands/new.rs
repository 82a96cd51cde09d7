//! `overdub new NAME [--instrument]`: a logic crate that builds, plays and passes its own test out of the box,
//! with a CLAP wrapper crate in `clap/` (a member of the crate's own workspace) that `overdub bundle` builds.
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
const CLAP_CARGO_TOML: &str = include_str!("../../templates/clap/Cargo.toml.in");
const CLAP_BUILD: &str = include_str!("../../templates/clap/build.rs.in");
const CLAP_LIB: &str = include_str!("../../templates/clap/lib.rs.in");

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
    write(&dir.join("clap/Cargo.toml"), &fill(CLAP_CARGO_TOML))?;
    write(&dir.join("clap/build.rs"), &fill(CLAP_BUILD))?;
    write(&dir.join("clap/src/lib.rs"), &fill(CLAP_LIB))?;
    if let Some(root) = repo::root() {
        let lock = root.join("Cargo.lock");
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(CliError::io("copy", &lock))?;
    }
    let kind = if args.instrument { "instrument" } else { "effect" };
    println!("created the {kind} `{}` in {}", args.name, dir.display());
    if repo::root().is_none() {
        println!("(depends on overdub {} by version: no overdub checkout found)", repo::VERSION);
    }
    println!(
        "next: cd {} && cargo test && overdub dev (and `overdub bundle` for a CLAP plugin)",
        dir.display()
    );
    Ok(())
}

fn check_name(name: &str) -> Result<(), CliError> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid { Ok(()) } else { Err(CliError::BadName(name.to_owned())) }
}

/// What differs between an effect and an instrument scaffold.
struct Kind {
    kind: &'static str,
    /// What `overdub dev` plays through it.
    input: &'static str,
    /// Its parameter.
    param: &'static str,
    /// The CLAP description's one line (the logic's doc comment).
    summary: &'static str,
    /// CLAP feature tags, as `features::` paths.
    clap_features: &'static str,
    /// The `AudioLayout` constant.
    audio: &'static str,
    note_input: bool,
    /// The plugin's ports, in words.
    layout: &'static str,
}

const EFFECT_KIND: Kind = Kind {
    kind: "effect",
    input: "a sine; `--input sweep|noise|impulses|FILE.wav` for others",
    param: "Level",
    summary: "Scales its input by a level that glides over 20 ms.",
    clap_features: "features::AUDIO_EFFECT, features::STEREO",
    audio: "STEREO_EFFECT",
    note_input: false,
    layout: "stereo in and out",
};

const INSTRUMENT_KIND: Kind = Kind {
    kind: "instrument",
    input: "a note pattern; `--midi FILE` for your own",
    param: "Volume",
    summary: "One sine voice that follows the last key pressed.",
    clap_features: "features::INSTRUMENT, features::SYNTHESIZER, features::STEREO",
    audio: "STEREO_INSTRUMENT",
    note_input: true,
    layout: "no audio in, stereo out, note input",
};

/// The template with its placeholders replaced.
fn fill(template: &str, name: &str, instrument: bool) -> String {
    let words: Vec<String> = name
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
        .collect();
    let metadata = if instrument { "\n[package.metadata.overdub]\ninstrument = true\n" } else { "" };
    let kind = if instrument { INSTRUMENT_KIND } else { EFFECT_KIND };
    template
        .replace("{{name}}", name)
        .replace("{{lib}}", &name.replace('-', "_"))
        .replace("{{type}}", &words.concat())
        .replace("{{title}}", &words.join(" "))
        .replace("{{overdub}}", &repo::dependency("overdub"))
        .replace("{{overdub_shell}}", &repo::dependency("overdub-shell"))
        .replace("{{overdub_clap}}", &repo::dependency("overdub-clap"))
        .replace("{{metadata}}", metadata)
        .replace("{{kind}}", kind.kind)
        .replace("{{input}}", kind.input)
        .replace("{{param}}", kind.param)
        .replace("{{summary}}", kind.summary)
        .replace("{{clap_features}}", kind.clap_features)
        .replace("{{audio}}", kind.audio)
        .replace("{{note_input}}", if kind.note_input { "true" } else { "false" })
        .replace("{{layout}}", kind.layout)
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
    fn every_placeholder_of_every_template_is_filled() {
        let templates = [CARGO_TOML, README, EFFECT, INSTRUMENT, CLAP_CARGO_TOML, CLAP_BUILD, CLAP_LIB];
        for instrument in [false, true] {
            for template in templates {
                let filled = fill(template, "my-fx", instrument);
                assert!(!filled.contains("{{"), "left unfilled:\n{filled}");
            }
        }
    }

    #[test]
    fn the_clap_wrapper_names_the_logic_and_its_layout() {
        let effect = fill(CLAP_LIB, "my-fx", false);
        assert!(effect.contains("logic: my_fx::MyFx,"));
        assert!(effect.contains("AudioLayout::STEREO_EFFECT"));
        assert!(effect.contains("note_input: false"));
        let instrument = fill(CLAP_LIB, "my-synth", true);
        assert!(instrument.contains("AudioLayout::STEREO_INSTRUMENT"));
        assert!(instrument.contains("note_input: true"));
        assert!(fill(CLAP_BUILD, "my-fx", false).contains("\"{prefix}my_fx{suffix}\""));
    }

    #[test]
    fn rejects_names_cargo_cannot_use() {
        assert!(check_name("9lives").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("").is_err());
        assert!(check_name("echo-2").is_ok());
    }
}
