//! The trait a plugin author implements: the plugin's DSP, independent of format and of hot or static builds.

use crate::context::Process;
use crate::params::Params;
use crate::state::DspState;
use overdub_abi::{OnFault, ProcessStatus};

/// A plugin's audio logic.
///
/// The same implementation runs inside the hot shell (built as a library and reloaded on every build) and the
/// static shell (compiled into the release plugin). The shell owns parameter values and hands them to
/// `process` as [`PluginLogic::Params`]; the implementing type holds the DSP memory (filters, delay lines,
/// voices). Derive [`DspState`] for it: when a rebuild leaves its layout unchanged, the new code takes over
/// the running memory as it is (a delay keeps ringing, held notes keep sounding); when the layout changed,
/// the memory moves over field by field.
pub trait PluginLogic: DspState + Send + Sized + 'static {
    /// The parameters: a struct with `#[derive(Params)]`, or `()`.
    type Params: Params;

    /// What the shell outputs after this logic panicked, until a new build revives it.
    const ON_FAULT: OnFault = OnFault::Silence;

    /// A fresh instance, before the sample rate is known.
    fn create() -> Self;

    /// Prepares for processing at `sample_rate` with blocks of at most `max_block` samples; clears what is
    /// playing. Allocate here, never in [`PluginLogic::process`]. Parameter glides are set up by overdub.
    fn reset(&mut self, sample_rate: f64, max_block: usize) {
        let _ = (sample_rate, max_block);
    }

    /// Processes one block. Runs on the audio thread: do not allocate, lock, or do I/O. The status says
    /// whether the output rings on after the input stops ([`ProcessStatus::Tail`]), which is how a logic
    /// reports its tail.
    fn process(&mut self, ctx: &mut Process<'_, Self::Params>) -> ProcessStatus;

    /// Samples of delay the logic adds, so the host can compensate.
    fn latency(&self) -> u32 {
        0
    }
}

/// Who the plugin is: written once, in the `[package.metadata.overdub]` table of the logic crate's
/// `Cargo.toml`, which [`crate::export_logic!`] reads at compile time (and the CLAP wrapper's build script,
/// without compiling the logic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    /// Stable, unique identifier such as `"com.example.gain"`; saved state is tagged with it.
    pub id: &'static str,
    /// Name shown to the user.
    pub name: &'static str,
}

/// A logic with its [`Identity`]; implemented by [`crate::export_logic!`] from the crate's manifest.
pub trait Identified: PluginLogic {
    /// The plugin's identity.
    const IDENTITY: Identity;

    /// How the logic's editor is made (`export_logic!(Logic, editor = MyEditor)`), or `None` without one.
    fn editor() -> Option<overdub_abi::EditorEntry> {
        None
    }
}
