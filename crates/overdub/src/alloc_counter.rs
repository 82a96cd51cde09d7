//! Counts heap allocations made on one thread, so code that must not allocate can be checked, not trusted.
//!
//! Install [`CountingAllocator`] as a binary's `#[global_allocator]`; [`count_allocations`] then reports how
//! many allocations, reallocations and frees a closure made on the calling thread. Other threads are not
//! counted, and outside the closure the allocator is the system's, plus one thread-local check.

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

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so `System`'s guarantees
// hold; the added bookkeeping touches only const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: as in `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note();
        // SAFETY: `ptr` came from this allocator, i.e. from `System`, with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
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
