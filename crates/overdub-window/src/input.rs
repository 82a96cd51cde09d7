//! egui's input, gathered from the window's events between two frames.

use overdub_abi::egui::{self, Event, Key, Modifiers, PointerButton, Pos2, RawInput, Rect, Vec2};
use std::time::Instant;

/// Input since the last frame, in window pixels; turned into egui points when the frame takes it.
pub(crate) struct InputState {
    events: Vec<Event>,
    modifiers: Modifiers,
    pointer: Option<Pos2>,
    started: Instant,
    focused: bool,
}

impl InputState {
    pub(crate) fn new() -> Self {
        Self {
            events: Vec::new(),
            modifiers: Modifiers::default(),
            pointer: None,
            started: Instant::now(),
            focused: true,
        }
    }

    /// Whether anything arrived since the last frame.
    pub(crate) fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    pub(crate) fn set_modifiers(&mut self, modifiers: Modifiers) {
        self.modifiers = modifiers;
    }

    pub(crate) fn pointer_moved(&mut self, x: f32, y: f32, pixels_per_point: f32) {
        let pos = Pos2::new(x / pixels_per_point, y / pixels_per_point);
        self.pointer = Some(pos);
        self.events.push(Event::PointerMoved(pos));
    }

    pub(crate) fn pointer_left(&mut self) {
        self.pointer = None;
        self.events.push(Event::PointerGone);
    }

    pub(crate) fn button(&mut self, button: PointerButton, pressed: bool) {
        let Some(pos) = self.pointer else { return };
        self.events.push(Event::PointerButton { pos, button, pressed, modifiers: self.modifiers });
    }

    pub(crate) fn scroll(&mut self, lines: Vec2) {
        self.events.push(Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: lines,
            phase: egui::TouchPhase::Move,
            modifiers: self.modifiers,
        });
    }

    pub(crate) fn key(&mut self, key: Key, pressed: bool) {
        self.events.push(Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: self.modifiers,
        });
    }

    pub(crate) fn text(&mut self, text: String) {
        if !self.modifiers.ctrl && !self.modifiers.command {
            self.events.push(Event::Text(text));
        }
    }

    pub(crate) fn focus(&mut self, focused: bool) {
        self.focused = focused;
        self.events.push(Event::WindowFocused(focused));
    }

    /// The input for a frame of a window `size` pixels large, taking the events gathered so far.
    pub(crate) fn take(&mut self, size: [u32; 2], pixels_per_point: f32) -> RawInput {
        let mut input = RawInput {
            screen_rect: Some(Rect::from_min_size(
                Pos2::ZERO,
                Vec2::new(size[0] as f32, size[1] as f32) / pixels_per_point,
            )),
            time: Some(self.started.elapsed().as_secs_f64()),
            modifiers: self.modifiers,
            events: std::mem::take(&mut self.events),
            focused: self.focused,
            ..RawInput::default()
        };
        if let Some(viewport) = input.viewports.get_mut(&egui::ViewportId::ROOT) {
            viewport.native_pixels_per_point = Some(pixels_per_point);
        }
        input
    }
}
