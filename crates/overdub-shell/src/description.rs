//! What a plugin author declares about the plugin beyond its logic, for every format's wrapper: identity shown
//! to hosts, audio layout and note input. Written once by `overdub-build` from the logic crate's
//! `[package.metadata.overdub]` and read by the CLAP and VST3 wrappers alike; everything is `const`, so
//! answering a host's scan costs no work.

use std::ffi::CStr;

/// The plugin as a host lists it.
#[derive(Clone, Copy, Debug)]
pub struct Description {
    /// Reverse-domain identifier, e.g. `"dev.overdub.examples.gain"`; a hot build appends `.hot`.
    pub id: &'static str,
    /// Name shown to the user; a hot build appends ` (hot)`.
    pub name: &'static str,
    /// Who makes it.
    pub vendor: &'static str,
    /// Version string.
    pub version: &'static str,
    /// One line about what it does.
    pub description: &'static str,
    /// Feature tags in CLAP's words (`"audio-effect"`, `"instrument"`, `"stereo"`, ...); the VST3 wrapper
    /// maps them to its sub-categories.
    pub features: &'static [&'static CStr],
    /// Audio channels in and out.
    pub audio: AudioLayout,
    /// Whether the plugin takes notes (instruments and note-driven effects).
    pub note_input: bool,
}

impl Description {
    /// The id and name hosts list: a hot build's are marked, so both builds can be installed side by side.
    pub fn listed(&self, hot: bool) -> (String, String) {
        if hot {
            (format!("{}.hot", self.id), format!("{} (hot)", self.name))
        } else {
            (self.id.to_owned(), self.name.to_owned())
        }
    }
}

/// One main audio port per direction, with this many channels (0: no port).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AudioLayout {
    /// Channels of the main input port.
    pub inputs: u32,
    /// Channels of the main output port.
    pub outputs: u32,
}

impl AudioLayout {
    /// Stereo in, stereo out.
    pub const STEREO_EFFECT: Self = Self { inputs: 2, outputs: 2 };
    /// Mono in, mono out.
    pub const MONO_EFFECT: Self = Self { inputs: 1, outputs: 1 };
    /// No audio in, stereo out.
    pub const STEREO_INSTRUMENT: Self = Self { inputs: 0, outputs: 2 };
    /// No audio in, mono out.
    pub const MONO_INSTRUMENT: Self = Self { inputs: 0, outputs: 1 };

    /// Channels of the main port in one direction.
    pub fn channels(&self, is_input: bool) -> u32 {
        if is_input { self.inputs } else { self.outputs }
    }
}
