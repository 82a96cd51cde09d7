//! What a plugin author declares about the CLAP plugin beyond its logic: identity shown to hosts, audio
//! layout and note input. Everything is `const`, so answering a host's factory scan costs no work.

use clack_plugin::plugin::PluginDescriptor;
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
    /// CLAP feature tags (`clack_plugin::plugin::features`), e.g. audio effect and stereo.
    pub features: &'static [&'static CStr],
    /// Audio channels in and out.
    pub audio: AudioLayout,
    /// Whether the plugin takes notes (instruments and note-driven effects).
    pub note_input: bool,
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

impl Description {
    /// The descriptor handed to the host; `hot` marks the reloading build so both can be installed side by side.
    pub fn descriptor(&self, hot: bool) -> PluginDescriptor {
        let (id, name) = if hot {
            (format!("{}.hot", self.id), format!("{} (hot)", self.name))
        } else {
            (self.id.to_owned(), self.name.to_owned())
        };
        PluginDescriptor::new(&id, &name)
            .with_vendor(self.vendor)
            .with_version(self.version)
            .with_description(self.description)
            .with_features(self.features.iter().copied())
    }
}
