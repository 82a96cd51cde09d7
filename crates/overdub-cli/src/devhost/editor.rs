//! The dev host's editor window: the logic's editor in a window of its own, drawn on the dev host's main
//! thread and switched to each new build's editor code as the reloads land.

use super::session::Session;
use crate::report::DevEvent;
use overdub_window::{EditorSession, Gesture, Gestures, Parent, SessionNote};

/// The dev host has no automation lane: an edit is already in the shell's parameters, which is all the
/// audio needs.
struct NoAutomation;

impl Gestures for NoAutomation {
    fn gesture(&mut self, _: Gesture) {}
}

/// The open editor window, if there is one.
pub struct DevEditor {
    window: Option<EditorSession>,
}

impl DevEditor {
    /// Opens the logic's editor when it has one and there is a display; the event says which happened.
    pub fn open(session: &Session, wanted: bool) -> (Self, Option<DevEvent>) {
        let closed = Self { window: None };
        if !wanted {
            return (closed, None);
        }
        let Some(build) = session.editor_view().editor else {
            return (
                closed,
                Some(message("this logic has no editor (export_logic!(Logic, editor = MyEditor))")),
            );
        };
        match EditorSession::open(&Parent::Floating("overdub dev".to_owned()), build.entry.size, 1.0) {
            Ok(mut window) => match window.show(true) {
                Ok(()) => {
                    let id = window.window_id();
                    (
                        Self { window: Some(window) },
                        Some(message(&format!("open in a window of its own (X11 id {id})"))),
                    )
                }
                Err(error) => (closed, Some(message(&format!("not shown: {error}")))),
            },
            Err(error) => (closed, Some(message(&format!("not shown: {error}")))),
        }
    }

    /// Whether a window is open (the main loop then wakes often enough for its frames).
    pub fn is_open(&self) -> bool {
        self.window.is_some()
    }

    /// One frame when anything changed; the events are for the user (state kept or reset on a new build, a
    /// panic, the window closed or lost).
    pub fn tick(&mut self, session: &Session) -> Vec<DevEvent> {
        let Some(window) = &mut self.window else { return Vec::new() };
        match window.tick(session.editor_view(), &mut NoAutomation) {
            Ok(tick) => {
                let mut events: Vec<DevEvent> = tick.notes.iter().map(note).collect();
                if tick.closed {
                    self.window = None;
                    events.push(message("window closed; the audio plays on"));
                }
                events
            }
            Err(error) => {
                self.window = None;
                vec![message(&format!("window lost: {error}"))]
            }
        }
    }
}

fn message(text: &str) -> DevEvent {
    DevEvent::Editor { message: text.to_owned() }
}

fn note(note: &SessionNote) -> DevEvent {
    message(&match note {
        SessionNote::StateKept => "new build drawn, its state kept".to_owned(),
        SessionNote::StateReset(reason) => format!("new build drawn, its state reset: {reason}"),
        SessionNote::Panicked(message) => {
            format!("the editor {message}; the window shows it until a build that works")
        }
    })
}
