//! The trait a plugin author implements: the plugin's DSP, independent of format and of hot or static builds.

use crate::layout::StateLayout;
use crate::object::OnFault;
use crate::params::ParamInfo;
use crate::process::{Process, ProcessStatus, Tail};
use crate::state::{StateError, StateReader, StateWriter};

/// A plugin's audio logic.
///
/// The same implementation runs inside the hot shell (built as a library and reloaded on every build) and the
/// static shell (compiled into the release plugin). The shell owns parameter values and passes them in; the
/// implementing type holds everything else (filters, delay lines, voices). Derive [`StateLayout`] for it:
/// when a rebuild leaves its layout unchanged, the new code takes over the running state as it is (a delay
/// keeps ringing, held notes keep sounding); when the layout changed, state moves through `save_state` and
/// `load_state`.
pub trait PluginLogic: StateLayout + Send + Sized + 'static {
    /// Stable, unique identifier such as `"com.example.gain"`; saved state is tagged with it.
    const ID: &'static str;
    /// Name shown to the user.
    const NAME: &'static str;
    /// The parameters, in the order [`crate::ParamValues::get`] indexes them.
    const PARAMS: &'static [ParamInfo] = &[];
    /// What the shell outputs after this logic panicked, until a new build revives it.
    const ON_FAULT: OnFault = OnFault::Silence;

    /// A fresh instance, before the sample rate is known.
    fn create() -> Self;

    /// Prepares for processing at `sample_rate` with blocks of at most `max_block` samples; clears what is
    /// playing. Allocate here, never in [`PluginLogic::process`].
    fn reset(&mut self, sample_rate: f64, max_block: usize);

    /// Processes one block. Runs on the audio thread: do not allocate, lock, or do I/O.
    fn process(&mut self, ctx: &mut Process<'_>) -> ProcessStatus;

    /// Writes the state that must survive a saved project or a reload with a changed layout. Parameter values
    /// are saved by the shell; write only what they do not capture.
    fn save_state(&self, out: &mut StateWriter<'_>) {
        let _ = out;
    }

    /// Restores state written by [`PluginLogic::save_state`], possibly by an older build of this logic.
    fn load_state(&mut self, state: &mut StateReader<'_>) -> Result<(), StateError> {
        let _ = state;
        Ok(())
    }

    /// Samples of delay the logic adds, so the host can compensate.
    fn latency(&self) -> u32 {
        0
    }

    /// How long output continues after input stops.
    fn tail(&self) -> Tail {
        Tail::None
    }
}
