//! What hot and static overdub shells share: the [`Shell`] interface, the processing [`Engine`] (parameter
//! ownership, sample-accurate parameter changes, fault handling), the saved-state container, and the
//! [`StaticShell`] that release plugins use. Nothing here loads libraries; that is `overdub-loader`.

mod audio;
mod engine;
mod error;
mod instance;
mod params;
pub mod saved_state;
mod shell;
mod static_shell;

pub use audio::AudioBlock;
pub use engine::{EVENTS_PER_WINDOW, Engine, FaultRecord, ProcessConfig};
pub use error::ShellError;
pub use instance::Instance;
pub use params::ParamSet;
pub use saved_state::{SavedState, StateFormatError};
pub use shell::Shell;
pub use static_shell::StaticShell;
