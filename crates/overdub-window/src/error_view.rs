//! What the window shows when there is no editor to draw: the panic of a broken build (until a build that
//! works), or a logic without an editor. Drawn by the shell's own egui, so it works whatever the library did.

use crate::host::FrameHost;
use overdub_abi::{EditorHost, PaintedFrame, egui};

/// The shell's own egui context and the message it shows.
pub(crate) struct ErrorView {
    context: egui::Context,
}

impl ErrorView {
    pub(crate) fn new() -> Self {
        Self { context: egui::Context::default() }
    }

    /// Draws `title` and `detail` into the frame's canvas.
    pub(crate) fn frame(&self, input: egui::RawInput, title: &str, detail: &str, host: &mut FrameHost<'_>) {
        let output = self.context.run_ui(input, |ui| {
            egui::CentralPanel::default().show_inside(ui, |ui| {
                ui.colored_label(
                    egui::Color32::from_rgb(0xff, 0x80, 0x70),
                    egui::RichText::new(title).heading(),
                );
                ui.add_space(8.0);
                ui.label(egui::RichText::new(detail).monospace());
            });
        });
        let primitives = self.context.tessellate(output.shapes, output.pixels_per_point);
        host.paint(&PaintedFrame {
            primitives: &primitives,
            textures: &output.textures_delta,
            pixels_per_point: output.pixels_per_point,
            cursor: egui::CursorIcon::Default,
            repaint_after: f32::INFINITY,
        });
    }
}
