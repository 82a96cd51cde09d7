//! `overdub new NAME [--instrument]`: a logic crate that builds, plays and passes its own test out of the box,
//! with CLAP and VST3 wrapper crates in `clap/` and `vst3/` (members of the crate's own workspace) that
//! `overdub bundle` builds.
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
const VST3_CARGO_TOML: &str = include_str!("../../templates/vst3/Cargo.toml.in");
const VST3_BUILD: &str = include_str!("../../templates/vst3/build.rs.in");
const VST3_LIB: &str = include_str!("../../templates/vst3/lib.rs.in");

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
    write(&dir.join("vst3/Cargo.toml"), &fill(VST3_CARGO_TOML))?;
    write(&dir.join("vst3/build.rs"), &fill(VST3_BUILD))?;
    write(&dir.join("vst3/src/lib.rs"), &fill(VST3_LIB))?;
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
        "next: cd {} && cargo test && overdub dev (and `overdub bundle --format all` for CLAP and VST3 plugins)",
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
    /// Its parameter's name, as `--param` takes it.
    param: &'static str,
    /// Its parameter's field in the params struct.
    param_field: &'static str,
    /// The CLAP description's one line (the logic's doc comment).
    summary: &'static str,
    /// CLAP feature tags, as a TOML list's items.
    clap_features: &'static str,
    /// The plugin's ports, in words.
    layout: &'static str,
}

const EFFECT_KIND: Kind = Kind {
    kind: "effect",
    input: "a sine; `--input sweep|noise|impulses|FILE.wav` for others",
    param: "Level",
    param_field: "level",
    summary: "Scales its input by a level that glides over 20 ms.",
    clap_features: "\"audio-effect\", \"stereo\"",
    layout: "stereo in and out",
};

const INSTRUMENT_KIND: Kind = Kind {
    kind: "instrument",
    input: "a note pattern; `--midi FILE` for your own",
    param: "Volume",
    param_field: "volume",
    summary: "One sine voice that follows the last key pressed.",
    clap_features: "\"instrument\", \"synthesizer\", \"stereo\"",
    layout: "no audio in, stereo out, note input",
};

/// The template with its placeholders replaced.
fn fill(template: &str, name: &str, instrument: bool) -> String {
    let words: Vec<String> = name
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
        .collect();
    let metadata = if instrument { "instrument = true\n" } else { "" };
    let kind = if instrument { INSTRUMENT_KIND } else { EFFECT_KIND };
    template
        .replace("{{name}}", name)
        .replace("{{lib}}", &name.replace('-', "_"))
        .replace("{{type}}", &words.concat())
        .replace("{{title}}", &words.join(" "))
        .replace("{{overdub}}", &repo::dependency("overdub"))
        .replace("{{overdub_shell}}", &repo::dependency("overdub-shell"))
        .replace("{{overdub_clap}}", &repo::dependency("overdub-clap"))
        .replace("{{overdub_vst3}}", &repo::dependency("overdub-vst3"))
        .replace("{{overdub_build}}", &repo::dependency("overdub-build"))
        .replace("{{metadata}}", metadata)
        .replace("{{kind}}", kind.kind)
        .replace("{{input}}", kind.input)
        .replace("{{param}}", kind.param)
        .replace("{{param_field}}", kind.param_field)
        .replace("{{summary}}", kind.summary)
        .replace("{{clap_features}}", kind.clap_features)
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
    fn the_identity_is_written_once_in_the_manifest_and_read_by_the_clap_wrapper() {
        let manifest = fill(CARGO_TOML, "my-synth", true);
        let parsed = overdub_build::PluginManifest::parse(&manifest, Path::new("Cargo.toml")).unwrap();
        assert_eq!((parsed.id.as_str(), parsed.name.as_str()), ("com.example.my-synth", "My Synth"));
        assert_eq!(parsed.features, ["instrument", "synthesizer", "stereo"]);
        assert!(parsed.instrument && parsed.inputs == 0);
        let effect =
            overdub_build::PluginManifest::parse(&fill(CARGO_TOML, "my-fx", false), Path::new("x")).unwrap();
        assert!(!effect.instrument && effect.inputs == 2);
        assert!(fill(CLAP_LIB, "my-fx", false).contains("export_clap!(my_fx::MyFx);"));
        assert!(fill(CLAP_BUILD, "my-fx", false).contains("overdub_build::clap_wrapper();"));
        for template in [EFFECT, INSTRUMENT, CLAP_LIB] {
            assert!(!template.contains("com.example"), "the id is written in the manifest only");
        }
    }

    #[test]
    fn rejects_names_cargo_cannot_use() {
        assert!(check_name("9lives").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("").is_err());
        assert!(check_name("echo-2").is_ok());
    }
}
