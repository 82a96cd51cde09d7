//! The loader against real logic libraries built from `fixtures/`.

use overdub::alloc_counter::CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

mod common;
mod errors;
mod panics;
mod pipeline;
mod player;
mod quiet_panics;
mod reload;
mod writes;
