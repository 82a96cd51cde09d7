//! `#[derive(Params)]` as a logic declares its parameters: what the host sees, and what `process` reads.

use crate::prelude::*;
use overdub_abi::ParamFlags;

#[derive(Params)]
struct Declared {
    /// A field's doc comment stays the author's.
    #[param(id = "gain", name = "Output Gain", range = -60.0..=12.0, default = -6.0, unit = "dB", smooth_ms = 10.0)]
    gain: FloatParam,
    #[param(id = "dry_wet")]
    dry_wet: FloatParam,
    #[param(id = "voices", range = 1..=16, default = 8)]
    voices: IntParam,
    #[param(id = "bypass", default = true, bypass)]
    bypass: BoolParam,
    #[param(id = "secret", hidden, read_only)]
    secret: FloatParam,
}

#[test]
fn the_host_sees_each_parameter_as_declared() {
    let [gain, mix, voices, bypass, secret] = Declared::INFOS else { panic!("five parameters") };
    assert_eq!((gain.id, gain.name, gain.unit), (param_id("gain"), "Output Gain", "dB"));
    assert_eq!((gain.min, gain.max, gain.default, gain.steps), (-60.0, 12.0, -6.0, 0));
    assert_eq!((mix.name, mix.min, mix.max, mix.default), ("Dry Wet", 0.0, 1.0, 0.0), "defaults");
    assert_eq!((voices.min, voices.max, voices.default, voices.steps), (1.0, 16.0, 8.0, 15));
    assert_eq!((bypass.steps, bypass.default), (1, 1.0));
    assert!(bypass.flags.contains(ParamFlags::BYPASS | ParamFlags::AUTOMATABLE));
    assert!(secret.flags.contains(ParamFlags::HIDDEN | ParamFlags::READ_ONLY));
    assert!(Declared::INFOS.iter().all(|info| info.flags.contains(ParamFlags::AUTOMATABLE)));
}

#[test]
fn process_reads_typed_values_from_the_shell_s_values() {
    let mut params = Declared::new();
    assert_eq!((params.gain.value(), params.voices.value(), params.bypass.value()), (-6.0, 8, true));
    params.reset();
    params.begin_window(&[3.0, 0.25, 12.0, 0.0, 0.5], 4, 48_000.0);
    assert_eq!(params.gain.value(), 3.0);
    assert_eq!(params.gain.next(), 3.0, "the first window after a reset does not glide");
    assert_eq!((params.dry_wet.value(), params.voices.value(), params.bypass.value()), (0.25, 12, false));
    assert_eq!(params.secret.value(), 0.5);
    params.end_window();
}

#[test]
fn a_glide_takes_the_declared_time_at_the_rate_of_the_last_reset() {
    for rate in [48_000.0, 96_000.0] {
        let mut params = Declared::new();
        params.reset();
        params.begin_window(&[0.0, 0.0, 1.0, 0.0, 0.0], 1, rate);
        params.end_window();
        let glide = (rate * 0.010) as usize;
        params.begin_window(&[-10.0, 0.0, 1.0, 0.0, 0.0], glide + 10, rate);
        let values: Vec<f32> = (0..glide + 10).map(|_| params.gain.next()).collect();
        params.end_window();
        assert!(values[glide - 2] > -10.0, "{rate}: still gliding one sample before 10 ms");
        assert!(values[glide - 1..].iter().all(|&v| v == -10.0), "{rate}: there after 10 ms");
        assert!(values.windows(2).all(|w| w[1] <= w[0]), "{rate}: monotonic");
    }
}
