//! Counts heap allocations made on one thread, so code that must not allocate can be checked, not trusted;
//! and keeps a panic on the audio thread from allocating at all.
//!
//! Install [`CountingAllocator`] as a binary's `#[global_allocator]` (every logic library gets it from
//! `export_logic!`); [`count_allocations`] then reports how many allocations, reallocations and frees a
//! closure made on the calling thread. Other threads are not counted, and outside the closure the allocator
//! is the system's, plus one thread-local check. While a thread is panicking, what the panic runtime
//! allocates comes from a fixed arena ([`crate::panic_arena`]) and is neither counted nor taken from the
//! system: the author's allocations are what the count reports.

use crate::panic_arena;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting calls made inside [`count_allocations`].
pub struct CountingAllocator;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<u64> = const { Cell::new(0) };
}

fn note() {
    // `try_with`: never panic inside the allocator, even while the thread is being torn down.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        let _ = COUNT.try_with(|c| c.set(c.get() + 1));
    }
}

/// The arena's block for `layout` while this thread is panicking, else `None`.
fn panic_block(layout: Layout) -> Option<*mut u8> {
    if std::thread::panicking() { panic_arena::alloc(layout) } else { None }
}

// SAFETY: outside a panic every method forwards to `System` with the caller's arguments unchanged, so
// `System`'s guarantees hold; during one, blocks come from the panic arena, which hands out disjoint,
// aligned blocks of the requested size, and frees only its own (recognised by address). The bookkeeping
// touches only const-initialised thread-locals and atomics, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if let Some(block) = panic_block(layout) {
            return block;
        }
        note();
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if let Some(block) = panic_block(layout) {
            // SAFETY: the block is `layout.size()` writable bytes of the arena, claimed by this call.
            unsafe { block.write_bytes(0, layout.size()) };
            return block;
        }
        note();
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if panic_arena::owns(ptr) {
            return panic_arena::free();
        }
        note();
        // SAFETY: `ptr` is not the arena's, so it came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if panic_arena::owns(ptr) || std::thread::panicking() {
            // SAFETY: the caller upholds `realloc`'s contract, which makes `new_size` with `layout`'s
            // alignment a valid layout; the old block is copied, then freed by whoever owns it.
            unsafe {
                let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                return new;
            }
        }
        note();
        // SAFETY: as in `dealloc`; the caller upholds `realloc`'s contract for `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Runs `f` and returns its result with the number of allocator calls it made on this thread.
///
/// Only meaningful when [`CountingAllocator`] is the global allocator; otherwise the count is 0.
pub fn count_allocations<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let was_counting = COUNTING.with(|c| c.replace(true));
    let before = COUNT.with(Cell::get);
    let result = f();
    let count = COUNT.with(Cell::get) - before;
    COUNTING.with(|c| c.set(was_counting));
    (result, count)
}
