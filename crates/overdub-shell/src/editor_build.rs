//! Which editor code a shell runs now, for the window that draws it: the entry points with what keeps their
//! code loaded, so an editor made from them can outlive the shell's switch to a newer build.

use overdub_abi::EditorEntry;
use std::sync::Arc;

/// The running build's editor entry points.
#[derive(Clone)]
pub struct EditorBuild {
    /// How this build makes its editor.
    pub entry: EditorEntry,
    /// Identifies the build: a different value means different code to switch to.
    pub build: u64,
    /// Keeps the build's code mapped while anything made from `entry` lives (`None`: the code is this
    /// binary's own). Whoever holds an editor object holds this beside it and drops it after the object.
    pub code: Option<Arc<dyn Send + Sync>>,
}

impl std::fmt::Debug for EditorBuild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditorBuild").field("entry", &self.entry).field("build", &self.build).finish()
    }
}
