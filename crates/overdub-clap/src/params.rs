//! The params extension: the logic's parameter list, values the control shares lock-free with the processor,
//! text conversion with the logic's own formatting, and flushes on either thread.

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
use overdub_abi::{ParamFlags, ParamInfo};
use overdub_shell::{Shell, ShellProcessor};
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

/// Applies the parameter values among `input` to the processor. Real-time safe.
pub(crate) fn apply(processor: &mut impl ShellProcessor, input: &InputEvents<'_>) {
    for event in input {
        if let Some(CoreEventSpace::ParamValue(change)) = event.as_core_event()
            && let Some(id) = change.param_id()
        {
            // An id the logic does not know (a list changed by a reload the host has not rescanned) is skipped.
            let _ = processor.set_param(id.get(), change.value());
        }
    }
}

impl<E: Export> MainThread<'_, E> {
    fn info(&self, id: ClapId) -> Option<ParamInfo> {
        self.shell.borrow().params().info(id.get()).copied()
    }
}

impl<E: Export> PluginMainThreadParams for MainThread<'_, E> {
    fn count(&self) -> u32 {
        self.shell.borrow().params().infos().len() as u32
    }

    fn get_info(&self, param_index: u32, info: &mut ParamInfoWriter) {
        let shell = self.shell.borrow();
        let Some(param) = shell.params().infos().get(param_index as usize) else { return };
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
        self.shell.borrow().params().value_of(param_id.get())
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

    /// A flush while the plugin is not processing: the editor's gestures go to the host, and the host's
    /// values are set on the control, which hands them to the processor (or keeps them in the engine while
    /// inactive).
    fn flush(&self, input_parameter_changes: &InputEvents, output: &mut OutputEvents) {
        if let Some(edits) = self.edit_receiver.borrow_mut().as_mut() {
            crate::gestures::write(edits, output);
        }
        let mut shell = self.shell.borrow_mut();
        for event in input_parameter_changes {
            if let Some(CoreEventSpace::ParamValue(change)) = event.as_core_event()
                && let Some(id) = change.param_id()
            {
                let _ = shell.set_param(id.get(), change.value());
            }
        }
    }
}

impl<E: Export> PluginAudioProcessorParams for Processor<'_, E> {
    fn flush(&mut self, input_parameter_changes: &InputEvents, output: &mut OutputEvents) {
        self.flush_params(input_parameter_changes, output);
    }
}
