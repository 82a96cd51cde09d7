//! The params extension: the logic's parameter list, values from the lock-free mirror, text conversion with
//! the logic's own formatting, and flushes outside processing.

use crate::main_thread::MainThread;
use crate::plugin::Export;
use crate::processor::Processor;
use clack_extensions::params::{
    ParamDisplayWriter, ParamInfo as ClapParamInfo, ParamInfoFlags, ParamInfoWriter,
    PluginAudioProcessorParams, PluginMainThreadParams,
};
use clack_plugin::events::io::{InputEvents, OutputEvents};
use clack_plugin::events::spaces::CoreEventSpace;
use clack_plugin::prelude::ClapId;
use clack_plugin::utils::Cookie;
use overdub_abi::{Event, EventBody, ParamFlags, ParamInfo};
use overdub_shell::Shell;
use std::ffi::CStr;

/// CLAP's flags for an overdub parameter.
pub(crate) fn clap_flags(info: &ParamInfo) -> ParamInfoFlags {
    let mut flags = ParamInfoFlags::empty();
    for (ours, theirs) in [
        (ParamFlags::AUTOMATABLE, ParamInfoFlags::IS_AUTOMATABLE),
        (ParamFlags::BYPASS, ParamInfoFlags::IS_BYPASS),
        (ParamFlags::HIDDEN, ParamInfoFlags::IS_HIDDEN),
        (ParamFlags::READ_ONLY, ParamInfoFlags::IS_READONLY),
    ] {
        if info.flags.contains(ours) {
            flags |= theirs;
        }
    }
    if info.steps > 0 || info.flags.contains(ParamFlags::BYPASS) {
        flags |= ParamInfoFlags::IS_STEPPED;
    }
    flags
}

/// Applies the parameter values among `input` to the shell. Real-time safe.
pub(crate) fn apply(shell: &mut impl Shell, input: &InputEvents<'_>) {
    for event in input {
        if let Some(CoreEventSpace::ParamValue(change)) = event.as_core_event()
            && let Some(id) = change.param_id()
        {
            // An id the logic does not know (a list changed by a reload the host has not rescanned) is skipped.
            let _ = shell.set_param(id.get(), change.value());
        }
    }
}

/// Applies the parameter changes among `kept` (events no block has run yet) to the shell, in order, and
/// removes them; the other events stay for the next block. Real-time safe.
pub(crate) fn apply_kept(shell: &mut impl Shell, kept: &mut Vec<Event>) {
    kept.retain(|event| match event.body {
        EventBody::ParamChange(change) => {
            let _ = shell.set_param(change.id, change.value);
            false
        }
        _ => true,
    });
}

impl<E: Export> MainThread<'_, E> {
    fn info(&self, id: ClapId) -> Option<ParamInfo> {
        self.infos.borrow().iter().find(|info| info.id == id.get()).copied()
    }
}

impl<E: Export> PluginMainThreadParams for MainThread<'_, E> {
    fn count(&self) -> u32 {
        self.infos.borrow().len() as u32
    }

    fn get_info(&self, param_index: u32, info: &mut ParamInfoWriter) {
        let infos = self.infos.borrow();
        let Some(param) = infos.get(param_index as usize) else { return };
        let Some(id) = ClapId::from_raw(param.id) else { return };
        info.set(&ClapParamInfo {
            id,
            flags: clap_flags(param),
            cookie: Cookie::empty(),
            name: param.name.as_bytes(),
            module: b"",
            min_value: param.min,
            max_value: param.max,
            default_value: param.constrain(param.default),
        });
    }

    fn get_value(&self, param_id: ClapId) -> Option<f64> {
        let id = param_id.get();
        if let Some(value) = self.shared.mirror.get(id) {
            return Some(value);
        }
        // Only a parameter the host knows that lies beyond the mirror's first MIRRORED_PARAMS is worth the
        // shell's lock (which would make the audio thread skip a block); any other id (a stale one after a
        // reload, one the host made up) has no value.
        let beyond_mirror =
            self.shared.mirror.is_truncated() && self.infos.borrow().iter().any(|info| info.id == id);
        if !beyond_mirror {
            return None;
        }
        let shell = self.shared.lock();
        let params = shell.params();
        params.index_of(id).map(|index| params.values()[index])
    }

    fn value_to_text(
        &self,
        param_id: ClapId,
        value: f64,
        writer: &mut ParamDisplayWriter,
    ) -> std::fmt::Result {
        self.info(param_id).ok_or(std::fmt::Error)?.write_value(value, writer)
    }

    fn text_to_value(&self, param_id: ClapId, text: &CStr) -> Option<f64> {
        self.info(param_id)?.parse_value(text.to_str().ok()?)
    }

    fn flush(&self, input_parameter_changes: &InputEvents, _output: &mut OutputEvents) {
        let mut shell = self.shared.lock();
        apply(&mut *shell, input_parameter_changes);
        self.shared.mirror.publish(shell.params());
    }
}

impl<E: Export> PluginAudioProcessorParams for Processor<'_, E> {
    fn flush(&mut self, input_parameter_changes: &InputEvents, _output: &mut OutputEvents) {
        self.flush_params(input_parameter_changes);
    }
}
