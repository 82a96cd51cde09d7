//! Parameter descriptions the logic declares and the values the shell owns.

use core::fmt;

/// A parameter the host can see, automate and save.
///
/// Written as a `const` so a logic's parameter list lives in its library's read-only data: the shell reads it
/// without allocation and the `&'static str`s stay valid because libraries are never unloaded.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamInfo {
    /// Stable identity: automation and saved state refer to a parameter by id, so keep it when renaming.
    pub id: u32,
    /// Name shown to the user.
    pub name: &'static str,
    /// Unit appended to displayed values, e.g. `"dB"`.
    pub unit: &'static str,
    /// Lowest value.
    pub min: f64,
    /// Highest value.
    pub max: f64,
    /// Value on a fresh instance.
    pub default: f64,
    /// Number of steps between min and max for a stepped parameter, 0 for a continuous one.
    pub steps: u32,
    /// How the host may treat the parameter.
    pub flags: ParamFlags,
}

/// How a host may treat a parameter.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParamFlags(u32);

impl ParamFlags {
    /// No flags.
    pub const NONE: Self = Self(0);
    /// The host may record and play back automation.
    pub const AUTOMATABLE: Self = Self(1);
    /// The host's bypass switch: at its max the plugin should pass audio through.
    pub const BYPASS: Self = Self(1 << 1);
    /// Not shown to the user.
    pub const HIDDEN: Self = Self(1 << 2);
    /// Shown but not changeable by the user.
    pub const READ_ONLY: Self = Self(1 << 3);

    /// Whether every flag in `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Both sets of flags; `const`, for parameter lists written as constants.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The raw bits, for format wrappers that map them to their own flags.
    pub const fn bits(self) -> u32 {
        self.0
    }
}

impl core::ops::BitOr for ParamFlags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}

impl ParamInfo {
    /// A continuous, automatable parameter from 0.0 to 1.0, defaulting to 0.0.
    pub const fn new(id: u32, name: &'static str) -> Self {
        Self {
            id,
            name,
            unit: "",
            min: 0.0,
            max: 1.0,
            default: 0.0,
            steps: 0,
            flags: ParamFlags::AUTOMATABLE,
        }
    }

    /// Sets the range.
    pub const fn range(mut self, min: f64, max: f64) -> Self {
        self.min = min;
        self.max = max;
        self
    }

    /// Sets the default value.
    pub const fn default_value(mut self, default: f64) -> Self {
        self.default = default;
        self
    }

    /// Sets the unit shown after values.
    pub const fn unit(mut self, unit: &'static str) -> Self {
        self.unit = unit;
        self
    }

    /// Makes the parameter stepped, with `steps` steps between min and max (a switch has 1).
    pub const fn stepped(mut self, steps: u32) -> Self {
        self.steps = steps;
        self
    }

    /// Replaces the flags.
    pub const fn flags(mut self, flags: ParamFlags) -> Self {
        self.flags = flags;
        self
    }

    /// Whether `value` is a value this parameter can take (in range, finite).
    pub fn accepts(&self, value: f64) -> bool {
        value.is_finite() && value >= self.min && value <= self.max
    }

    /// The nearest value the parameter can take: clamped into range and, when stepped, onto a step.
    pub fn constrain(&self, value: f64) -> f64 {
        let value = if value.is_nan() { self.default } else { value.clamp(self.min, self.max) };
        if self.steps == 0 || self.max <= self.min {
            return value;
        }
        let step = (self.max - self.min) / f64::from(self.steps);
        self.min + ((value - self.min) / step).round() * step
    }

    /// Maps a value to 0.0–1.0 across the range.
    pub fn normalize(&self, value: f64) -> f64 {
        if self.max <= self.min {
            return 0.0;
        }
        ((value - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
    }

    /// Maps 0.0–1.0 back into the range.
    pub fn denormalize(&self, normalized: f64) -> f64 {
        self.constrain(self.min + normalized.clamp(0.0, 1.0) * (self.max - self.min))
    }

    /// Writes `value` as a user sees it: whole numbers for stepped parameters, two decimals otherwise, then
    /// the unit.
    pub fn write_value(&self, value: f64, out: &mut impl fmt::Write) -> fmt::Result {
        if self.steps > 0 {
            write!(out, "{}", value.round() as i64)?;
        } else {
            write!(out, "{value:.2}")?;
        }
        if !self.unit.is_empty() {
            write!(out, " {}", self.unit)?;
        }
        Ok(())
    }

    /// Reads a value typed by a user: a number, optionally followed by the unit; `None` when it is not one.
    pub fn parse_value(&self, text: &str) -> Option<f64> {
        let text = text.trim();
        let number = text.strip_suffix(self.unit).unwrap_or(text).trim();
        let value: f64 = number.parse().ok()?;
        value.is_finite().then(|| self.constrain(value))
    }
}

/// The current plain values of the logic's parameters, in the order of its parameter list.
///
/// The shell owns the values (they survive every reload); the logic reads them.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ParamValues<'a> {
    pub(crate) values: &'a [f64],
}

impl<'a> ParamValues<'a> {
    /// Wraps values in the order of the logic's parameter list.
    pub const fn new(values: &'a [f64]) -> Self {
        Self { values }
    }

    /// The value of the parameter at `index` in the logic's parameter list.
    ///
    /// # Panics
    /// When `index` is not a parameter of this logic.
    pub fn get(&self, index: usize) -> f64 {
        self.values[index]
    }

    /// All values.
    pub fn as_slice(&self) -> &'a [f64] {
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GAIN: ParamInfo = ParamInfo::new(7, "Gain").range(-60.0, 12.0).default_value(0.0).unit("dB");
    const MODE: ParamInfo = ParamInfo::new(8, "Mode").range(0.0, 3.0).stepped(3);

    #[test]
    fn constrain_clamps_and_snaps_to_steps() {
        assert_eq!(GAIN.constrain(20.0), 12.0);
        assert_eq!(GAIN.constrain(f64::NAN), 0.0);
        assert_eq!(MODE.constrain(1.4), 1.0);
        assert_eq!(MODE.constrain(1.6), 2.0);
    }

    #[test]
    fn normalize_round_trips() {
        let v = GAIN.denormalize(GAIN.normalize(-24.0));
        assert!((v + 24.0).abs() < 1e-9);
    }

    #[test]
    fn text_round_trips_with_and_without_unit() {
        let mut text = String::new();
        GAIN.write_value(-6.0, &mut text).unwrap();
        assert_eq!(text, "-6.00 dB");
        assert_eq!(GAIN.parse_value(&text), Some(-6.0));
        assert_eq!(GAIN.parse_value(" 3.5 "), Some(3.5));
        assert_eq!(GAIN.parse_value("loud"), None);
        assert_eq!(GAIN.parse_value("inf"), None);
    }

    #[test]
    fn flags_combine() {
        let f = ParamFlags::AUTOMATABLE | ParamFlags::BYPASS;
        assert!(f.contains(ParamFlags::BYPASS));
        assert!(!f.contains(ParamFlags::HIDDEN));
    }
}
