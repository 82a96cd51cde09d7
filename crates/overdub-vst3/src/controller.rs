//! The edit-controller side of the one plugin class: the logic's parameter list in normalised terms, the
//! logic's own text for values, and edits, all on the shell's control (the very values the processor runs
//! with, shared lock-free). The controller has no state of its own: the component's state is the project's.

use crate::export::Export;
use crate::params;
use crate::plugin::Vst3Plugin;
use crate::strings::{read_utf16, write_utf16};
use crate::view::EditorView;
use overdub_abi::ParamInfo;
use overdub_shell::Shell;
use std::ffi::CStr;
use std::sync::Arc;
use vst3::ComRef;
use vst3::Steinberg::Vst::{
    IComponentHandler, IEditControllerTrait, ParamID, ParamValue, ParameterInfo, String128, TChar, ViewType,
};
use vst3::Steinberg::{FIDString, IBStream, IPlugView, kInvalidArgument, kResultFalse, kResultOk, tresult};

/// Longest text a host may hand for a value (a `String128`).
const TEXT_UNITS: usize = 128;

impl<E: Export> Vst3Plugin<E> {
    fn param(&self, id: ParamID) -> Option<ParamInfo> {
        self.main.with_shell(|shell| shell.params().info(id).copied())
    }
}

impl<E: Export> IEditControllerTrait for Vst3Plugin<E> {
    unsafe fn setComponentState(&self, state: *mut IBStream) -> tresult {
        self.set_component_state(state)
    }

    unsafe fn setState(&self, _state: *mut IBStream) -> tresult {
        kResultOk
    }

    unsafe fn getState(&self, _state: *mut IBStream) -> tresult {
        kResultOk
    }

    unsafe fn getParameterCount(&self) -> i32 {
        self.main.with_shell(|shell| i32::try_from(shell.params().infos().len()).unwrap_or(i32::MAX))
    }

    unsafe fn getParameterInfo(&self, index: i32, info: *mut ParameterInfo) -> tresult {
        // SAFETY: the host passes a writable parameter info.
        let Some(info) = (unsafe { info.as_mut() }) else { return kInvalidArgument };
        let param = self.main.with_shell(|shell| {
            usize::try_from(index).ok().and_then(|index| shell.params().infos().get(index).copied())
        });
        let Some(param) = param else { return kInvalidArgument };
        params::describe(&param, info);
        kResultOk
    }

    unsafe fn getParamStringByValue(
        &self,
        id: ParamID,
        normalized: ParamValue,
        text: *mut String128,
    ) -> tresult {
        // SAFETY: the host passes a writable `String128`.
        let (Some(param), Some(text)) = (self.param(id), unsafe { text.as_mut() }) else {
            return kInvalidArgument;
        };
        let mut shown = String::new();
        if param.write_value(param.denormalize(normalized), &mut shown).is_err() {
            return kResultFalse;
        }
        write_utf16(&shown, text);
        kResultOk
    }

    unsafe fn getParamValueByString(
        &self,
        id: ParamID,
        text: *mut TChar,
        normalized: *mut ParamValue,
    ) -> tresult {
        let Some(param) = self.param(id) else { return kInvalidArgument };
        // SAFETY: the host passes a NUL-terminated string of at most a `String128`.
        let typed = unsafe { read_utf16(text, TEXT_UNITS) };
        // SAFETY: the host passes a writable value.
        match (typed.and_then(|typed| param.parse_value(&typed)), unsafe { normalized.as_mut() }) {
            (Some(value), Some(normalized)) => {
                *normalized = param.normalize(value);
                kResultOk
            }
            _ => kResultFalse,
        }
    }

    unsafe fn normalizedParamToPlain(&self, id: ParamID, normalized: ParamValue) -> ParamValue {
        self.param(id).map_or(0.0, |param| param.denormalize(normalized))
    }

    unsafe fn plainParamToNormalized(&self, id: ParamID, plain: ParamValue) -> ParamValue {
        self.param(id).map_or(0.0, |param| param.normalize(plain))
    }

    unsafe fn getParamNormalized(&self, id: ParamID) -> ParamValue {
        self.main.with_shell(|shell| {
            let params = shell.params();
            params.info(id).zip(params.value_of(id)).map_or(0.0, |(info, value)| info.normalize(value))
        })
    }

    /// A value the host sets on the controller (a user's edit, or the host bringing the controller in step
    /// with its own record): set on the control, which the processor takes at its next block, so the
    /// controller and the processor never disagree.
    unsafe fn setParamNormalized(&self, id: ParamID, normalized: ParamValue) -> tresult {
        let stored = self.main.with_shell(|shell| {
            let value = shell.params().info(id).map(|info| info.denormalize(normalized))?;
            shell.set_param(id, value).ok()
        });
        if stored.is_some() { kResultOk } else { kInvalidArgument }
    }

    unsafe fn setComponentHandler(&self, handler: *mut IComponentHandler) -> tresult {
        // SAFETY: the host passes a null or valid handler; keeping it takes a reference of our own.
        let handler = unsafe { ComRef::from_raw(handler) }.map(|handler| handler.to_com_ptr());
        self.main.set_handler(handler);
        kResultOk
    }

    /// The editor's view (`"editor"`, the only view VST3 names), when the logic has an editor or may get
    /// one (a hot plugin); null otherwise, so the host shows its own parameter editor.
    unsafe fn createView(&self, name: FIDString) -> *mut IPlugView {
        // SAFETY: a non-null view name is a NUL-terminated string, as is the SDK's constant.
        let editor = !name.is_null() && unsafe { CStr::from_ptr(name) == CStr::from_ptr(ViewType::kEditor) };
        if !editor || !self.main.has_editor() {
            return std::ptr::null_mut();
        }
        EditorView::create(Arc::clone(&self.main)).into_raw()
    }
}
