//! Why an editor window could not be opened or kept.

use thiserror::Error;

/// A window that could not be opened, drawn or read.
#[derive(Debug, Error)]
pub enum WindowError {
    /// No X server to connect to (`DISPLAY` unset or unreachable).
    #[error("no display to open the editor on ({reason}); set DISPLAY to an X server")]
    NoDisplay {
        /// The connection's error.
        reason: String,
    },
    /// The X server refused a request or the connection broke.
    #[error("the X server connection failed: {0}")]
    Connection(String),
    /// Editor windows are X11 only so far.
    #[error("editor windows are not implemented on this system yet (X11 only)")]
    Unsupported,
}

#[cfg(target_os = "linux")]
macro_rules! from_x11 {
    ($($error:ty),*) => {
        $(impl From<$error> for WindowError {
            fn from(error: $error) -> Self {
                Self::Connection(error.to_string())
            }
        })*
    };
}

#[cfg(target_os = "linux")]
from_x11!(x11rb::errors::ConnectionError, x11rb::errors::ReplyError, x11rb::errors::ReplyOrIdError);
