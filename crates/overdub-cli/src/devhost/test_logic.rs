//! A compiled-in logic for the dev host's unit tests: it leaves the audio to the shell.

use overdub::{DspState, Identified, Identity, PluginLogic, Process, ProcessStatus};
use overdub_shell::{Continuity, ProcessConfig, Shell, StaticProcessor, StaticShell};

/// Processes nothing itself.
#[derive(DspState)]
pub(crate) struct Through;

impl Identified for Through {
    const IDENTITY: Identity = Identity { id: "dev.overdub.cli.tests.through", name: "Through" };
}

impl PluginLogic for Through {
    type Params = ();

    fn create() -> Self {
        Self
    }

    fn process(&mut self, _ctx: &mut Process<'_, ()>) -> ProcessStatus {
        ProcessStatus::Normal
    }
}

/// A processor running [`Through`], activated for stereo blocks of at most `max_block`.
pub(crate) fn processor(max_block: usize) -> StaticProcessor<Through> {
    let mut shell = StaticShell::<Through>::new().expect("the logic is created");
    shell
        .activate(ProcessConfig::stereo(48_000.0, max_block), Continuity::Reset)
        .expect("the logic activates")
}
