//! WAV files in and out, as non-interleaved `f32` channels.

use crate::error::CliError;
use std::path::Path;

/// Non-interleaved audio at a sample rate.
#[derive(Clone, Debug, PartialEq)]
pub struct Audio {
    /// Samples per second.
    pub sample_rate: u32,
    /// One vector per channel, all the same length.
    pub channels: Vec<Vec<f32>>,
}

impl Audio {
    /// Silent channels of `frames` samples.
    pub fn silent(sample_rate: u32, channels: usize, frames: usize) -> Self {
        Self { sample_rate, channels: vec![vec![0.0; frames]; channels] }
    }

    /// Samples per channel.
    pub fn frames(&self) -> usize {
        self.channels.first().map_or(0, Vec::len)
    }
}

/// Reads a PCM (8–32 bit integer) or 32-bit float WAV file.
pub fn read(path: &Path) -> Result<Audio, CliError> {
    let bad = |reason: String| CliError::Wav { path: path.to_owned(), reason };
    if !path.exists() {
        return Err(bad("no such file".to_owned()));
    }
    let mut reader = hound::WavReader::open(path).map_err(|e| bad(e.to_string()))?;
    let spec = reader.spec();
    let count = usize::from(spec.channels);
    if count == 0 {
        return Err(bad("it declares no channels".to_owned()));
    }
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().collect::<Result<_, _>>(),
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
            reader.samples::<i32>().map(|s| s.map(|s| s as f32 * scale)).collect::<Result<_, _>>()
        }
    }
    .map_err(|e| bad(e.to_string()))?;
    let mut channels = vec![Vec::with_capacity(interleaved.len() / count); count];
    for frame in interleaved.chunks_exact(count) {
        for (channel, &sample) in channels.iter_mut().zip(frame) {
            channel.push(sample);
        }
    }
    Ok(Audio { sample_rate: spec.sample_rate, channels })
}

/// Writes 32-bit float WAV: every sample exactly as the logic produced it.
pub fn write(path: &Path, audio: &Audio) -> Result<(), CliError> {
    let bad = |e: hound::Error| CliError::Wav { path: path.to_owned(), reason: e.to_string() };
    let spec = hound::WavSpec {
        channels: audio.channels.len() as u16,
        sample_rate: audio.sample_rate,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut writer = hound::WavWriter::create(path, spec).map_err(bad)?;
    for frame in 0..audio.frames() {
        for channel in &audio.channels {
            writer.write_sample(channel[frame]).map_err(bad)?;
        }
    }
    writer.finalize().map_err(bad)
}
