//! A one-value mailbox between two threads, wait-free on both sides.

use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// Holds at most one boxed value; putting and taking are single atomic swaps, so the audio thread can use
/// it without waiting, and ownership of each box passes to exactly one side.
pub struct Slot<T> {
    value: AtomicPtr<T>,
}

impl<T> Slot<T> {
    /// An empty slot.
    pub const fn new() -> Self {
        Self { value: AtomicPtr::new(ptr::null_mut()) }
    }

    /// Puts `value` in, returning the value it displaced (one the other side never took).
    pub fn put(&self, value: Box<T>) -> Option<Box<T>> {
        let previous = self.value.swap(Box::into_raw(value), Ordering::AcqRel);
        // SAFETY: every non-null pointer in the slot came from `Box::into_raw`, and the swap made this call its
        // only owner.
        (!previous.is_null()).then(|| unsafe { Box::from_raw(previous) })
    }

    /// Takes the value out, if any.
    pub fn take(&self) -> Option<Box<T>> {
        let previous = self.value.swap(ptr::null_mut(), Ordering::AcqRel);
        // SAFETY: as in `put`.
        (!previous.is_null()).then(|| unsafe { Box::from_raw(previous) })
    }

    /// Whether a value waits in the slot.
    pub fn is_full(&self) -> bool {
        !self.value.load(Ordering::Acquire).is_null()
    }
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for Slot<T> {
    fn drop(&mut self) {
        drop(self.take());
    }
}

// SAFETY: the slot only moves boxes of `T` between threads, which is what `T: Send` permits; it never hands
// out references.
unsafe impl<T: Send> Send for Slot<T> {}
// SAFETY: as above: `put` and `take` are atomic swaps that transfer ownership, never shared access.
unsafe impl<T: Send> Sync for Slot<T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_take_and_displace() {
        let slot = Slot::new();
        assert!(slot.take().is_none());
        assert!(slot.put(Box::new(1)).is_none());
        assert!(slot.is_full());
        assert_eq!(slot.put(Box::new(2)).as_deref(), Some(&1));
        assert_eq!(slot.take().as_deref(), Some(&2));
        assert!(!slot.is_full());
    }

    #[test]
    fn every_value_is_owned_once_across_threads() {
        let slot = std::sync::Arc::new(Slot::new());
        let taker = {
            let slot = std::sync::Arc::clone(&slot);
            std::thread::spawn(move || {
                let mut taken = 0u64;
                for _ in 0..100_000 {
                    if let Some(v) = slot.take() {
                        taken += *v;
                    }
                }
                taken
            })
        };
        let mut displaced = 0u64;
        for i in 1..=10_000u64 {
            if let Some(v) = slot.put(Box::new(i)) {
                displaced += *v;
            }
        }
        let taken = taker.join().unwrap();
        let left = slot.take().map_or(0, |v| *v);
        assert_eq!(taken + displaced + left, (1..=10_000u64).sum());
    }
}
