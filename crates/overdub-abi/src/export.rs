//! The export macro a logic crate invokes once, and the names of the symbols it emits.

/// Names of the symbols a logic library exports; the loader looks them up by these names.
pub mod symbols {
    /// `extern "C" fn(&mut usize) -> *const u8`: the canary text (pointer and length).
    pub const CANARY: &str = "overdub_abi_canary";
    /// `fn() -> Box<dyn LogicObject>`: the vtable probe.
    pub const PROBE: &str = "overdub_vtable_probe";
    /// `fn() -> Outcome<Box<dyn LogicObject>>`: a new guarded instance of the author's logic.
    pub const CREATE: &str = "overdub_create";
    /// `fn() -> u64`: the state layout fingerprint, or 0 when instances must never be adopted.
    pub const FINGERPRINT: &str = "overdub_state_fingerprint";
    /// `unsafe fn(*mut ()) -> Box<dyn LogicObject>`: takes over an instance of an equal-fingerprint build.
    pub const ADOPT: &str = "overdub_adopt";
    /// Every export, in the order the loader checks them.
    pub const ALL: [&str; 5] = [CANARY, PROBE, CREATE, FINGERPRINT, ADOPT];
}

/// Signature of the [`symbols::CANARY`] export.
pub type CanaryFn = unsafe extern "C" fn(len: &mut usize) -> *const u8;
/// Signature of the [`symbols::PROBE`] export.
pub type ProbeFn = fn() -> Box<dyn crate::LogicObject>;
/// Signature of the [`symbols::CREATE`] export.
pub type CreateFn = fn() -> crate::Outcome<Box<dyn crate::LogicObject>>;
/// Signature of the [`symbols::FINGERPRINT`] export.
pub type FingerprintFn = fn() -> u64;
/// Signature of the [`symbols::ADOPT`] export.
///
/// # Safety
/// `data` is the data pointer of a `Box<dyn LogicObject>` created by a library whose fingerprint export
/// returned the same non-zero value as this library's, and nothing else owns that box any more.
pub type AdoptFn = unsafe fn(data: *mut ()) -> Box<dyn crate::LogicObject>;

/// Makes this crate a logic library the overdub shells can load: invoke once at the crate root with the type
/// that implements [`crate::PluginLogic`]. The crate must build a `cdylib`.
///
/// ```ignore
/// overdub::export_logic!(MyDelay);
/// ```
///
/// In debug builds this also installs a counting global allocator (the system allocator, counted), so the
/// dev host can report allocations your `process` makes. A crate with its own `#[global_allocator]` writes
/// `export_logic!(MyDelay, allocator = own)`; its state then always moves between builds through
/// `save_state`/`load_state`, because memory from one allocator instance cannot be freed by another's.
#[macro_export]
macro_rules! export_logic {
    ($logic:ty) => {
        $crate::__export_canary!();
        $crate::__export_probe!();
        $crate::__export_create!($logic, adoptable);
        #[cfg(debug_assertions)]
        #[global_allocator]
        static OVERDUB_COUNTING_ALLOCATOR: $crate::alloc_counter::CountingAllocator =
            $crate::alloc_counter::CountingAllocator;
    };
    ($logic:ty, allocator = own) => {
        $crate::__export_canary!();
        $crate::__export_probe!();
        $crate::__export_create!($logic, not_adoptable);
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

/// Emits the constructor, fingerprint and adoption exports; one of the parts of [`export_logic!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __export_create {
    ($logic:ty, $adoption:ident) => {
        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub fn overdub_create() -> $crate::Outcome<::std::boxed::Box<dyn $crate::LogicObject>> {
            $crate::Guarded::<$logic>::create()
                .map(|logic| ::std::boxed::Box::new(logic) as ::std::boxed::Box<dyn $crate::LogicObject>)
        }

        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub fn overdub_state_fingerprint() -> u64 {
            $crate::__adoption_fingerprint!($adoption, $logic)
        }

        /// # Safety
        /// As for `overdub_abi::export::AdoptFn`: the loader only passes an instance of an
        /// equal-fingerprint build.
        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub unsafe fn overdub_adopt(data: *mut ()) -> ::std::boxed::Box<dyn $crate::LogicObject> {
            // SAFETY: the caller guarantees `data` is an exclusively owned `Guarded` of a build with the same
            // layout fingerprint, so it is a valid `Guarded<$logic>` allocated by the system allocator.
            unsafe { ::std::boxed::Box::from_raw(data.cast::<$crate::Guarded<$logic>>()) }
        }
    };
}

/// The fingerprint export's value: the layout fingerprint, or 0 when the author's allocator forbids adoption.
#[doc(hidden)]
#[macro_export]
macro_rules! __adoption_fingerprint {
    (adoptable, $logic:ty) => {
        $crate::Guarded::<$logic>::fingerprint()
    };
    (not_adoptable, $logic:ty) => {
        0
    };
}
