//! A PNG of a waveform with a marker, drawn by hand: a few pixels need no plotting library.

use crate::error::CliError;
use std::path::Path;

const WIDTH: usize = 1200;
const HEIGHT: usize = 400;
const BACKGROUND: [u8; 3] = [255, 255, 255];
const AXIS: [u8; 3] = [200, 200, 200];
const WAVE: [u8; 3] = [30, 70, 160];
const MARKER: [u8; 3] = [220, 40, 40];

/// Draws `samples` (one channel) left to right, each column spanning its samples' minimum to maximum, with a
/// red vertical line at sample `marker` and a grey line at zero; full scale is the image's height.
pub fn waveform(path: &Path, samples: &[f32], marker: usize) -> Result<(), CliError> {
    let mut pixels = vec![BACKGROUND; WIDTH * HEIGHT];
    let row = |value: f32| {
        let y = (1.0 - f64::from(value.clamp(-1.0, 1.0))) * 0.5 * (HEIGHT - 1) as f64;
        y.round() as usize
    };
    for x in 0..WIDTH {
        pixels[row(0.0) * WIDTH + x] = AXIS;
    }
    let per_column = samples.len().div_ceil(WIDTH).max(1);
    for x in 0..WIDTH.min(samples.len().div_ceil(per_column)) {
        // Each column also spans the previous column's last sample, so steep slopes stay connected.
        let column = &samples[(x * per_column).saturating_sub(1)..((x + 1) * per_column).min(samples.len())];
        let (low, high) = column.iter().fold((f32::MAX, f32::MIN), |(lo, hi), &s| (lo.min(s), hi.max(s)));
        for y in row(high)..=row(low) {
            pixels[y * WIDTH + x] = WAVE;
        }
    }
    let marker_x = (marker / per_column).min(WIDTH - 1);
    for y in 0..HEIGHT {
        pixels[y * WIDTH + marker_x] = MARKER;
    }
    let file = std::fs::File::create(path).map_err(CliError::io("create", path))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), WIDTH as u32, HEIGHT as u32);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let encoded =
        encoder.write_header().and_then(|mut writer| writer.write_image_data(pixels.as_flattened()));
    encoded.map_err(|e| CliError::Io {
        action: "write",
        path: path.to_owned(),
        source: std::io::Error::other(e),
    })
}
