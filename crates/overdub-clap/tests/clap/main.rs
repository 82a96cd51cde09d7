//! Real CLAP plugins built from the examples, loaded and driven by a clack-host test host.

use overdub::alloc_counter::CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

mod build;
mod daw;
mod editor;
mod host;
mod hot;
mod lifecycle;
mod statics;
mod writes;
