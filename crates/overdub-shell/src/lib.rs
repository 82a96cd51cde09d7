//! What hot and static overdub shells share: the [`Shell`] interface split by thread role (a main-thread
//! control and an audio-thread [`ShellProcessor`]), the processing [`Engine`] (parameter ownership,
//! sample-accurate parameter changes, held notes, fault handling), the lock-free structures the two halves
//! share, the saved-state container, the audio-path guards, the plugin's [`Description`] every format wrapper
//! lists, and the [`StaticShell`] that release plugins use.
//! Nothing here loads libraries; that is `overdub-loader`.

mod audio;
pub mod audio_path;
mod core;
mod description;
mod editor_build;
mod engine;
mod error;
mod held;
pub mod interned;
mod params;
pub mod saved_state;
mod shared;
mod shell;
mod slot;
mod static_shell;
mod tail;

pub use crate::core::{ControlCore, ProcessorCore};
pub use audio::AudioBlock;
pub use description::{AudioLayout, Description};
pub use editor_build::EditorBuild;
pub use engine::{EVENTS_PER_WINDOW, Engine, FaultRecord, HostBlock, ProcessConfig};
pub use error::ShellError;
pub use held::{HELD_NOTES, HeldNotes};
pub use params::ParamSet;
pub use saved_state::{SavedState, StateFormatError};
pub use shared::{FaultMailbox, Shared, SharedParams};
pub use shell::{Continuity, Shell, ShellProcessor, StateLoaded};
pub use slot::Slot;
pub use static_shell::{StaticProcessor, StaticShell};
pub use tail::AtomicTail;
