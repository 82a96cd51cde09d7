//! VST3 plugins from overdub logic: a native wrapper on the `vst3` crate's bindings (generated from
//! Steinberg's headers and shipped with the crate, so building a plugin needs no SDK, no C++ compiler and no
//! system header).
//!
//! One plugin type, [`Vst3Plugin`], is written against the [`overdub_shell::Shell`] interface, so the same
//! wrapper drives a **static** shell (the logic compiled in; release builds) or a **hot** shell (the logic
//! library loaded, watched and swapped on every rebuild; the `hot` feature), exactly as the CLAP wrapper does.
//! A plugin crate picks one with its own `static` / `hot` cargo features, has a one-line `build.rs`
//! (`overdub_build::vst3_wrapper()`, with `overdub-build` as its build dependency) and invokes
//! [`export_vst3!`] once:
//!
//! ```text
//! overdub_vst3::export_vst3!(gain::Gain);
//! ```
//!
//! The plugin's description comes from the logic crate's `[package.metadata.overdub]`, as for CLAP; its VST3
//! class id is derived from the plugin's id (a hot build's from the id marked `.hot`, so both can be
//! installed). A hot build loads the library named by `OVERDUB_LOGIC`, or else the path the build script
//! recorded (the logic's dev build when `overdub bundle --format vst3` built the plugin).
//!
//! What a host gets: one class that is component, audio processor and edit controller at once; a main audio
//! bus per direction the layout has (in-place capable), an event input bus for notes when the logic takes
//! them (note on/off with ids, poly pressure); 32-bit processing; every parameter with sample-accurate
//! automation, the logic's text and flags (a logic's bypass parameter is the host's bypass switch); state as
//! the shell's versioned container (the controller's values are the component's, so a restored project
//! never shows or sends back defaults); latency and tail; on Linux the logic's editor as an X11 `IPlugView`
//! (see `view`), reloading with the logic. Reload consequences follow VST3's rules (see
//! `main_thread`), and reports go to standard error (or the file [`LOG_ENV`] names).
//!
//! Threading, as VST3 assigns it: the shell's control lives behind the main thread's lock, its processor
//! behind one the audio thread only tries; they share only lock-free structures, so a state save, a
//! parameter query or a rescan on the main thread never waits for or silences the audio thread.

mod controller;
mod description;
mod enums;
mod error;
mod events;
mod export;
mod factory;
mod frames;
mod main_thread;
mod notices;
mod params;
mod plugin;
mod processor;
#[cfg(target_os = "linux")]
mod run_loop;
mod stream;
mod strings;
mod view;

#[cfg(feature = "hot")]
pub mod hot;

pub use error::Vst3Error;
pub use export::Export;
pub use factory::Factory;
pub use notices::{LOG_ENV, Notices};
#[doc(hidden)]
pub use overdub_shell::StaticShell;
pub use overdub_shell::{AudioLayout, Description};
pub use plugin::Vst3Plugin;

#[doc(hidden)]
pub mod __export {
    pub use overdub::alloc_counter::CountingAllocator;
}

/// A static shell for a compiled-in logic, as [`export_vst3!`] creates it.
#[doc(hidden)]
pub fn static_shell<T: overdub::Identified>() -> Result<StaticShell<T>, Vst3Error> {
    Ok(StaticShell::new()?)
}

/// Exports `GetPluginFactory` (and the platform's module entry points) of a VST3 plugin for this crate: static
/// when the crate's `static` feature is on (`logic` compiled in), hot when its `hot` feature is on (the logic
/// library loaded at run time; the logic crate must not be linked then, and the path is not resolved). The
/// description is the one the crate's build script wrote from the logic's manifest. See the
/// [crate docs](crate).
#[macro_export]
macro_rules! export_vst3 {
    ($logic:path $(,)?) => {
        $crate::export_vst3!($logic, description: {
            use $crate::{AudioLayout, Description};
            ::core::include!(::core::concat!(::core::env!("OUT_DIR"), "/overdub_plugin.rs"))
        });
    };
    ($logic:path, description: $description:expr $(,)?) => {
        #[cfg(all(feature = "static", feature = "hot"))]
        compile_error!("enable one of the `static` and `hot` features, not both");
        #[cfg(not(any(feature = "static", feature = "hot")))]
        compile_error!("enable the `static` or the `hot` feature");

        /// This crate's plugin, as exported to VST3 hosts.
        pub struct OverdubVst3Export;

        #[cfg(all(feature = "static", not(feature = "hot")))]
        impl $crate::Export for OverdubVst3Export {
            type Shell = $crate::StaticShell<$logic>;
            const DESCRIPTION: $crate::Description = $description;
            const HOT: bool = false;
            fn create_shell(
                _notices: &::std::sync::Arc<$crate::Notices>,
            ) -> ::core::result::Result<Self::Shell, $crate::Vst3Error> {
                $crate::static_shell()
            }
        }

        #[cfg(feature = "hot")]
        impl $crate::Export for OverdubVst3Export {
            type Shell = $crate::hot::HotShell;
            const DESCRIPTION: $crate::Description = $description;
            const HOT: bool = true;
            fn create_shell(
                notices: &::std::sync::Arc<$crate::Notices>,
            ) -> ::core::result::Result<Self::Shell, $crate::Vst3Error> {
                $crate::hot::watch($crate::hot::library_path(::core::env!("OVERDUB_LOGIC_PATH")), notices)
            }
        }

        /// The entry point VST3 hosts look for: the plugin's factory.
        #[unsafe(no_mangle)]
        pub extern "system" fn GetPluginFactory() -> *mut ::core::ffi::c_void {
            $crate::Factory::<OverdubVst3Export>::into_raw()
        }

        /// Linux hosts call this once after loading the module.
        #[cfg(target_os = "linux")]
        #[unsafe(no_mangle)]
        pub extern "system" fn ModuleEntry(_library: *mut ::core::ffi::c_void) -> bool {
            true
        }

        /// Linux hosts call this once before unloading the module.
        #[cfg(target_os = "linux")]
        #[unsafe(no_mangle)]
        pub extern "system" fn ModuleExit() -> bool {
            true
        }

        /// macOS hosts call this once after loading the bundle.
        #[cfg(target_os = "macos")]
        #[unsafe(no_mangle)]
        pub extern "system" fn bundleEntry(_bundle: *mut ::core::ffi::c_void) -> bool {
            true
        }

        /// macOS hosts call this once before unloading the bundle.
        #[cfg(target_os = "macos")]
        #[unsafe(no_mangle)]
        pub extern "system" fn bundleExit() -> bool {
            true
        }

        /// Windows hosts call this once after loading the DLL.
        #[cfg(windows)]
        #[unsafe(no_mangle)]
        pub extern "system" fn InitDll() -> bool {
            true
        }

        /// Windows hosts call this once before unloading the DLL.
        #[cfg(windows)]
        #[unsafe(no_mangle)]
        pub extern "system" fn ExitDll() -> bool {
            true
        }

        /// overdub's allocator for the whole plugin: the system's, counted on the audio thread (reported),
        /// with a panic's memory served from a fixed arena. A static build has it already, from the logic
        /// crate's `export_logic!`.
        #[cfg(feature = "hot")]
        #[global_allocator]
        static OVERDUB_PLUGIN_ALLOCATOR: $crate::__export::CountingAllocator = $crate::__export::CountingAllocator;
    };
}
