//! The export macro a logic crate invokes once.

/// Makes this crate a logic library the overdub shells can load: invoke once at the crate root with the type
/// that implements [`crate::PluginLogic`]. The crate must build a `cdylib` (and an `rlib` for static
/// plugins), and its `Cargo.toml` names the plugin:
///
/// ```toml
/// [package.metadata.overdub]
/// id = "com.example.my-delay"   # stable: saved state and hosts know the plugin by it
/// name = "My Delay"
/// ```
///
/// ```ignore
/// overdub::export_logic!(MyDelay);
/// ```
///
/// This also installs overdub's global allocator (the system's, counted, so the dev host can report
/// allocations your `process` makes; and serving what a panic allocates from a fixed arena, so a panic on
/// the audio thread allocates nothing there). A crate with its own `#[global_allocator]` writes
/// `export_logic!(MyDelay, allocator = own)`; its state then always moves between builds through
/// its [`crate::DspState`], because memory from one allocator instance cannot be freed by another's (and
/// its editor's state starts afresh on every build).
///
/// A logic with an editor ([`crate::Editor`]) names it: `export_logic!(MyDelay, editor = MyDelayEditor)`
/// (`allocator = own` may follow).
#[macro_export]
macro_rules! export_logic {
    ($logic:ty $(, editor = $editor:ty)?) => {
        $crate::__export_canary!();
        $crate::__export_probe!();
        $crate::__export_create!($logic, adoptable $(, $editor)?);
        #[global_allocator]
        static OVERDUB_COUNTING_ALLOCATOR: $crate::alloc_counter::CountingAllocator =
            $crate::alloc_counter::CountingAllocator;
    };
    ($logic:ty $(, editor = $editor:ty)?, allocator = own) => {
        $crate::__export_canary!();
        $crate::__export_probe!();
        $crate::__export_create!($logic, not_adoptable $(, $editor)?);
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
            $crate::abi::export::canary_export(len)
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
        pub fn overdub_vtable_probe() -> ::std::boxed::Box<dyn $crate::abi::LogicObject> {
            ::std::boxed::Box::new($crate::abi::probe::Probe)
        }
    };
}

/// Emits the logic's identity (read from the crate's `[package.metadata.overdub]`) and the constructor,
/// fingerprint, adoption and editor exports; one of the parts of [`export_logic!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __export_create {
    ($logic:ty, $adoption:ident $(, $editor:ty)?) => {
        impl $crate::Identified for $logic {
            const IDENTITY: $crate::Identity = $crate::__manifest_identity!($crate);
            $(
                fn editor() -> ::core::option::Option<$crate::abi::EditorEntry> {
                    ::core::option::Option::Some($crate::editor::editor_entry::<$editor>(
                        $crate::__adoptable!($adoption),
                    ))
                }
            )?
        }

        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub fn overdub_editor() -> ::core::option::Option<$crate::abi::EditorEntry> {
            <$logic as $crate::Identified>::editor()
        }

        #[doc(hidden)]
        #[unsafe(no_mangle)]
        pub fn overdub_create() -> $crate::abi::Outcome<::std::boxed::Box<dyn $crate::abi::LogicObject>> {
            $crate::Guarded::<$logic>::create()
                .map(|logic| ::std::boxed::Box::new(logic) as ::std::boxed::Box<dyn $crate::abi::LogicObject>)
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
        pub unsafe fn overdub_adopt(data: *mut ()) -> ::std::boxed::Box<dyn $crate::abi::LogicObject> {
            // SAFETY: the caller guarantees `data` is an exclusively owned `Guarded` of a build with the same
            // layout fingerprint, so it is a valid `Guarded<$logic>` allocated by the system allocator.
            unsafe { ::std::boxed::Box::from_raw(data.cast::<$crate::Guarded<$logic>>()) }
        }
    };
}

/// Whether the logic's memory may be adopted by another build, as a `bool`.
#[doc(hidden)]
#[macro_export]
macro_rules! __adoptable {
    (adoptable) => {
        true
    };
    (not_adoptable) => {
        false
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
