//! Where the host's timeline is, so tempo-synced logic can follow it.

/// The host's transport at the start of the block.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transport {
    /// Beats per minute.
    pub tempo: f64,
    /// The current time signature.
    pub time_signature: TimeSignature,
    /// Timeline position of the block's first sample, in samples.
    pub position_samples: i64,
    /// Timeline position of the block's first sample, in quarter-note beats.
    pub position_beats: f64,
    /// Where the current bar started, in beats.
    pub bar_start_beats: f64,
    /// Loop start, in beats (meaningful when `looping`).
    pub loop_start_beats: f64,
    /// Loop end, in beats (meaningful when `looping`).
    pub loop_end_beats: f64,
    /// The timeline is running.
    pub playing: bool,
    /// The host is recording.
    pub recording: bool,
    /// The loop is on.
    pub looping: bool,
}

/// A musical time signature such as 3/4.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeSignature {
    /// Beats per bar.
    pub numerator: u16,
    /// The note value of one beat.
    pub denominator: u16,
}

impl Default for Transport {
    fn default() -> Self {
        Self {
            tempo: 120.0,
            time_signature: TimeSignature { numerator: 4, denominator: 4 },
            position_samples: 0,
            position_beats: 0.0,
            bar_start_beats: 0.0,
            loop_start_beats: 0.0,
            loop_end_beats: 0.0,
            playing: false,
            recording: false,
            looping: false,
        }
    }
}
