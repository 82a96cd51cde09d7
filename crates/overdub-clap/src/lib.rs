//! CLAP plugins from overdub logic, on `clack-plugin`.
//!
//! One plugin type, [`OverdubPlugin`], is written against the [`overdub_shell::Shell`] interface, so the same
//! wrapper drives a **static** shell (the logic compiled in; release builds) or a **hot** shell (the logic
//! library loaded, watched and swapped on every rebuild; the `hot` feature). A plugin crate picks one with
//! its own `static` / `hot` cargo features, has a one-line `build.rs` (`overdub_build::clap_wrapper()`,
//! with `overdub-build` as its build dependency) and invokes [`export_clap!`] once:
//!
//! ```text
//! overdub_clap::export_clap!(gain::Gain);
//! ```
//!
//! The plugin's description (id, name, vendor, features, audio layout, note input) comes from the logic
//! crate's `[package.metadata.overdub]`, which the build script reads without compiling the logic: a hot
//! build knows what it is even before the logic library exists. It loads the library named by the
//! `OVERDUB_LOGIC` environment variable, or else the path the build script recorded in `OVERDUB_LOGIC_PATH`
//! (the logic crate's cdylib in the same target directory: its dev build when `overdub bundle` built the
//! plugin, in release).
//!
//! Extensions: audio-ports, note-ports (CLAP and MIDI dialects), params (with sample-accurate automation,
//! text conversion and flushes), state, latency and tail; reload and fault messages go to the host's log.
//! gui (X11, embedded or floating) with timer-support: the logic's editor, drawn on the host's main thread
//! at the host's timer; a hot plugin's open window switches to each new build's editor code. The editor's
//! parameter edits reach the host as gesture-begin, value and gesture-end output events of the next
//! `process` or flush (the plugin asks for one with `request_flush`). Hosts without timer-support get a
//! window that draws only when shown; macOS and Windows windows are not written yet.
//!
//! Threading, as CLAP assigns it: the shell's control lives in the main-thread data and its processor in the
//! audio processor; they share only lock-free structures (parameter values, latency, fault reports, the
//! tail), so a state save, a parameter query or a rescan on the main thread never waits for or silences the
//! audio thread, and the audio thread never waits for the main thread. A hot shell's worker reaches the main
//! thread through the host's `request_callback`.

mod description;
mod error;
mod events;
mod gestures;
mod gui;
mod main_thread;
mod notices;
mod params;
mod plugin;
mod ports;
mod processor;
mod state;

#[cfg(feature = "hot")]
pub mod hot;

pub use error::ClapError;
pub use main_thread::MainThread;
pub use notices::{Notice, Notices};
#[doc(hidden)]
pub use overdub_shell::StaticShell;
pub use overdub_shell::{AudioLayout, Description};
pub use plugin::{Export, OverdubPlugin, PluginShell, Shared};
pub use processor::Processor;

/// CLAP feature tags for [`Description::features`].
pub mod features {
    pub use clack_plugin::plugin::features::*;
}

#[doc(hidden)]
pub mod __export {
    pub use clack_plugin::clack_export_entry;
    pub use clack_plugin::entry::SinglePluginEntry;
    pub use overdub::alloc_counter::CountingAllocator;
}

/// A static shell for a compiled-in logic, as [`export_clap!`] creates it.
#[doc(hidden)]
pub fn static_shell<T: overdub::Identified>() -> Result<StaticShell<T>, ClapError> {
    Ok(StaticShell::new()?)
}

/// Exports the `clap_entry` of a CLAP plugin for this crate: static when the crate's `static` feature is on
/// (`logic` compiled in), hot when its `hot` feature is on (the logic library loaded at run time; the logic
/// crate must not be linked then, and the path is not resolved). The description is the one the crate's
/// build script wrote from the logic's manifest. See the [crate docs](crate).
#[macro_export]
macro_rules! export_clap {
    ($logic:path $(,)?) => {
        $crate::export_clap!($logic, description: {
            use $crate::{AudioLayout, Description};
            ::core::include!(::core::concat!(::core::env!("OUT_DIR"), "/overdub_plugin.rs"))
        });
    };
    ($logic:path, description: $description:expr $(,)?) => {
        #[cfg(all(feature = "static", feature = "hot"))]
        compile_error!("enable one of the `static` and `hot` features, not both");
        #[cfg(not(any(feature = "static", feature = "hot")))]
        compile_error!("enable the `static` or the `hot` feature");

        /// This crate's plugin, as exported to CLAP hosts.
        pub struct OverdubExport;

        // SAFETY: a static shell never sees the notices, so no clone of them exists.
        #[cfg(all(feature = "static", not(feature = "hot")))]
        unsafe impl $crate::Export for OverdubExport {
            type Shell = $crate::StaticShell<$logic>;
            const DESCRIPTION: $crate::Description = $description;
            const HOT: bool = false;
            fn create_shell(
                _notices: &::std::sync::Arc<$crate::Notices>,
            ) -> ::core::result::Result<Self::Shell, $crate::ClapError> {
                $crate::static_shell()
            }
        }

        // SAFETY: the hot shell's only clone of the notices is in the wake-up callback it gives its worker,
        // which the shell withdraws (under the lock the worker calls it under) when it is dropped; a failed
        // `watch` has dropped it.
        #[cfg(feature = "hot")]
        unsafe impl $crate::Export for OverdubExport {
            type Shell = $crate::hot::HotPluginShell;
            const DESCRIPTION: $crate::Description = $description;
            const HOT: bool = true;
            fn create_shell(
                notices: &::std::sync::Arc<$crate::Notices>,
            ) -> ::core::result::Result<Self::Shell, $crate::ClapError> {
                $crate::hot::HotPluginShell::watch(
                    $crate::hot::library_path(::core::env!("OVERDUB_LOGIC_PATH")),
                    notices,
                )
            }
        }

        $crate::__export::clack_export_entry!(
            $crate::__export::SinglePluginEntry<$crate::OverdubPlugin<OverdubExport>>
        );

        /// overdub's allocator for the whole plugin: the system's, counted on the audio thread (reported to
        /// the host's log), with a panic's memory served from a fixed arena. A static build has it already,
        /// from the logic crate's `export_logic!`.
        #[cfg(feature = "hot")]
        #[global_allocator]
        static OVERDUB_PLUGIN_ALLOCATOR: $crate::__export::CountingAllocator = $crate::__export::CountingAllocator;
    };
}
