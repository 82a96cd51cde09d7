//! How a plugin crate gives the wrapper its shell and description; implemented by [`crate::export_vst3!`].

use crate::error::Vst3Error;
use crate::notices::Notices;
use overdub_shell::{Description, Shell};
use std::sync::Arc;

/// One exported plugin: the shell it drives (static or hot) and what hosts list.
pub trait Export: Sized + Send + Sync + 'static {
    /// The shell the plugin drives.
    type Shell: Shell;
    /// What hosts list.
    const DESCRIPTION: Description;
    /// Whether this is the reloading build (its id, name and class id are marked so both can be installed).
    const HOT: bool;

    /// A running shell for a new plugin instance; a hot shell's reports go to `notices`.
    fn create_shell(notices: &Arc<Notices>) -> Result<Self::Shell, Vst3Error>;
}
