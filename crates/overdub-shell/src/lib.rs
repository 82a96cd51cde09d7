//! What hot and static overdub shells share: the [`Shell`] interface, the processing [`Engine`] (parameter
//! ownership, sample-accurate parameter changes, held notes, fault handling), the saved-state container, the
//! audio-path guards, and the [`StaticShell`] that release plugins use. Nothing here loads libraries; that
//! is `overdub-loader`.

mod audio;
pub mod audio_path;
mod engine;
mod error;
mod held;
mod params;
pub mod saved_state;
mod shell;
mod static_shell;

pub use audio::AudioBlock;
pub use engine::{EVENTS_PER_WINDOW, Engine, FaultRecord, HostBlock, ProcessConfig};
pub use error::ShellError;
pub use held::{HELD_NOTES, HeldNotes};
pub use params::ParamSet;
pub use saved_state::{SavedState, StateFormatError};
pub use shell::Shell;
pub use static_shell::StaticShell;
