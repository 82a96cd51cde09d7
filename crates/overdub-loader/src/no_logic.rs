//! What a hot shell runs before it has a build: silence, no parameters, until the first library arrives.
//!
//! A host that opens a project after `cargo clean` must not lose the plugin (and its saved state with it):
//! the shell instantiates on this stand-in and swaps the first real build in like any other.

use overdub_abi::{
    LogicInfo, LogicObject, OnFault, Outcome, ProcessBlock, ProcessStatus, StateError, StateSink,
};

/// The stand-in logic: outputs silence.
pub(crate) struct NoLogic;

/// Identity of the stand-in: no plugin id, so no saved state is taken for it.
pub(crate) const NO_LOGIC: LogicInfo =
    LogicInfo { id: "", name: "no logic yet", params: &[], on_fault: OnFault::Silence };

impl LogicObject for NoLogic {
    fn info(&mut self) -> Outcome<LogicInfo> {
        Ok(NO_LOGIC)
    }
    fn reset(&mut self, _sample_rate: f64, _max_block: usize) -> Outcome<()> {
        Ok(())
    }
    fn process(&mut self, block: &mut ProcessBlock<'_>) -> Outcome<ProcessStatus> {
        for channel in 0..block.buffer.output_channels() {
            if let Some(output) = block.buffer.output(channel) {
                output.fill(0.0);
            }
        }
        Ok(ProcessStatus::Normal)
    }
    fn save_state(&mut self, _sink: &mut dyn StateSink) -> Outcome<()> {
        Ok(())
    }
    fn load_state(&mut self, _data: &[u8]) -> Outcome<Result<(), StateError>> {
        Ok(Ok(()))
    }
    fn latency(&mut self) -> Outcome<u32> {
        Ok(0)
    }
    fn allocations(&mut self) -> Outcome<u64> {
        Ok(0)
    }
    fn destroy(self: Box<Self>) -> Outcome<()> {
        Ok(())
    }
}
