//! The plugin factory a host gets from `GetPluginFactory`: one class (the plugin, which is component and
//! controller at once), listed with the sub-categories, vendor and version hosts sort by, and instances of it.

use crate::description::{class_id, subcategories};
use crate::export::Export;
use crate::plugin::Vst3Plugin;
use crate::strings::{write_utf8, write_utf16};
use std::ffi::{CStr, c_void};
use std::marker::PhantomData;
use std::sync::Mutex;
use vst3::Steinberg::PClassInfo_::ClassCardinality_::kManyInstances;
use vst3::Steinberg::PFactoryInfo_::FactoryFlags_::kUnicode;
use vst3::Steinberg::Vst::SDKVersionString;
use vst3::Steinberg::{
    FIDString, FUnknown, IPluginFactory, IPluginFactory2Trait, IPluginFactory3, IPluginFactory3Trait,
    IPluginFactoryTrait, PClassInfo, PClassInfo2, PClassInfoW, PFactoryInfo, TUID, kInvalidArgument,
    kResultFalse, kResultOk, tresult,
};
use vst3::{Class, ComPtr, ComRef, ComWrapper};

/// The VST3 category of an audio processor component (the SDK's `kVstAudioEffectClass`).
const AUDIO_MODULE_CLASS: &str = "Audio Module Class";

/// The factory of the plugin `E`.
pub struct Factory<E: Export> {
    /// What the host told the factory about itself (`IPluginFactory3::setHostContext`), for new instances.
    host_context: Mutex<Option<ComPtr<FUnknown>>>,
    _plugin: PhantomData<fn() -> E>,
}

impl<E: Export> Class for Factory<E> {
    type Interfaces = (IPluginFactory3,);
}

impl<E: Export> Factory<E> {
    /// A new factory, as the raw pointer `GetPluginFactory` returns (its one reference the host's).
    pub fn into_raw() -> *mut c_void {
        let factory = ComWrapper::new(Self { host_context: Mutex::new(None), _plugin: PhantomData });
        factory
            .to_com_ptr::<IPluginFactory>()
            .expect("the factory implements IPluginFactory")
            .into_raw()
            .cast()
    }

    fn sdk_version() -> &'static str {
        // SAFETY: the bindings' constant is a NUL-terminated string literal.
        unsafe { CStr::from_ptr(SDKVersionString) }.to_str().unwrap_or("VST 3")
    }
}

impl<E: Export> IPluginFactoryTrait for Factory<E> {
    unsafe fn getFactoryInfo(&self, info: *mut PFactoryInfo) -> tresult {
        // SAFETY: the host passes a writable factory info.
        let Some(info) = (unsafe { info.as_mut() }) else { return kInvalidArgument };
        write_utf8(E::DESCRIPTION.vendor, &mut info.vendor);
        write_utf8("", &mut info.url);
        write_utf8("", &mut info.email);
        info.flags = crate::enums::signed(kUnicode);
        kResultOk
    }

    unsafe fn countClasses(&self) -> i32 {
        1
    }

    unsafe fn getClassInfo(&self, index: i32, info: *mut PClassInfo) -> tresult {
        // SAFETY: the host passes a writable class info.
        let Some(info) = (unsafe { info.as_mut() }) else { return kInvalidArgument };
        if index != 0 {
            return kInvalidArgument;
        }
        info.cid = class_id(&E::DESCRIPTION, E::HOT);
        info.cardinality = crate::enums::signed(kManyInstances);
        write_utf8(AUDIO_MODULE_CLASS, &mut info.category);
        write_utf8(&E::DESCRIPTION.listed(E::HOT).1, &mut info.name);
        kResultOk
    }

    unsafe fn createInstance(&self, cid: FIDString, iid: FIDString, obj: *mut *mut c_void) -> tresult {
        if cid.is_null() || iid.is_null() || obj.is_null() {
            return kInvalidArgument;
        }
        // SAFETY: the host passes a class id of 16 bytes and a writable out-pointer.
        unsafe { *obj = std::ptr::null_mut() };
        // SAFETY: as above, the class id is 16 readable bytes.
        if unsafe { *cid.cast::<TUID>() } != class_id(&E::DESCRIPTION, E::HOT) {
            return kResultFalse;
        }
        let context = self.host_context.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        let plugin = match Vst3Plugin::<E>::new(context) {
            Ok(plugin) => ComWrapper::new(plugin),
            Err(error) => {
                eprintln!("overdub: cannot create the plugin: {error}");
                return kResultFalse;
            }
        };
        let unknown = plugin.to_com_ptr::<FUnknown>().expect("the plugin is a COM object");
        // SAFETY: `unknown` is a live object of ours; its `queryInterface` writes a new reference of the
        // interface `iid` names (16 bytes, as the host promises) to `obj`, or null.
        unsafe { ((*(*unknown.as_ptr()).vtbl).queryInterface)(unknown.as_ptr(), iid.cast::<TUID>(), obj) }
    }
}

/// Fills a `PClassInfo2` or a `PClassInfoW`, which differ only in the width of some of their strings:
/// `wide` writes those.
macro_rules! class_info {
    ($info:expr, $wide:path) => {{
        let info = $info;
        let description = E::DESCRIPTION;
        info.cid = class_id(&description, E::HOT);
        info.cardinality = crate::enums::signed(kManyInstances);
        write_utf8(AUDIO_MODULE_CLASS, &mut info.category);
        $wide(&description.listed(E::HOT).1, &mut info.name);
        info.classFlags = 0;
        write_utf8(&subcategories(&description), &mut info.subCategories);
        $wide(description.vendor, &mut info.vendor);
        $wide(description.version, &mut info.version);
        $wide(Self::sdk_version(), &mut info.sdkVersion);
    }};
}

impl<E: Export> IPluginFactory2Trait for Factory<E> {
    unsafe fn getClassInfo2(&self, index: i32, info: *mut PClassInfo2) -> tresult {
        // SAFETY: the host passes a writable class info.
        let Some(info) = (unsafe { info.as_mut() }) else { return kInvalidArgument };
        if index != 0 {
            return kInvalidArgument;
        }
        class_info!(info, write_utf8);
        kResultOk
    }
}

impl<E: Export> IPluginFactory3Trait for Factory<E> {
    unsafe fn getClassInfoUnicode(&self, index: i32, info: *mut PClassInfoW) -> tresult {
        // SAFETY: the host passes a writable class info.
        let Some(info) = (unsafe { info.as_mut() }) else { return kInvalidArgument };
        if index != 0 {
            return kInvalidArgument;
        }
        class_info!(info, write_utf16);
        kResultOk
    }

    unsafe fn setHostContext(&self, context: *mut FUnknown) -> tresult {
        // SAFETY: the host passes a null or valid context; keeping it takes a reference of our own.
        let context = unsafe { ComRef::from_raw(context) }.map(|context| context.to_com_ptr());
        *self.host_context.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = context;
        kResultOk
    }
}
