//! Memory for the panic runtime while a thread unwinds, so a panic on the audio thread allocates nothing.
//!
//! A panic allocates however it is caught: the standard library boxes the payload (and formats its message)
//! and the unwinder boxes the exception. [`crate::alloc_counter::CountingAllocator`] serves every allocation
//! made while the thread is panicking from this fixed arena instead of the system's allocator, and frees
//! arena memory by forgetting it; when the last block is freed the arena starts over. Panics are rare and
//! small: an arena that is full (a panic storm, a huge message) hands out system memory again.

use std::alloc::Layout;
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Bytes for the payloads and exceptions of the panics in flight at once (a few hundred bytes each).
const ARENA_BYTES: usize = 64 * 1024;

/// Largest alignment the arena serves; stricter requests go to the system.
const ARENA_ALIGN: usize = 64;

#[repr(C, align(64))]
struct Arena(UnsafeCell<[u8; ARENA_BYTES]>);

// SAFETY: the bytes are only handed out as disjoint blocks, each claimed by one compare-and-swap of `STATE`,
// so no two threads ever touch the same byte through the arena.
unsafe impl Sync for Arena {}

static ARENA: Arena = Arena(UnsafeCell::new([0; ARENA_BYTES]));

/// Blocks handed out and not freed (high half) and the offset of the first free byte (low half), changed
/// together so that starting over can never race a new block.
static STATE: AtomicU64 = AtomicU64::new(0);

fn split(state: u64) -> (u64, usize) {
    (state >> 32, (state & u64::from(u32::MAX)) as usize)
}

/// A block of the arena for `layout`, or `None` when it does not fit (the caller uses the system's memory).
pub(crate) fn alloc(layout: Layout) -> Option<*mut u8> {
    if layout.align() > ARENA_ALIGN || layout.size() > ARENA_BYTES {
        return None;
    }
    let base = ARENA.0.get().cast::<u8>();
    let mut state = STATE.load(Ordering::Relaxed);
    loop {
        let (blocks, used) = split(state);
        let start = used.next_multiple_of(layout.align());
        let end = start.checked_add(layout.size().max(1))?;
        if end > ARENA_BYTES {
            return None;
        }
        let next = ((blocks + 1) << 32) | end as u64;
        match STATE.compare_exchange_weak(state, next, Ordering::AcqRel, Ordering::Relaxed) {
            // SAFETY: `start..end` lies inside the arena (checked above) and was claimed by this swap alone.
            Ok(_) => return Some(unsafe { base.add(start) }),
            Err(current) => state = current,
        }
    }
}

/// Whether `ptr` is a block of the arena.
pub(crate) fn owns(ptr: *mut u8) -> bool {
    let base = ARENA.0.get().cast::<u8>() as usize;
    (base..base + ARENA_BYTES).contains(&(ptr as usize))
}

/// Frees a block of the arena: forgotten, and the whole arena reused once no block is out.
pub(crate) fn free() {
    let mut state = STATE.load(Ordering::Relaxed);
    loop {
        let (blocks, used) = split(state);
        let next = match blocks.saturating_sub(1) {
            0 => 0,
            left => (left << 32) | used as u64,
        };
        match STATE.compare_exchange_weak(state, next, Ordering::AcqRel, Ordering::Relaxed) {
            Ok(_) => return,
            Err(current) => state = current,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_disjoint_and_the_arena_starts_over_when_all_are_freed() {
        let a = alloc(Layout::from_size_align(10, 8).unwrap()).unwrap();
        let b = alloc(Layout::from_size_align(100, 64).unwrap()).unwrap();
        assert!(owns(a) && owns(b));
        assert_eq!(b as usize % 64, 0);
        assert!(b as usize >= a as usize + 10);
        free();
        free();
        assert_eq!(split(STATE.load(Ordering::Relaxed)), (0, 0));
        assert!(alloc(Layout::from_size_align(ARENA_BYTES + 1, 1).unwrap()).is_none(), "too large");
        assert!(!owns(std::ptr::null_mut()));
    }
}
