//! A logic instance created by a library, owned by the shell and destroyed inside the library.

use crate::library::LoadedLibrary;
use overdub_abi::LogicObject;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// A logic instance made by a loaded library.
///
/// The instance was allocated by the library's allocator, so the shell never frees it: dropping an
/// `Instance` calls the library's own `destroy`, which runs the author's `Drop` under the library's panic guard
/// and frees the memory where it was allocated.
pub struct Instance {
    object: Option<Box<dyn LogicObject>>,
    /// The library whose code the object runs, kept mapped while the object lives (none for an object of
    /// this binary's own).
    library: Option<Arc<LoadedLibrary>>,
}

impl Instance {
    /// Takes ownership of an object `library`'s create export returned.
    pub fn new(object: Box<dyn LogicObject>, library: Arc<LoadedLibrary>) -> Self {
        Self { object: Some(object), library: Some(library) }
    }

    /// An object whose code is this binary's own: there is no library to keep.
    pub(crate) fn built_in(object: Box<dyn LogicObject>) -> Self {
        Self { object: Some(object), library: None }
    }

    /// Hands this instance's memory to the code of `library`: afterwards the same state runs through the
    /// vtable its adopt export returns, and `library` holds the build this instance ran before (so the caller,
    /// not the audio thread, lets go of it). No allocation, no copy, no unloading: real-time safe.
    ///
    /// # Safety
    /// `library`'s state fingerprint is non-zero and equal to the fingerprint of the library that made this
    /// instance (see `overdub::layout` for why that makes the memory valid for the new code).
    pub unsafe fn adopt_by(&mut self, library: &mut Arc<LoadedLibrary>) {
        let object = self.object.take().expect("the object is only taken in drop");
        let data = Box::into_raw(object).cast::<()>();
        let adopt = library.adopt_fn();
        // SAFETY: `data` is the data pointer of a box no one else owns any more, and the caller guarantees the
        // fingerprints match, which is `adopt`'s contract.
        self.object = Some(unsafe { adopt(data) });
        match &mut self.library {
            Some(kept) => std::mem::swap(kept, library),
            None => self.library = Some(Arc::clone(library)),
        }
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
