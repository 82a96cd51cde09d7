//! egui's meshes to pixels on the CPU, one canvas per window.

use egui_software_backend::{BufferMutRef, ColorFieldOrder, EguiSoftwareRender};
use overdub_abi::PaintedFrame;

/// What a window shows between two frames.
const BACKGROUND: [u8; 4] = [0x1b, 0x1b, 0x1b, 0xff];

/// The pixels of a window and the textures of the egui context that draws into it.
pub(crate) struct Canvas {
    renderer: EguiSoftwareRender,
    pixels: Vec<[u8; 4]>,
    size: [u32; 2],
}

impl Canvas {
    pub(crate) fn new() -> Self {
        Self { renderer: renderer(), pixels: Vec::new(), size: [0, 0] }
    }

    /// Forgets every texture: the next frame comes from a new egui context, which sends its own.
    pub(crate) fn forget_textures(&mut self) {
        self.renderer = renderer();
    }

    /// Paints `frame` over a cleared canvas of `size` pixels (BGRA, as a 24-bit X visual takes them).
    pub(crate) fn paint(&mut self, frame: &PaintedFrame<'_>, size: [u32; 2]) {
        let [width, height] = [size[0].max(1), size[1].max(1)];
        self.size = [width, height];
        self.pixels.clear();
        self.pixels.resize(width as usize * height as usize, BACKGROUND);
        let mut buffer = BufferMutRef::new(&mut self.pixels, width as usize, height as usize);
        self.renderer.render(&mut buffer, frame.primitives, frame.textures, frame.pixels_per_point.max(0.1));
    }

    /// The last frame's pixels and their size.
    pub(crate) fn pixels(&self) -> (&[[u8; 4]], [u32; 2]) {
        (&self.pixels, self.size)
    }
}

fn renderer() -> EguiSoftwareRender {
    EguiSoftwareRender::new(ColorFieldOrder::Bgra)
}
