//! Reading back what an X window shows, for tests and screenshots: the server's pixels, not the canvas the
//! session sent, so a test sees what a user would.

use crate::error::WindowError;

/// A window's pixels as RGB rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capture {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` RGB triples, row by row.
    pub rgb: Vec<[u8; 3]>,
}

impl Capture {
    /// The pixel at `(x, y)`.
    pub fn at(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }

    /// Pixels that differ between two captures of the same size (all of them when the sizes differ).
    pub fn differing(&self, other: &Capture) -> usize {
        if (self.width, self.height) != (other.width, other.height) {
            return self.rgb.len().max(other.rgb.len());
        }
        self.rgb.iter().zip(&other.rgb).filter(|(a, b)| a != b).count()
    }

    /// How many pixels are close to `colour` (each channel within `tolerance`).
    pub fn count_near(&self, colour: [u8; 3], tolerance: u8) -> usize {
        self.rgb.iter().filter(|p| p.iter().zip(colour).all(|(&a, b)| a.abs_diff(b) <= tolerance)).count()
    }

    /// Writes the capture as a PNG.
    pub fn write_png(&self, path: &std::path::Path) -> std::io::Result<()> {
        let file = std::io::BufWriter::new(std::fs::File::create(path)?);
        let mut encoder = png::Encoder::new(file, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
        writer.write_image_data(self.rgb.as_flattened()).map_err(std::io::Error::other)?;
        writer.finish().map_err(std::io::Error::other)
    }
}

/// Reads the pixels window `window` shows now, over a connection of its own.
#[cfg(target_os = "linux")]
pub fn capture(window: u32) -> Result<Capture, WindowError> {
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::{ConnectionExt as _, ImageFormat};
    let (conn, _) = x11rb::rust_connection::RustConnection::connect(None)
        .map_err(|e| WindowError::NoDisplay { reason: e.to_string() })?;
    let geometry = conn.get_geometry(window)?.reply()?;
    let (width, height) = (u32::from(geometry.width), u32::from(geometry.height));
    let image =
        conn.get_image(ImageFormat::Z_PIXMAP, window, 0, 0, geometry.width, geometry.height, !0)?.reply()?;
    let rgb = image.data.chunks_exact(4).map(|bgrx| [bgrx[2], bgrx[1], bgrx[0]]).collect();
    conn.flush()?;
    Ok(Capture { width, height, rgb })
}

/// Reads the pixels a window shows (X11 only so far).
#[cfg(not(target_os = "linux"))]
pub fn capture(window: u32) -> Result<Capture, WindowError> {
    let _ = window;
    Err(WindowError::Unsupported)
}
