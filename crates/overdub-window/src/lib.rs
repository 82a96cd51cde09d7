//! The window an overdub editor draws in, on the host's main thread, and the session that keeps it drawing
//! the newest build's editor code.
//!
//! The editor itself (the author's egui code) lives in the logic library and reloads with it; this crate is
//! the shell's side: an [`EditorSession`] owns a window (embedded in a host's window or floating), turns
//! its input into egui's, asks the logic's editor for a frame through the guarded boundary
//! ([`overdub_abi::EditorObject`]), rasterises the meshes it paints on the CPU and shows the pixels. When
//! the shell reports a new build, the next frame is drawn by the new code, in the same window, with the
//! editor's own state kept when its layout is unchanged. A panic in editor code shows the error in place
//! of the editor until a build that works.
//!
//! Windows are X11 (Linux, and anything with an X server), spoken by `x11rb`'s pure-Rust connection and
//! painted by a software renderer, so building needs no system library or header and tests run under
//! Xvfb. On other systems [`EditorSession::open`] returns [`WindowError::Unsupported`]; the editor code
//! itself is portable.

mod error;
mod error_view;
mod frame_stats;
mod host;
mod input;
mod paint;
mod session;
#[cfg(target_os = "linux")]
mod x11;

pub mod capture;

pub use error::WindowError;
pub use frame_stats::FrameStats;
pub use host::{Gesture, Gestures};
pub use session::{EditorSession, Parent, PluginView, SessionNote, Tick, editor_points};
