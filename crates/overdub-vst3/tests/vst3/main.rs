//! Real VST3 plugins built from the examples, loaded and driven by a test host on the `vst3` bindings. The
//! host loads Linux bundles (`Contents/<arch>-linux/<name>.so`); the macOS and Windows layouts are checked by
//! `overdub-bundle`'s own tests only.
#![cfg(target_os = "linux")]

use overdub::alloc_counter::CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

mod build;
mod editor;
mod host;
mod hot;
mod objects;
mod running;
mod session;
mod statics;
mod view;
