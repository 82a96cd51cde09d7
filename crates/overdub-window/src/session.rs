//! An open editor window and the editor code drawing it: switched to each new build on its next frame,
//! the editor's own state carried when its layout is unchanged, a panic shown in place of the editor.

use crate::error::WindowError;
use crate::error_view::ErrorView;
use crate::frame_stats::FrameStats;
use crate::host::{FrameHost, Gesture, Gestures};
use crate::input::InputState;
use crate::paint::Canvas;
use overdub_abi::{Display, EditorObject, Fault};
use overdub_shell::{EditorBuild, SharedParams};
use std::time::{Duration, Instant};

#[cfg(target_os = "linux")]
pub use crate::x11::Placement as Parent;
#[cfg(target_os = "linux")]
use crate::x11::X11Window as Window;

/// Where an editor window goes (on systems without X11 windows, nothing opens).
#[cfg(not(target_os = "linux"))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parent {
    /// Inside this window of the host's.
    Embedded(u32),
    /// A top-level window of its own with this title.
    Floating(String),
}

/// The size an editor window takes before a build has told it one, in points.
const DEFAULT_POINTS: [u32; 2] = [400, 300];

/// The editor's size in points: `editor`'s request, or the default before there is a build with one.
pub fn editor_points(editor: Option<&EditorBuild>) -> [u32; 2] {
    editor.map_or(DEFAULT_POINTS, |build| build.entry.size)
}

/// What the plugin shows the editor this frame, borrowed from its shell.
pub struct PluginView<'a> {
    /// The parameters and their latest values.
    pub params: &'a SharedParams,
    /// Meters and scope the audio thread wrote.
    pub display: &'a Display,
    /// The newest build's editor (`None`: the logic has none).
    pub editor: Option<EditorBuild>,
}

/// Something the session did that the user should hear about (the dev host prints it, a plugin logs it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionNote {
    /// A new build's editor took over the window with the previous editor's state.
    StateKept,
    /// A new build's editor took over the window with fresh state, for this reason.
    StateReset(String),
    /// The editor code panicked; the window shows this message until a build that works.
    Panicked(String),
}

impl std::fmt::Display for SessionNote {
    /// The line a plugin logs for the note (after its own prefix).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::StateKept => write!(f, "the new editor kept its state"),
            Self::StateReset(reason) => write!(f, "the new editor starts afresh: {reason}"),
            Self::Panicked(message) => write!(f, "the editor {message}"),
        }
    }
}

/// What one [`EditorSession::tick`] did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tick {
    /// Whether a frame was drawn and shown.
    pub drew: bool,
    /// Whether the session switched to a new build's editor.
    pub switched: bool,
    /// A floating window the user closed.
    pub closed: bool,
    /// The size (points) a new build's editor asks for, once per change: the host is to be asked for it
    /// (an embedded window) and the window resized when granted.
    pub asks_size: Option<[u32; 2]>,
    /// Notes for the user.
    pub notes: Vec<SessionNote>,
}

/// The editor object running now, and the build whose code it runs.
struct Running {
    object: Option<Box<dyn EditorObject>>,
    build: EditorBuild,
    /// The panic that stopped it: it is not called again, and the window shows this instead.
    failed: Option<String>,
}

impl Running {
    /// Hands the editor's state to `next` when both builds' state layouts match, else starts `next` afresh.
    fn switch(mut self, next: EditorBuild) -> (Running, SessionNote) {
        let old = self.object.take();
        let same_layout =
            self.build.entry.fingerprint != 0 && self.build.entry.fingerprint == next.entry.fingerprint;
        let (object, note) = match old {
            Some(old) if same_layout => match old.into_state() {
                // SAFETY: `state` came from `into_state` of an editor whose entry has `next`'s non-zero
                // fingerprint (`same_layout`), and this call hands its only owner over.
                Ok(state) => (unsafe { (next.entry.adopt)(state) }, SessionNote::StateKept),
                Err(fault) => ((next.entry.create)(), reset(format!("the old editor {}", describe(fault)))),
            },
            Some(old) => {
                let _ = old.destroy();
                ((next.entry.create)(), reset("its layout changed".to_owned()))
            }
            None => ((next.entry.create)(), reset("the old editor had stopped".to_owned())),
        };
        drop(self);
        Running::start(object, next, note)
    }

    fn start(
        object: Result<Box<dyn EditorObject>, Fault>,
        build: EditorBuild,
        note: SessionNote,
    ) -> (Running, SessionNote) {
        match object {
            Ok(object) => (Running { object: Some(object), build, failed: None }, note),
            Err(fault) => {
                let message = describe(fault);
                (
                    Running { object: None, build, failed: Some(message.clone()) },
                    SessionNote::Panicked(message),
                )
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // The object runs the build's code: destroyed while `build.code` still keeps it mapped.
        if let Some(object) = self.object.take() {
            let _ = object.destroy();
        }
    }
}

fn reset(reason: String) -> SessionNote {
    SessionNote::StateReset(reason)
}

fn describe(fault: Fault) -> String {
    match fault {
        Fault::Panic(message) => format!("panicked: {message}"),
        Fault::Probe(slot) => format!("answered as a probe ({slot})"),
    }
}

/// An editor window and the editor drawing it. Main thread only: it is neither `Send` nor `Sync`.
pub struct EditorSession {
    window: Window,
    input: InputState,
    editor_canvas: Canvas,
    error_canvas: Canvas,
    error_view: ErrorView,
    running: Option<Running>,
    /// Parameters inside a gesture the editor began.
    open_gestures: Vec<u32>,
    drawn_values: Vec<f64>,
    pixels_per_point: f32,
    /// The editor size (points) the window was opened with or last asked for.
    points: [u32; 2],
    next_frame: Option<Instant>,
    redraw: bool,
    stats: FrameStats,
    _main_thread_only: std::marker::PhantomData<*const ()>,
}

impl EditorSession {
    /// Opens a window of `size` points (at `scale` pixels per point) where `parent` says; not shown yet.
    pub fn open(parent: &Parent, size: [u32; 2], scale: f32) -> Result<Self, WindowError> {
        #[cfg(target_os = "linux")]
        {
            let pixels = [(size[0] as f32 * scale) as u32, (size[1] as f32 * scale) as u32];
            Ok(Self {
                window: Window::open(parent, pixels)?,
                input: InputState::new(),
                editor_canvas: Canvas::new(),
                error_canvas: Canvas::new(),
                error_view: ErrorView::new(),
                running: None,
                open_gestures: Vec::new(),
                drawn_values: Vec::new(),
                pixels_per_point: scale,
                points: size,
                next_frame: None,
                redraw: true,
                stats: FrameStats::default(),
                _main_thread_only: std::marker::PhantomData,
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (parent, size, scale);
            Err(WindowError::Unsupported)
        }
    }

    /// The X window id, for tests and hosts.
    pub fn window_id(&self) -> u32 {
        self.window.id()
    }

    /// Size in pixels.
    pub fn size(&self) -> [u32; 2] {
        self.window.size()
    }

    /// Shows or hides the window.
    pub fn show(&mut self, visible: bool) -> Result<(), WindowError> {
        self.redraw = true;
        self.window.show(visible)
    }

    /// Resizes the window to `size` pixels.
    pub fn resize(&mut self, size: [u32; 2]) -> Result<(), WindowError> {
        self.redraw = true;
        self.window.resize(size)
    }

    /// Sets pixels per point (the host's scale); the next frame uses it.
    pub fn set_scale(&mut self, scale: f32) {
        self.pixels_per_point = scale.max(0.25);
        self.redraw = true;
    }

    /// Keeps a floating window above the host's window `parent`.
    pub fn set_transient(&self, parent: u32) -> Result<(), WindowError> {
        self.window.set_transient(parent)
    }

    /// The frames drawn so far and how long they took.
    pub fn stats(&self) -> FrameStats {
        self.stats
    }

    /// The last frame's pixels (BGRA) and size, as the window was sent them.
    pub fn pixels(&self) -> (&[[u8; 4]], [u32; 2]) {
        if self.showing_error() { self.error_canvas.pixels() } else { self.editor_canvas.pixels() }
    }

    fn showing_error(&self) -> bool {
        self.running.as_ref().is_none_or(|running| running.failed.is_some())
    }

    /// Reads the window's input, switches to a new build's editor, and draws a frame when anything changed
    /// (input, a parameter value, a new build, the editor's own repaint request). Call it from the main
    /// thread's timer or event loop, often (every 10–20 ms); it never waits.
    pub fn tick(&mut self, view: PluginView<'_>, gestures: &mut dyn Gestures) -> Result<Tick, WindowError> {
        let mut tick = Tick::default();
        self.redraw |= self.window.pump(&mut self.input, self.pixels_per_point)?;
        tick.closed = self.window.closed();
        let points = editor_points(view.editor.as_ref());
        if let Some(note) = self.follow(view.editor, gestures) {
            tick.switched = true;
            self.redraw = true;
            tick.notes.push(note);
        }
        if points != self.points {
            self.points = points;
            tick.asks_size = Some(points);
        }
        let values: Vec<f64> = (0..view.params.infos().len()).map(|i| view.params.value(i)).collect();
        let due = self.next_frame.is_some_and(|at| Instant::now() >= at);
        if !(self.redraw || due || self.input.has_events() || values != self.drawn_values) {
            return Ok(tick);
        }
        let started = Instant::now();
        if let Some(note) = self.frame(view.params, view.display, gestures) {
            tick.notes.push(note);
        }
        let (pixels, size) = self.pixels();
        let pixels = pixels.to_vec();
        self.window.present(&pixels, size)?;
        self.stats.record(started.elapsed());
        self.drawn_values = values;
        self.redraw = false;
        tick.drew = true;
        Ok(tick)
    }

    /// Ends every gesture the editor began and has not ended: for a host closing the window mid-drag, so it
    /// never keeps the parameter touched.
    pub fn end_gestures(&mut self, gestures: &mut dyn Gestures) {
        end_all(&mut self.open_gestures, gestures);
    }

    /// Switches to `build` when it is not the one running; the note says what became of the editor's state.
    fn follow(&mut self, build: Option<EditorBuild>, gestures: &mut dyn Gestures) -> Option<SessionNote> {
        let current = self.running.as_ref().map(|running| running.build.build);
        let next = build?;
        if current == Some(next.build) {
            return None;
        }
        end_all(&mut self.open_gestures, gestures);
        self.editor_canvas.forget_textures();
        let (running, note) = match self.running.take() {
            Some(running) => running.switch(next),
            None => Running::start((next.entry.create)(), next, SessionNote::StateKept),
        };
        self.running = Some(running);
        (current.is_some() || matches!(note, SessionNote::Panicked(_))).then_some(note)
    }

    /// Draws one frame: the editor's, or the error view when there is none that works.
    fn frame(
        &mut self,
        params: &SharedParams,
        display: &Display,
        gestures: &mut dyn Gestures,
    ) -> Option<SessionNote> {
        let size = self.window.size();
        let input = self.input.take(size, self.pixels_per_point);
        let mut note = None;
        if let Some(running) = &mut self.running
            && running.failed.is_none()
            && let Some(object) = &mut running.object
        {
            let mut host = FrameHost {
                params,
                display,
                gestures: &mut *gestures,
                open: &mut self.open_gestures,
                canvas: &mut self.editor_canvas,
                size,
                painted: None,
            };
            match object.frame(&input, &mut host) {
                Ok(()) => {
                    self.next_frame = host
                        .painted
                        .and_then(|p| p.repaint_after)
                        .map(|after| Instant::now() + Duration::from_secs_f32(after.min(1.0)));
                    return None;
                }
                Err(fault) => {
                    let message = describe(fault);
                    running.failed = Some(message.clone());
                    note = Some(SessionNote::Panicked(message));
                    end_all(&mut self.open_gestures, gestures);
                }
            }
        }
        let (title, detail) = match &self.running {
            Some(Running { failed: Some(message), .. }) => {
                ("The editor stopped", format!("{message}\n\nSave a fixed build: it takes over this window."))
            }
            _ => ("No editor", "This logic has no editor yet.".to_owned()),
        };
        let mut host = FrameHost {
            params,
            display,
            gestures,
            open: &mut self.open_gestures,
            canvas: &mut self.error_canvas,
            size,
            painted: None,
        };
        self.error_view.frame(input, title, &detail, &mut host);
        self.next_frame = None;
        note
    }
}

/// Ends the gestures in `open`, emptying it.
fn end_all(open: &mut Vec<u32>, gestures: &mut dyn Gestures) {
    for id in open.drain(..) {
        gestures.gesture(Gesture::End(id));
    }
}
