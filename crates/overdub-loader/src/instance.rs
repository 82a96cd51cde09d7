//! A logic instance created by a library, owned by the shell and destroyed inside the library.

use overdub_abi::LogicObject;
use overdub_abi::export::AdoptFn;
use std::ops::{Deref, DerefMut};

/// A logic instance made by a loaded library.
///
/// The instance was allocated by the library's allocator, so the shell never frees it: dropping an
/// `Instance` calls the library's own `destroy`, which runs the author's `Drop` under the library's panic guard
/// and frees the memory where it was allocated.
pub struct Instance {
    object: Option<Box<dyn LogicObject>>,
}

impl Instance {
    /// Takes ownership of an object returned by a library's create export.
    pub fn new(object: Box<dyn LogicObject>) -> Self {
        Self { object: Some(object) }
    }

    /// Hands this instance's memory to a new build's code: afterwards the same state runs through the vtable
    /// `adopt` returns. No allocation, no copy: real-time safe.
    ///
    /// # Safety
    /// `adopt` is the adopt export of a library whose state fingerprint is non-zero and equal to the
    /// fingerprint of the library that made this instance (see `overdub::layout` for why that makes the
    /// memory valid for the new code).
    pub unsafe fn adopt_by(&mut self, adopt: AdoptFn) {
        let object = self.object.take().expect("the object is only taken in drop");
        let data = Box::into_raw(object).cast::<()>();
        // SAFETY: `data` is the data pointer of a box no one else owns any more, and the caller guarantees the
        // fingerprints match, which is `adopt`'s contract.
        self.object = Some(unsafe { adopt(data) });
    }
}

impl Deref for Instance {
    type Target = dyn LogicObject;
    fn deref(&self) -> &Self::Target {
        self.object.as_deref().expect("the object is only taken in drop")
    }
}

impl DerefMut for Instance {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.object.as_deref_mut().expect("the object is only taken in drop")
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(object) = self.object.take()
            && let Err(fault) = object.destroy()
        {
            log::warn!("the logic's Drop {fault}");
        }
    }
}
