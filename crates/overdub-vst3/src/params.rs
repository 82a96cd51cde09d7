//! overdub parameters as VST3 sees them: normalised 0–1 values over the logic's plain range, the logic's own
//! text, and flags (bypass included, so a host's bypass switch drives a logic's own bypass parameter).

use crate::strings::write_utf16;
use overdub_abi::{ParamFlags, ParamInfo};
use vst3::Steinberg::Vst::ParameterInfo_::ParameterFlags_::{
    kCanAutomate, kIsBypass, kIsHidden, kIsList, kIsReadOnly,
};
use vst3::Steinberg::Vst::{ParameterInfo, kRootUnitId};

/// VST3's flags for an overdub parameter. A stepped parameter with names for its steps would be a list;
/// overdub's stepped parameters are numbers, so only switches (one step) are shown as lists of two.
pub(crate) fn flags(info: &ParamInfo) -> i32 {
    let mut flags = 0;
    for (ours, theirs) in [
        (ParamFlags::AUTOMATABLE, kCanAutomate),
        (ParamFlags::BYPASS, kIsBypass),
        (ParamFlags::HIDDEN, kIsHidden),
        (ParamFlags::READ_ONLY, kIsReadOnly),
    ] {
        if info.flags.contains(ours) {
            flags |= theirs;
        }
    }
    if info.steps == 1 {
        flags |= kIsList;
    }
    flags
}

/// Fills the host's `ParameterInfo` for `info`.
pub(crate) fn describe(info: &ParamInfo, out: &mut ParameterInfo) {
    out.id = info.id;
    write_utf16(info.name, &mut out.title);
    write_utf16(info.name, &mut out.shortTitle);
    write_utf16(info.unit, &mut out.units);
    out.stepCount = i32::try_from(info.steps).unwrap_or(i32::MAX);
    out.defaultNormalizedValue = info.normalize(info.constrain(info.default));
    out.unitId = kRootUnitId;
    out.flags = flags(info);
}

/// The parameter with `id` in `params`. Lists are short (a plugin's parameters), so a scan beats keeping an
/// index that a reload would have to rebuild on the audio thread.
pub(crate) fn find(params: &[ParamInfo], id: u32) -> Option<&ParamInfo> {
    params.iter().find(|info| info.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GAIN: ParamInfo = ParamInfo::new(7, "Gain").range(-60.0, 12.0).default_value(0.0).unit("dB");
    const BYPASS: ParamInfo =
        ParamInfo::new(9, "Bypass").stepped(1).flags(ParamFlags::AUTOMATABLE.union(ParamFlags::BYPASS));

    #[test]
    fn a_parameter_is_described_in_normalised_terms_with_its_flags() {
        // SAFETY: `ParameterInfo` is plain data (numbers and arrays of them): all zeros is a valid value.
        let mut info: ParameterInfo = unsafe { std::mem::zeroed() };
        describe(&GAIN, &mut info);
        assert_eq!(info.id, 7);
        assert_eq!(info.stepCount, 0);
        assert!((info.defaultNormalizedValue - 60.0 / 72.0).abs() < 1e-12);
        assert_eq!(info.flags, kCanAutomate);
        assert_eq!(&info.units[..3], &[u16::from(b'd'), u16::from(b'B'), 0]);
        describe(&BYPASS, &mut info);
        assert_eq!(info.flags, kCanAutomate | kIsBypass | kIsList);
        assert_eq!(info.stepCount, 1);
        assert_eq!(find(&[GAIN, BYPASS], 9).map(|p| p.name), Some("Bypass"));
    }
}
