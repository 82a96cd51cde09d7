//! The export macro a logic crate invokes once, and the names of the symbols it emits.

/// Names of the symbols a logic library exports; the loader looks them up by these names.
pub mod symbols {
    /// `extern "C" fn(&mut usize) -> *const u8`: the canary text (pointer and length).
    pub const CANARY: &str = "overdub_abi_canary";
    /// `fn() -> Box<dyn LogicObject>`: the vtable probe.
    pub const PROBE: &str = "overdub_vtable_probe";
    /// `fn() -> Outcome<Box<dyn LogicObject>>`: a new guarded instance of the author's logic.
    pub const CREATE: &str = "overdub_create";
    /// Every export, in the order the loader checks them.
    pub const ALL: [&str; 3] = [CANARY, PROBE, CREATE];
}

/// Signature of the [`symbols::CANARY`] export.
pub type CanaryFn = unsafe extern "C" fn(len: &mut usize) -> *const u8;
/// Signature of the [`symbols::PROBE`] export.
pub type ProbeFn = fn() -> Box<dyn crate::LogicObject>;
/// Signature of the [`symbols::CREATE`] export.
pub type CreateFn = fn() -> crate::Outcome<Box<dyn crate::LogicObject>>;

/// Makes this crate a logic library the overdub shells can load: invoke once at the crate root with the type
/// that implements [`crate::PluginLogic`]. The crate must build a `cdylib`.
///
/// ```ignore
/// overdub::export_logic!(MyDelay);
/// ```
#[macro_export]
macro_rules! export_logic {
    ($logic:ty) => {
        $crate::__export_canary!();
        $crate::__export_probe!();
        $crate::__export_create!($logic);
    };
}

/// Emits the canary export; one of the parts of [`export_logic!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __export_canary {
    () => {
        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub extern "C" fn overdub_abi_canary(len: &mut usize) -> *const u8 {
            let text = $crate::canary::canary_text();
            *len = text.len();
            text.as_ptr()
        }
    };
}

/// Emits the vtable probe export; one of the parts of [`export_logic!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __export_probe {
    () => {
        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub fn overdub_vtable_probe() -> ::std::boxed::Box<dyn $crate::LogicObject> {
            ::std::boxed::Box::new($crate::probe::Probe)
        }
    };
}

/// Emits the instance constructor export; one of the parts of [`export_logic!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __export_create {
    ($logic:ty) => {
        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub fn overdub_create() -> $crate::Outcome<::std::boxed::Box<dyn $crate::LogicObject>> {
            $crate::Guarded::<$logic>::create().map(|logic| {
                ::std::boxed::Box::new(logic) as ::std::boxed::Box<dyn $crate::LogicObject>
            })
        }
    };
}
