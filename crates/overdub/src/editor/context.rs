//! What the author's `ui` gets besides egui: the parameters (values, and edits that reach the host as
//! gesture-wrapped automation) and the audio thread's display data.

use crate::params::param_id;
use overdub_abi::{EditorHost, ParamInfo, egui};

/// The editor's view of the plugin for one frame.
pub struct EditorContext<'a> {
    pub(crate) host: &'a mut dyn EditorHost,
}

impl EditorContext<'_> {
    /// The parameters, in the logic's order.
    pub fn params(&self) -> &[ParamInfo] {
        self.host.params()
    }

    fn index(&self, id: &str) -> Option<usize> {
        let id = param_id(id);
        self.host.params().iter().position(|info| info.id == id)
    }

    /// The current value of the parameter with string id `id` (host automation included), if it exists.
    pub fn value(&self, id: &str) -> Option<f64> {
        self.index(id).map(|index| self.host.value(index))
    }

    /// Sets the parameter with string id `id` as one complete gesture (begin, value, end).
    pub fn set(&mut self, id: &str, value: f64) {
        if let Some(index) = self.index(id) {
            self.host.begin_edit(index);
            self.host.edit(index, value);
            self.host.end_edit(index);
        }
    }

    /// A slider for the parameter with string id `id`, labelled with its name and unit: holding it is one
    /// gesture (begin when pressed, values while it moves, end when released); a typed value is a gesture
    /// of its own. An unknown id shows as a warning label instead.
    pub fn slider(&mut self, ui: &mut egui::Ui, id: &str) -> egui::Response {
        let Some(index) = self.index(id) else {
            return ui.colored_label(egui::Color32::YELLOW, format!("no parameter `{id}`"));
        };
        let info = self.host.params()[index];
        let mut value = self.host.value(index);
        let mut slider = egui::Slider::new(&mut value, info.min..=info.max).text(info.name);
        if !info.unit.is_empty() {
            slider = slider.suffix(format!(" {}", info.unit));
        }
        if info.steps > 0 {
            slider = slider.step_by((info.max - info.min) / f64::from(info.steps));
        }
        let response = ui.add(slider);
        // The gesture lasts while the pointer holds the slider; the host tracks which gestures are open, so
        // a repeated begin or end is nothing.
        let held = response.is_pointer_button_down_on() || response.dragged();
        if held {
            self.host.begin_edit(index);
        }
        if response.changed() {
            if !held {
                self.host.begin_edit(index);
            }
            self.host.edit(index, value);
        }
        if !held {
            self.host.end_edit(index);
        }
        response
    }

    /// The latest value the logic's `process` wrote to meter `slot`.
    pub fn meter(&self, slot: usize) -> f32 {
        self.host.display().meter(slot)
    }

    /// The scope's latest samples, oldest first, into the end of `out`; returns how many there were.
    pub fn scope(&self, out: &mut [f32]) -> usize {
        self.host.display().read_scope(out)
    }
}
