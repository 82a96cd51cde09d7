//! The plugin's [`Description`] as VST3 lists it: a class id derived from the plugin's id, and sub-categories
//! from its feature tags.

use overdub_shell::Description;
use vst3::Steinberg::TUID;

/// The class id of the plugin's one class: a 128-bit FNV-1a hash of the id hosts list (the hot build's is
/// marked, so it gets its own), so it is fixed forever by the id in the logic's manifest, as a VST3 class id
/// must be: hosts and projects know the plugin by it.
pub(crate) fn class_id(description: &Description, hot: bool) -> TUID {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let (id, _) = description.listed(hot);
    let hash = id.bytes().fold(OFFSET, |hash, byte| (hash ^ u128::from(byte)).wrapping_mul(PRIME));
    hash.to_be_bytes().map(|byte| std::ffi::c_char::from_ne_bytes([byte]))
}

/// The VST3 sub-category words for a CLAP feature tag.
fn word(feature: &str) -> Option<&'static str> {
    Some(match feature {
        "instrument" => "Instrument",
        "audio-effect" | "note-effect" => "Fx",
        "analyzer" => "Analyzer",
        "synthesizer" => "Synth",
        "sampler" => "Sampler",
        "drum" | "drum-machine" => "Drum",
        "piano" => "Piano",
        "filter" => "Filter",
        "phaser" | "chorus" | "flanger" | "tremolo" | "vibrato" | "ring-modulator" => "Modulation",
        "equalizer" => "EQ",
        "distortion" => "Distortion",
        "compressor" | "limiter" | "expander" | "gate" | "transient-shaper" => "Dynamics",
        "delay" => "Delay",
        "reverb" => "Reverb",
        "pitch-correction" | "pitch-shifter" => "Pitch Shift",
        "restoration" => "Restoration",
        "mastering" => "Mastering",
        "utility" | "mixing" => "Tools",
        "surround" => "Surround",
        "ambisonic" => "Spatial",
        "mono" => "Mono",
        "stereo" => "Stereo",
        _ => return None,
    })
}

/// The sub-categories hosts sort the plugin by, e.g. `Fx|Delay|Stereo` or `Instrument|Synth|Stereo`: the main
/// category first (from the tags, else from the audio layout), then every other known tag once.
pub(crate) fn subcategories(description: &Description) -> String {
    let words: Vec<&str> =
        description.features.iter().filter_map(|f| f.to_str().ok().and_then(word)).collect();
    let main = if words.contains(&"Instrument") {
        "Instrument"
    } else if words.contains(&"Fx") || description.audio.inputs > 0 || !description.note_input {
        "Fx"
    } else {
        "Instrument"
    };
    let mut out = vec![main];
    for word in words {
        if !out.contains(&word) && word != "Fx" && word != "Instrument" {
            out.push(word);
        }
    }
    out.join("|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use overdub_shell::AudioLayout;

    fn described(
        features: &'static [&'static std::ffi::CStr],
        audio: AudioLayout,
        notes: bool,
    ) -> Description {
        Description {
            id: "dev.overdub.test",
            name: "Test",
            vendor: "",
            version: "1",
            description: "",
            features,
            audio,
            note_input: notes,
        }
    }

    #[test]
    fn feature_tags_become_sub_categories_main_category_first() {
        let delay = described(&[c"stereo", c"audio-effect", c"delay"], AudioLayout::STEREO_EFFECT, false);
        assert_eq!(subcategories(&delay), "Fx|Stereo|Delay");
        let synth =
            described(&[c"instrument", c"synthesizer", c"stereo"], AudioLayout::STEREO_INSTRUMENT, true);
        assert_eq!(subcategories(&synth), "Instrument|Synth|Stereo");
        let untagged = described(&[c"something-new"], AudioLayout::STEREO_INSTRUMENT, true);
        assert_eq!(subcategories(&untagged), "Instrument");
    }

    #[test]
    fn class_ids_are_fixed_by_the_id_and_differ_for_the_hot_build() {
        let gain = described(&[], AudioLayout::STEREO_EFFECT, false);
        assert_eq!(class_id(&gain, false), class_id(&gain, false));
        assert_ne!(class_id(&gain, false), class_id(&gain, true));
        let other = Description { id: "dev.overdub.other", ..gain };
        assert_ne!(class_id(&gain, false), class_id(&other, false));
    }

    /// Hosts and saved projects know a plugin by its class id: the derivation must never change.
    #[test]
    fn a_class_id_is_the_fnv_hash_of_the_listed_id_forever() {
        let gain = Description {
            id: "dev.overdub.examples.gain",
            ..described(&[], AudioLayout::STEREO_EFFECT, false)
        };
        let bytes: Vec<u8> = class_id(&gain, false).iter().map(|c| c.to_ne_bytes()[0]).collect();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "776a5c3b3283260776941a83a7bab1bd");
    }
}
