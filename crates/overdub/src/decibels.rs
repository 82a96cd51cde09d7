//! Decibels and linear gain, the two ways audio levels are spoken of.

/// Levels at or below this many decibels are silence: [`db_to_gain`] gives 0, [`gain_to_db`] never goes
/// lower (so a silent signal measures a finite level, not minus infinity).
pub const SILENCE_DB: f32 = -100.0;

/// The linear factor for a level in decibels: `db_to_gain(-6.0)` ≈ 0.5, `db_to_gain(0.0)` = 1.
#[inline]
pub fn db_to_gain(db: f32) -> f32 {
    if db <= SILENCE_DB { 0.0 } else { 10f32.powf(db * 0.05) }
}

/// The level in decibels of a linear factor, floored at [`SILENCE_DB`].
#[inline]
pub fn gain_to_db(gain: f32) -> f32 {
    if gain <= 0.0 { SILENCE_DB } else { (20.0 * gain.log10()).max(SILENCE_DB) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_levels() {
        assert_eq!(db_to_gain(0.0), 1.0);
        assert!((db_to_gain(-6.0) - 0.501).abs() < 1e-3);
        assert!((db_to_gain(20.0) - 10.0).abs() < 1e-4);
        assert_eq!(db_to_gain(-120.0), 0.0);
        assert_eq!(gain_to_db(0.0), SILENCE_DB);
        assert!((gain_to_db(0.5) + 6.0206).abs() < 1e-3);
    }

    #[test]
    fn round_trips_above_silence() {
        for db in [-60.0f32, -12.5, 0.0, 6.0, 12.0] {
            assert!((gain_to_db(db_to_gain(db)) - db).abs() < 1e-3, "{db}");
        }
    }
}
