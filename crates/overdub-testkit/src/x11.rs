//! An X server for the tests that open editor windows, a window standing in for a host's, and synthetic
//! input sent to an editor's window the way the server delivers a user's.
//!
//! [`x_server`] uses the server `DISPLAY` names when it answers, else starts Xvfb on a display number it
//! picks itself (`-displayfd`), once per test process, killed when the process exits. Without either, a
//! GUI test cannot run: outside CI it says so and passes, in CI (`CI` set) it fails.

use crate::wait::Deadline;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::channel;
use std::time::Duration;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    BUTTON_PRESS_EVENT, BUTTON_RELEASE_EVENT, ButtonPressEvent, ConnectionExt as _, CreateWindowAux,
    EventMask, KeyButMask, MOTION_NOTIFY_EVENT, Motion, MotionNotifyEvent, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

/// Longest Xvfb may take to start.
const START_BUDGET: Duration = Duration::from_secs(20);

/// The X server this test process uses: its display name, also exported as `DISPLAY`, so plugins loaded
/// later connect to it.
pub fn x_server() -> Option<&'static str> {
    static SERVER: OnceLock<Option<String>> = OnceLock::new();
    let server = SERVER.get_or_init(|| {
        if std::env::var_os("DISPLAY").is_some() && RustConnection::connect(None).is_ok() {
            return std::env::var("DISPLAY").ok();
        }
        let display = start_xvfb()?;
        // SAFETY: set once, before any test of this process opens a window or loads a plugin that reads it.
        unsafe { std::env::set_var("DISPLAY", &display) };
        Some(display)
    });
    match server {
        Some(display) => Some(display),
        None if std::env::var_os("CI").is_some() => {
            panic!("no X server: DISPLAY does not answer and Xvfb could not be started (install xvfb)")
        }
        None => {
            eprintln!("no X server (no DISPLAY, no Xvfb): this editor test has nothing to open windows on");
            None
        }
    }
}

/// Starts Xvfb on a free display; `None` when there is no Xvfb. It is started from a thread that lives as
/// long as the process, because the kernel ends it when the thread that started it exits.
fn start_xvfb() -> Option<String> {
    let (sender, started) = channel();
    std::thread::spawn(move || {
        let _ = sender.send(spawn_xvfb());
        loop {
            std::thread::park();
        }
    });
    let display = started.recv_timeout(START_BUDGET).ok()??;
    Some(display)
}

fn spawn_xvfb() -> Option<String> {
    let mut command = Command::new("Xvfb");
    command
        .args(["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    // SAFETY: `prctl` is async-signal-safe and touches nothing of the parent's: the server is ended when
    // the thread that started it (alive as long as this process) is gone.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    let mut child = command.spawn().ok()?;
    let stdout = child.stdout.take()?;
    let (sender, ready) = channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let deadline = Deadline::after(START_BUDGET);
    let number = ready.recv_timeout(deadline.left()).ok()?;
    let number = number.trim();
    if number.is_empty() {
        return None;
    }
    // The server lives as long as this process; its handle is not needed again.
    std::mem::forget(child);
    Some(format!(":{number}"))
}

/// A mapped top-level window for an editor to embed in, as a host's window would be.
pub struct HostWindow {
    conn: RustConnection,
    window: u32,
}

impl HostWindow {
    /// Opens and maps a `width` × `height` window.
    pub fn open(width: u16, height: u16) -> Self {
        let (conn, screen) = RustConnection::connect(None).expect("connect to the X server");
        let root = conn.setup().roots[screen].root;
        let white = conn.setup().roots[screen].white_pixel;
        let window = conn.generate_id().expect("an id");
        conn.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            window,
            root,
            0,
            0,
            width,
            height,
            0,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &CreateWindowAux::new().background_pixel(white),
        )
        .expect("create the host's window");
        conn.map_window(window).expect("map");
        conn.sync().expect("the server has the window");
        Self { conn, window }
    }

    /// The window's id, for `set_parent`.
    pub fn id(&self) -> u32 {
        self.window
    }

    /// The windows inside this one (an embedded editor's among them).
    pub fn children(&self) -> Vec<u32> {
        self.conn.query_tree(self.window).expect("query").reply().expect("tree").children
    }

    /// Moves the pointer to `(x, y)` of `target`, with button 1 held when `held`.
    pub fn motion(&self, target: u32, x: i16, y: i16, held: bool) {
        let state = if held { KeyButMask::BUTTON1 } else { KeyButMask::default() };
        let event = MotionNotifyEvent {
            response_type: MOTION_NOTIFY_EVENT,
            detail: Motion::NORMAL,
            sequence: 0,
            time: 0,
            root: self.root(),
            event: target,
            child: 0,
            root_x: x,
            root_y: y,
            event_x: x,
            event_y: y,
            state,
            same_screen: true,
        };
        self.send(target, event);
    }

    /// Presses (or releases) button 1 at `(x, y)` of `target`.
    pub fn button(&self, target: u32, x: i16, y: i16, pressed: bool) {
        let event = ButtonPressEvent {
            response_type: if pressed { BUTTON_PRESS_EVENT } else { BUTTON_RELEASE_EVENT },
            detail: 1,
            sequence: 0,
            time: 0,
            root: self.root(),
            event: target,
            child: 0,
            root_x: x,
            root_y: y,
            event_x: x,
            event_y: y,
            state: if pressed { KeyButMask::default() } else { KeyButMask::BUTTON1 },
            same_screen: true,
        };
        self.send(target, event);
    }

    fn root(&self) -> u32 {
        self.conn.setup().roots[0].root
    }

    /// Sends `event` to the client that created `target` (an empty event mask means exactly that).
    fn send(&self, target: u32, event: impl Into<[u8; 32]>) {
        self.conn.send_event(false, target, EventMask::NO_EVENT, event).expect("send the event");
        self.conn.sync().expect("the server took the event");
    }
}

impl Drop for HostWindow {
    fn drop(&mut self) {
        let _ = self.conn.destroy_window(self.window);
        let _ = self.conn.flush();
    }
}
