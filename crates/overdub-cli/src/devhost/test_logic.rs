//! A compiled-in logic for the dev host's unit tests: it leaves the audio to the shell.

use overdub_abi::{LayoutWriter, PluginLogic, Process, ProcessStatus, StateLayout};
use overdub_shell::{ProcessConfig, Shell, StaticShell};

/// Processes nothing itself.
pub(crate) struct Through;

// SAFETY: a unit struct holds no state; its layout is its name.
unsafe impl StateLayout for Through {
    fn describe(out: &mut LayoutWriter) {
        out.structure::<Self>("Through", |_| {});
    }
}

impl PluginLogic for Through {
    const ID: &'static str = "dev.overdub.cli.tests.through";
    const NAME: &'static str = "Through";

    fn create() -> Self {
        Self
    }

    fn reset(&mut self, _sample_rate: f64, _max_block: usize) {}

    fn process(&mut self, _ctx: &mut Process<'_>) -> ProcessStatus {
        ProcessStatus::Normal
    }
}

/// A shell running [`Through`], activated for stereo blocks of at most `max_block`.
pub(crate) fn shell(max_block: usize) -> StaticShell<Through> {
    let mut shell = StaticShell::<Through>::new().expect("the logic is created");
    shell.activate(ProcessConfig::stereo(48_000.0, max_block)).expect("the logic activates");
    shell
}
