//! The demo's picture of a swap: the recorded waveform around it, on a time axis in milliseconds from the
//! swap and an amplitude scale, with a legend. Drawn by `plotters` into memory and written by `png`; text is
//! set in an embedded ASCII subset of DejaVu Sans (`assets/`), so no system font is needed.

use crate::error::CliError;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use std::path::Path;
use std::sync::Once;

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 480;
const WAVE: RGBColor = RGBColor(30, 70, 160);
const MARKER: RGBColor = RGBColor(220, 40, 40);
const FONT: &[u8] = include_bytes!("../assets/DejaVuSans-ascii.ttf");

/// Plots `samples` (one channel at `sample_rate`), each pixel column spanning its samples' minimum to
/// maximum, with a red line at sample `marker`, where the new build took over.
pub fn waveform(path: &Path, samples: &[f32], sample_rate: u32, marker: usize) -> Result<(), CliError> {
    let failed = |error: String| CliError::Io {
        action: "draw",
        path: path.to_owned(),
        source: std::io::Error::other(error),
    };
    register_font_once().map_err(failed)?;
    let mut pixels = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    draw(&mut pixels, samples, sample_rate, marker).map_err(failed)?;
    let file = std::fs::File::create(path).map_err(CliError::io("create", path))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let encoded = encoder.write_header().and_then(|mut writer| writer.write_image_data(&pixels));
    encoded.map_err(|e| CliError::Io {
        action: "write",
        path: path.to_owned(),
        source: std::io::Error::other(e),
    })
}

fn register_font_once() -> Result<(), String> {
    static REGISTER: Once = Once::new();
    let mut result = Ok(());
    REGISTER.call_once(|| {
        result = register_font("sans-serif", FontStyle::Normal, FONT)
            .map_err(|_| "the embedded font does not parse".to_owned());
    });
    result
}

fn draw(pixels: &mut [u8], samples: &[f32], sample_rate: u32, marker: usize) -> Result<(), String> {
    let ms = |frame: usize| (frame as f64 - marker as f64) * 1000.0 / f64::from(sample_rate.max(1));
    let (start, end) = (ms(0), ms(samples.len().max(1)));
    let peak = samples.iter().fold(0f32, |p, s| p.max(s.abs()));
    let scale = scale_for(f64::from(peak));
    let root = BitMapBackend::with_buffer(pixels, (WIDTH, HEIGHT)).into_drawing_area();
    let mut chart = ChartBuilder::on(&root)
        .caption("Output around the swap to the new build", ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(start..end, -scale..scale)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("time from the swap (ms)")
        .y_desc("amplitude (full scale = 1)")
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 16))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    let plot_width = chart.plotting_area().dim_in_pixel().0.max(1) as usize;
    let per_column = samples.len().div_ceil(plot_width).max(1);
    let columns = samples.len().div_ceil(per_column);
    chart
        .draw_series((0..columns).map(|column| {
            // Each column also spans the previous column's last sample, so steep slopes stay connected.
            let range =
                (column * per_column).saturating_sub(1)..((column + 1) * per_column).min(samples.len());
            let (low, high) =
                samples[range].iter().fold((f32::MAX, f32::MIN), |(lo, hi), &s| (lo.min(s), hi.max(s)));
            let x = ms(column * per_column);
            PathElement::new(vec![(x, f64::from(low)), (x, f64::from(high))], WAVE)
        }))
        .map_err(|e| e.to_string())?
        .label("output, left channel")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], WAVE.stroke_width(3)));
    chart
        .draw_series(LineSeries::new([(0.0, -scale), (0.0, scale)], MARKER.stroke_width(2)))
        .map_err(|e| e.to_string())?
        .label("swap: the new build's first sample")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], MARKER.stroke_width(3)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(("sans-serif", 15))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(160, 160, 160))
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// The amplitude the plot spans either side of zero: the first of 1, 2, 5 × a power of ten above `peak`, so a
/// quiet tail fills the picture and the scale stays readable.
fn scale_for(peak: f64) -> f64 {
    let peak = peak.max(1e-4) * 1.05;
    let decade = 10f64.powf(peak.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * decade).find(|&s| s >= peak).unwrap_or(10.0 * decade)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_is_a_round_number_just_above_the_peak() {
        assert_eq!(scale_for(0.06), 0.1);
        assert!((scale_for(0.15) - 0.2).abs() < 1e-12);
        assert_eq!(scale_for(0.9), 1.0);
        assert_eq!(scale_for(1.5), 2.0);
        assert!(scale_for(0.0) > 0.0);
    }

    #[test]
    fn draws_a_png_with_axes_legend_and_the_wave() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("swap.png");
        let samples: Vec<f32> = (0..9600).map(|i| (i as f32 * 0.03).sin() * 0.6).collect();
        waveform(&path, &samples, 48_000, 4800).unwrap();
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut pixels).unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
        let count = |color: RGBColor| pixels.chunks(3).filter(|p| p == &[color.0, color.1, color.2]).count();
        assert!(count(WAVE) > 10_000, "the wave is drawn");
        assert!(count(MARKER) > 300, "the swap marker is drawn");
        assert!(pixels.chunks(3).filter(|p| p.iter().all(|&c| c < 60)).count() > 500, "dark text: labels");
    }
}
