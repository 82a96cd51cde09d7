//! `[package.metadata.overdub]` parsed, with the defaults an effect or an instrument gets.

use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item};

/// What a logic crate's manifest says about the plugin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginManifest {
    /// The manifest read.
    pub path: PathBuf,
    /// The package name.
    pub package: String,
    /// The name of the library cargo builds (`[lib] name`, else the package name with `-` as `_`).
    pub lib_name: String,
    /// Stable, unique identifier such as `"com.example.gain"`.
    pub id: String,
    /// Name shown to the user.
    pub name: String,
    /// Who makes it.
    pub vendor: String,
    /// One line about what it does.
    pub description: String,
    /// CLAP feature tags, such as `"audio-effect"` (the VST3 wrapper maps them to its sub-categories).
    pub features: Vec<String>,
    /// Whether it takes notes (and, by default, no audio input).
    pub instrument: bool,
    /// Channels of the main audio input.
    pub inputs: u32,
    /// Channels of the main audio output.
    pub outputs: u32,
}

/// Why a manifest gives no plugin identity.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The manifest.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not TOML.
    #[error("{path} does not parse: {message}")]
    Parse {
        /// The manifest.
        path: PathBuf,
        /// The parser's words.
        message: String,
    },
    /// A key is missing or of the wrong type.
    #[error(
        "{path}: {problem} (the plugin is named in `[package.metadata.overdub]`, e.g. id = \"com.example.my-plugin\" and name = \"My Plugin\")"
    )]
    Invalid {
        /// The manifest.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
}

impl PluginManifest {
    /// Reads the manifest at `path`.
    pub fn read(path: &Path) -> Result<Self, ManifestError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ManifestError::Read { path: path.to_owned(), source })?;
        Self::parse(&text, path)
    }

    /// Parses manifest text; `path` is for messages and [`PluginManifest::path`].
    pub fn parse(text: &str, path: &Path) -> Result<Self, ManifestError> {
        let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| ManifestError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let invalid = |problem: String| ManifestError::Invalid { path: path.to_owned(), problem };
        let package = doc.get("package").ok_or_else(|| invalid("there is no [package]".to_owned()))?;
        let package_name =
            str_at(package, "name").ok_or_else(|| invalid("[package] has no name".to_owned()))?;
        let lib_name = doc
            .get("lib")
            .and_then(|lib| str_at(lib, "name"))
            .map_or_else(|| package_name.replace('-', "_"), str::to_owned);
        let meta = package
            .get("metadata")
            .and_then(|m| m.get("overdub"))
            .ok_or_else(|| invalid("there is no [package.metadata.overdub]".to_owned()))?;
        let text_of = |key: &str| -> Result<Option<String>, ManifestError> {
            match meta.get(key) {
                None => Ok(None),
                Some(item) => item
                    .as_str()
                    .map(|s| Some(s.to_owned()))
                    .ok_or_else(|| invalid(format!("`{key}` is not a string"))),
            }
        };
        let required = |key: &str| -> Result<String, ManifestError> {
            text_of(key)?
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| invalid(format!("[package.metadata.overdub] has no `{key}`")))
        };
        let flag = |key: &str| -> Result<bool, ManifestError> {
            meta.get(key).map_or(Ok(false), |item| {
                item.as_bool().ok_or_else(|| invalid(format!("`{key}` is not true or false")))
            })
        };
        let channels = |key: &str, default: u32| -> Result<u32, ManifestError> {
            meta.get(key).map_or(Ok(default), |item| {
                item.as_integer()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| invalid(format!("`{key}` is not a channel count")))
            })
        };
        let id = required("id")?;
        let name = required("name")?;
        let instrument = flag("instrument")?;
        let features = match meta.get("features") {
            None => default_features(instrument),
            Some(item) => {
                let array = item.as_array().ok_or_else(|| invalid("`features` is not a list".to_owned()))?;
                array
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| invalid("`features` holds something other than strings".to_owned()))?
            }
        };
        if let Some(bad) = [&id, &name].into_iter().chain(&features).find(|s| s.contains('\0')) {
            return Err(invalid(format!("{bad:?} contains a NUL character")));
        }
        Ok(Self {
            path: path.to_owned(),
            package: package_name.to_owned(),
            lib_name,
            vendor: text_of("vendor")?.unwrap_or_default(),
            description: match text_of("description")? {
                Some(text) => text,
                None => str_at(package, "description").unwrap_or_default().to_owned(),
            },
            inputs: channels("inputs", if instrument { 0 } else { 2 })?,
            outputs: channels("outputs", 2)?,
            id,
            name,
            features,
            instrument,
        })
    }
}

fn str_at<'a>(item: &'a Item, key: &str) -> Option<&'a str> {
    item.get(key).and_then(Item::as_str)
}

fn default_features(instrument: bool) -> Vec<String> {
    let tags: &[&str] =
        if instrument { &["instrument", "synthesizer", "stereo"] } else { &["audio-effect", "stereo"] };
    tags.iter().map(|tag| (*tag).to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PluginManifest, ManifestError> {
        PluginManifest::parse(text, Path::new("Cargo.toml"))
    }

    #[test]
    fn reads_identity_and_fills_defaults_for_an_effect_and_an_instrument() {
        let effect = parse(
            "[package]\nname = \"my-fx\"\ndescription = \"Does fx.\"\n\
             [package.metadata.overdub]\nid = \"com.example.my-fx\"\nname = \"My Fx\"\n",
        )
        .unwrap();
        assert_eq!((effect.id.as_str(), effect.name.as_str()), ("com.example.my-fx", "My Fx"));
        assert_eq!(effect.lib_name, "my_fx");
        assert_eq!(effect.description, "Does fx.");
        assert_eq!(effect.features, ["audio-effect", "stereo"]);
        assert_eq!((effect.inputs, effect.outputs, effect.instrument), (2, 2, false));
        let synth = parse(
            "[package]\nname = \"s\"\n[lib]\nname = \"synth\"\n[package.metadata.overdub]\nid = \"a.b\"\n\
             name = \"S\"\ninstrument = true\nvendor = \"V\"\nfeatures = [\"instrument\"]\noutputs = 1\n",
        )
        .unwrap();
        assert_eq!((synth.inputs, synth.outputs, synth.instrument), (0, 1, true));
        assert_eq!((synth.lib_name.as_str(), synth.vendor.as_str()), ("synth", "V"));
        assert_eq!(synth.features, ["instrument"]);
    }

    #[test]
    fn a_missing_or_mistyped_key_is_named() {
        let err = parse("[package]\nname = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("no [package.metadata.overdub]"), "{err}");
        let err = parse("[package]\nname = \"x\"\n[package.metadata.overdub]\nname = \"X\"\n").unwrap_err();
        assert!(err.to_string().contains("has no `id`"), "{err}");
        let err = parse(
            "[package]\nname = \"x\"\n[package.metadata.overdub]\nid = \"a\"\nname = \"X\"\ninputs = -1\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("`inputs` is not a channel count"), "{err}");
    }
}
