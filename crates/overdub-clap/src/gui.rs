//! The gui extension (X11, embedded in the host's window or floating) and the timer that drives the
//! editor's frames, both on the host's main thread. The editor session reads the shell's parameters and
//! display data and queues its edits for the audio thread to report; it never touches the processor.

use crate::gestures::Queued;
use crate::main_thread::MainThread;
use crate::plugin::Export;
use clack_extensions::gui::{GuiApiType, GuiConfiguration, GuiSize, HostGui, PluginGuiImpl, Window};
use clack_extensions::log::LogSeverity;
use clack_extensions::timer::{PluginTimerImpl, TimerId};
use clack_plugin::prelude::*;
use overdub_shell::Shell;
use overdub_window::{EditorSession, Parent, PluginView, SessionNote, editor_points};

/// How often the editor looks at its window, its parameters and new builds.
const FRAME_MS: u32 = 16;

/// The editor of one plugin instance, between the host's `create` and `destroy`.
pub(crate) struct Gui {
    floating: bool,
    scale: f32,
    session: Option<EditorSession>,
    timer: Option<TimerId>,
}

impl<E: Export> MainThread<'_, E> {
    /// The editor's size in points: the running build's request, or the default before there is one.
    fn editor_points(&self) -> [u32; 2] {
        editor_points(self.shell.borrow().editor().as_ref())
    }

    fn open_session(&self, parent: Parent) -> Result<(), PluginError> {
        let mut gui = self.gui.borrow_mut();
        let Some(gui) = gui.as_mut() else { return Err(PluginError::Message("no editor was created")) };
        let session = EditorSession::open(&parent, self.editor_points(), gui.scale)
            .map_err(|e| PluginError::Error(Box::new(e)))?;
        gui.session = Some(session);
        if gui.timer.is_none()
            && let Some(timer) = &self.host_timer
        {
            gui.timer = timer.register_timer(&self.host, FRAME_MS).ok();
        }
        Ok(())
    }

    fn log_notes(&self, notes: &[SessionNote]) {
        for note in notes {
            let severity =
                if matches!(note, SessionNote::Panicked(_)) { LogSeverity::Error } else { LogSeverity::Info };
            self.shared.notices.log(severity, &format!("overdub: {note}"));
        }
    }

    /// One frame of the editor, if it is open: its edits go to the queue, and the host is asked to flush
    /// them when there were any.
    fn editor_tick(&self) {
        let mut gui = self.gui.borrow_mut();
        let Some(session) = gui.as_mut().and_then(|gui| gui.session.as_mut()) else { return };
        let (tick, pushed) = {
            let shell = self.shell.borrow();
            let view =
                PluginView { params: shell.params(), display: shell.display(), editor: shell.editor() };
            let mut sender = self.edits.borrow_mut();
            let mut queued = Queued { sender: &mut sender, pushed: false };
            let tick = session.tick(view, &mut queued);
            (tick, queued.pushed)
        };
        drop(gui);
        if pushed && let Some(params) = &self.host_params {
            params.request_flush(&self.host);
        }
        match tick {
            Ok(tick) => {
                self.log_notes(&tick.notes);
                if let Some(points) = tick.asks_size {
                    self.follow_size(points);
                }
            }
            Err(error) => {
                self.shared
                    .notices
                    .log(LogSeverity::Error, &format!("overdub: the editor window failed: {error}"));
                if let Some(gui) = self.gui.borrow_mut().as_mut() {
                    gui.session = None;
                }
            }
        }
    }
}

impl<E: Export> MainThread<'_, E> {
    /// Gives the window the size (points) a new build's editor asks for: a floating window is the plugin's
    /// to resize, an embedded one is resized when the host grants `request_resize`.
    fn follow_size(&self, points: [u32; 2]) {
        let (floating, pixels) = {
            let gui = self.gui.borrow();
            let Some(gui) = gui.as_ref() else { return };
            (gui.floating, points.map(|p| (p as f32 * gui.scale) as u32))
        };
        let granted = floating
            || self
                .host
                .get_extension::<HostGui>()
                .is_some_and(|host_gui| host_gui.request_resize(&self.host, pixels[0], pixels[1]).is_ok());
        if !granted {
            return;
        }
        let resized = match self.gui.borrow_mut().as_mut().and_then(|gui| gui.session.as_mut()) {
            Some(session) if session.size() != pixels => session.resize(pixels),
            _ => Ok(()),
        };
        if let Err(error) = resized {
            self.shared
                .notices
                .log(LogSeverity::Error, &format!("overdub: cannot resize the editor: {error}"));
        }
    }
}

impl<E: Export> PluginGuiImpl for MainThread<'_, E> {
    fn is_api_supported(&self, configuration: GuiConfiguration) -> bool {
        configuration.api_type == GuiApiType::X11 && (E::HOT || self.shell.borrow().editor().is_some())
    }

    fn get_preferred_api(&self) -> Option<GuiConfiguration<'_>> {
        Some(GuiConfiguration { api_type: GuiApiType::X11, is_floating: false })
    }

    fn create(&self, configuration: GuiConfiguration) -> Result<(), PluginError> {
        if !self.is_api_supported(configuration) {
            return Err(PluginError::Message("only X11 editors are supported"));
        }
        *self.gui.borrow_mut() =
            Some(Gui { floating: configuration.is_floating, scale: 1.0, session: None, timer: None });
        if configuration.is_floating {
            self.open_session(Parent::Floating(E::DESCRIPTION.name.to_owned()))?;
        }
        Ok(())
    }

    /// Ends a drag the closing window was in the middle of (queued like any edit), and stops the timer.
    fn destroy(&self) {
        let Some(mut gui) = self.gui.borrow_mut().take() else { return };
        let pushed = gui.session.as_mut().is_some_and(|session| {
            let mut sender = self.edits.borrow_mut();
            let mut queued = Queued { sender: &mut sender, pushed: false };
            session.end_gestures(&mut queued);
            queued.pushed
        });
        if pushed && let Some(params) = &self.host_params {
            params.request_flush(&self.host);
        }
        if let (Some(timer), Some(host_timer)) = (gui.timer, &self.host_timer) {
            let _ = host_timer.unregister_timer(&self.host, timer);
        }
    }

    fn set_scale(&self, scale: f64) -> Result<(), PluginError> {
        let mut gui = self.gui.borrow_mut();
        let gui = gui.as_mut().ok_or(PluginError::Message("no editor was created"))?;
        gui.scale = scale as f32;
        if let Some(session) = &mut gui.session {
            session.set_scale(scale as f32);
        }
        Ok(())
    }

    fn get_size(&self) -> Option<GuiSize> {
        let scale = self.gui.borrow().as_ref().map_or(1.0, |gui| gui.scale);
        let [width, height] = match self.gui.borrow().as_ref().and_then(|gui| gui.session.as_ref()) {
            Some(session) => session.size(),
            None => self.editor_points().map(|points| (points as f32 * scale) as u32),
        };
        Some(GuiSize { width, height })
    }

    fn set_size(&self, size: GuiSize) -> Result<(), PluginError> {
        let mut gui = self.gui.borrow_mut();
        if let Some(session) = gui.as_mut().and_then(|gui| gui.session.as_mut()) {
            session.resize([size.width, size.height]).map_err(|e| PluginError::Error(Box::new(e)))?;
        }
        Ok(())
    }

    fn set_parent(&self, window: Window) -> Result<(), PluginError> {
        let handle = window.as_x11_handle().ok_or(PluginError::Message("not an X11 window"))?;
        let floating = self.gui.borrow().as_ref().is_some_and(|gui| gui.floating);
        if floating {
            return Err(PluginError::Message("a floating editor has no parent"));
        }
        self.open_session(Parent::Embedded(handle as u32))
    }

    fn set_transient(&self, window: Window) -> Result<(), PluginError> {
        let handle = window.as_x11_handle().ok_or(PluginError::Message("not an X11 window"))?;
        let gui = self.gui.borrow();
        let session =
            gui.as_ref().and_then(|gui| gui.session.as_ref()).ok_or(PluginError::Message("no window"))?;
        session.set_transient(handle as u32).map_err(|e| PluginError::Error(Box::new(e)))
    }

    fn show(&self) -> Result<(), PluginError> {
        self.set_visible(true)
    }

    fn hide(&self) -> Result<(), PluginError> {
        self.set_visible(false)
    }
}

impl<E: Export> MainThread<'_, E> {
    fn set_visible(&self, visible: bool) -> Result<(), PluginError> {
        {
            let mut gui = self.gui.borrow_mut();
            let session =
                gui.as_mut().and_then(|gui| gui.session.as_mut()).ok_or(PluginError::Message("no window"))?;
            session.show(visible).map_err(|e| PluginError::Error(Box::new(e)))?;
        }
        if visible {
            self.editor_tick();
        }
        Ok(())
    }
}

impl<E: Export> PluginTimerImpl for MainThread<'_, E> {
    fn on_timer(&self, _timer_id: TimerId) {
        self.editor_tick();
    }
}
