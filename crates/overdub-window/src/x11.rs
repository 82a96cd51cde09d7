//! An X11 window over `x11rb`'s pure-Rust connection: created inside a host's window or floating, its
//! events turned into egui input, its pixels shown with `PutImage`.

use crate::error::WindowError;
use crate::input::InputState;
use overdub_abi::egui::{Key, Modifiers, PointerButton, Vec2};
use x11rb::connection::{Connection, RequestConnection};
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{
    AtomEnum, ChangeWindowAttributesAux, ClientMessageEvent, ConfigureWindowAux, ConnectionExt as _,
    CreateGCAux, CreateWindowAux, EventMask, ImageFormat, KeyButMask, PropMode, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

/// Where the window goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Inside this window of the host's.
    Embedded(u32),
    /// A top-level window of its own with this title.
    Floating(String),
}

/// One editor window and its own connection to the X server.
pub(crate) struct X11Window {
    conn: RustConnection,
    window: u32,
    gc: u32,
    depth: u8,
    size: [u32; 2],
    keymap: Keymap,
    delete_atom: u32,
    closed: bool,
}

impl X11Window {
    /// Opens a window of `size` pixels, unmapped until [`X11Window::show`].
    pub(crate) fn open(placement: &Placement, size: [u32; 2]) -> Result<Self, WindowError> {
        let (conn, screen) =
            RustConnection::connect(None).map_err(|e| WindowError::NoDisplay { reason: e.to_string() })?;
        let root = conn.setup().roots[screen].root;
        let black = conn.setup().roots[screen].black_pixel;
        let parent = match placement {
            Placement::Embedded(parent) => *parent,
            Placement::Floating(_) => root,
        };
        let window = conn.generate_id()?;
        let events = EventMask::EXPOSURE
            | EventMask::STRUCTURE_NOTIFY
            | EventMask::BUTTON_PRESS
            | EventMask::BUTTON_RELEASE
            | EventMask::POINTER_MOTION
            | EventMask::KEY_PRESS
            | EventMask::KEY_RELEASE
            | EventMask::LEAVE_WINDOW
            | EventMask::FOCUS_CHANGE;
        conn.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            window,
            parent,
            0,
            0,
            size[0].max(1) as u16,
            size[1].max(1) as u16,
            0,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &CreateWindowAux::new().background_pixel(black).event_mask(events),
        )?;
        let delete_atom = conn.intern_atom(false, b"WM_DELETE_WINDOW")?.reply()?.atom;
        if let Placement::Floating(title) = placement {
            let protocols = conn.intern_atom(false, b"WM_PROTOCOLS")?.reply()?.atom;
            conn.change_property32(PropMode::REPLACE, window, protocols, AtomEnum::ATOM, &[delete_atom])?;
            conn.change_property8(
                PropMode::REPLACE,
                window,
                AtomEnum::WM_NAME,
                AtomEnum::STRING,
                title.as_bytes(),
            )?;
        }
        let gc = conn.generate_id()?;
        conn.create_gc(gc, window, &CreateGCAux::new())?;
        let depth = conn.get_geometry(window)?.reply()?.depth;
        let keymap = Keymap::read(&conn)?;
        conn.flush()?;
        Ok(Self { conn, window, gc, depth, size, keymap, delete_atom, closed: false })
    }

    /// The X window id.
    pub(crate) fn id(&self) -> u32 {
        self.window
    }

    /// Size in pixels.
    pub(crate) fn size(&self) -> [u32; 2] {
        self.size
    }

    /// Whether the user closed a floating window.
    pub(crate) fn closed(&self) -> bool {
        self.closed
    }

    pub(crate) fn show(&self, visible: bool) -> Result<(), WindowError> {
        if visible {
            self.conn.map_window(self.window)?;
        } else {
            self.conn.unmap_window(self.window)?;
        }
        self.conn.flush()?;
        Ok(())
    }

    pub(crate) fn resize(&mut self, size: [u32; 2]) -> Result<(), WindowError> {
        let aux = ConfigureWindowAux::new().width(size[0].max(1)).height(size[1].max(1));
        self.conn.configure_window(self.window, &aux)?;
        self.conn.flush()?;
        self.size = size;
        Ok(())
    }

    /// Keeps a floating window above the host's window `parent`.
    pub(crate) fn set_transient(&self, parent: u32) -> Result<(), WindowError> {
        self.conn.change_property32(
            PropMode::REPLACE,
            self.window,
            AtomEnum::WM_TRANSIENT_FOR,
            AtomEnum::WINDOW,
            &[parent],
        )?;
        self.conn.flush()?;
        Ok(())
    }

    /// Reads every pending event into `input` without waiting; returns whether the window must be redrawn
    /// (exposed or resized).
    pub(crate) fn pump(
        &mut self,
        input: &mut InputState,
        pixels_per_point: f32,
    ) -> Result<bool, WindowError> {
        let mut redraw = false;
        while let Some(event) = self.conn.poll_for_event()? {
            match event {
                Event::Expose(_) | Event::MapNotify(_) => redraw = true,
                Event::ConfigureNotify(e) if e.window == self.window => {
                    let size = [u32::from(e.width), u32::from(e.height)];
                    redraw |= size != self.size;
                    self.size = size;
                }
                Event::MotionNotify(e) => {
                    input.set_modifiers(modifiers(e.state));
                    input.pointer_moved(f32::from(e.event_x), f32::from(e.event_y), pixels_per_point);
                }
                Event::LeaveNotify(_) => input.pointer_left(),
                Event::ButtonPress(e) | Event::ButtonRelease(e) => {
                    let pressed = matches!(event, Event::ButtonPress(_));
                    input.set_modifiers(modifiers(e.state));
                    input.pointer_moved(f32::from(e.event_x), f32::from(e.event_y), pixels_per_point);
                    match e.detail {
                        1 => input.button(PointerButton::Primary, pressed),
                        2 => input.button(PointerButton::Middle, pressed),
                        3 => input.button(PointerButton::Secondary, pressed),
                        4 if pressed => input.scroll(Vec2::new(0.0, 1.0)),
                        5 if pressed => input.scroll(Vec2::new(0.0, -1.0)),
                        6 if pressed => input.scroll(Vec2::new(1.0, 0.0)),
                        7 if pressed => input.scroll(Vec2::new(-1.0, 0.0)),
                        _ => {}
                    }
                }
                Event::KeyPress(e) | Event::KeyRelease(e) => {
                    let pressed = matches!(event, Event::KeyPress(_));
                    let state = modifiers(e.state);
                    input.set_modifiers(state);
                    let keysym = self.keymap.keysym(e.detail, state.shift);
                    if let Some(key) = egui_key(keysym) {
                        input.key(key, pressed);
                    }
                    if pressed && let Some(text) = keysym_text(keysym) {
                        input.text(text);
                    }
                }
                Event::FocusIn(_) => input.focus(true),
                Event::FocusOut(_) => input.focus(false),
                Event::ClientMessage(ClientMessageEvent { data, .. })
                    if data.as_data32()[0] == self.delete_atom =>
                {
                    self.closed = true;
                }
                _ => {}
            }
        }
        Ok(redraw)
    }

    /// Shows `pixels` (BGRA rows of the window's width), split into requests the server accepts.
    pub(crate) fn present(&mut self, pixels: &[[u8; 4]], size: [u32; 2]) -> Result<(), WindowError> {
        let [width, height] = size;
        if width == 0 || height == 0 {
            return Ok(());
        }
        let row_bytes = width as usize * 4;
        let rows_per_request =
            ((self.conn.maximum_request_bytes() - 64) / row_bytes).clamp(1, height as usize);
        let bytes: &[u8] = pixels.as_flattened();
        let mut row = 0usize;
        while row < height as usize {
            let rows = rows_per_request.min(height as usize - row);
            let chunk = &bytes[row * row_bytes..(row + rows) * row_bytes];
            self.conn.put_image(
                ImageFormat::Z_PIXMAP,
                self.window,
                self.gc,
                width as u16,
                rows as u16,
                0,
                row as i16,
                0,
                self.depth,
                chunk,
            )?;
            row += rows;
        }
        self.conn.flush()?;
        Ok(())
    }

    /// Stops the window's events from reaching a host that reparents it away; used before destruction.
    fn quiet(&self) -> Result<(), WindowError> {
        self.conn.change_window_attributes(
            self.window,
            &ChangeWindowAttributesAux::new().event_mask(EventMask::NO_EVENT),
        )?;
        Ok(())
    }
}

impl Drop for X11Window {
    fn drop(&mut self) {
        let _ = self.quiet();
        let _ = self.conn.free_gc(self.gc);
        let _ = self.conn.destroy_window(self.window);
        let _ = self.conn.flush();
    }
}

fn modifiers(state: KeyButMask) -> Modifiers {
    let ctrl = state.contains(KeyButMask::CONTROL);
    Modifiers {
        alt: state.contains(KeyButMask::MOD1),
        ctrl,
        shift: state.contains(KeyButMask::SHIFT),
        mac_cmd: false,
        command: ctrl,
    }
}

/// The server's keycode-to-keysym table, read once per window.
struct Keymap {
    first: u8,
    per_keycode: usize,
    keysyms: Vec<u32>,
}

impl Keymap {
    fn read(conn: &RustConnection) -> Result<Self, WindowError> {
        let setup = conn.setup();
        let (first, last) = (setup.min_keycode, setup.max_keycode);
        let reply = conn.get_keyboard_mapping(first, last - first + 1)?.reply()?;
        Ok(Self { first, per_keycode: usize::from(reply.keysyms_per_keycode), keysyms: reply.keysyms })
    }

    fn keysym(&self, keycode: u8, shift: bool) -> u32 {
        let Some(index) = keycode.checked_sub(self.first) else { return 0 };
        let base = usize::from(index) * self.per_keycode;
        let plain = self.keysyms.get(base).copied().unwrap_or(0);
        let shifted = self.keysyms.get(base + 1).copied().filter(|&k| k != 0).unwrap_or(plain);
        if shift { shifted } else { plain }
    }
}

/// The egui key of a keysym, for keys egui's widgets act on.
fn egui_key(keysym: u32) -> Option<Key> {
    Some(match keysym {
        0xff08 => Key::Backspace,
        0xff09 => Key::Tab,
        0xff0d | 0xff8d => Key::Enter,
        0xff1b => Key::Escape,
        0xffff => Key::Delete,
        0xff50 => Key::Home,
        0xff51 => Key::ArrowLeft,
        0xff52 => Key::ArrowUp,
        0xff53 => Key::ArrowRight,
        0xff54 => Key::ArrowDown,
        0xff57 => Key::End,
        0x20 => Key::Space,
        0x61..=0x7a => Key::from_name(&char::from(keysym as u8).to_ascii_uppercase().to_string())?,
        0x41..=0x5a | 0x30..=0x39 => Key::from_name(&char::from(keysym as u8).to_string())?,
        _ => return None,
    })
}

/// The text a keysym types: Latin-1 keysyms are their own code points.
fn keysym_text(keysym: u32) -> Option<String> {
    match keysym {
        0x20..=0x7e | 0xa0..=0xff => char::from_u32(keysym).map(String::from),
        _ => None,
    }
}
