//! Stepped parameters: whole numbers and switches, read as the types they are.

use crate::layout::{LayoutWriter, StateLayout};

/// A whole-number parameter (a voice count, a mode index): [`IntParam::value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntParam {
    value: i32,
}

/// An on/off parameter: [`BoolParam::value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoolParam {
    value: bool,
}

impl IntParam {
    /// A parameter holding `value`.
    pub const fn new(value: i32) -> Self {
        Self { value }
    }

    /// The value in force for this window.
    #[inline]
    pub fn value(&self) -> i32 {
        self.value
    }

    #[doc(hidden)]
    pub fn begin_window(&mut self, value: f64) {
        self.value = value.round() as i32;
    }
}

impl BoolParam {
    /// A parameter holding `value`.
    pub const fn new(value: bool) -> Self {
        Self { value }
    }

    /// The value in force for this window.
    #[inline]
    pub fn value(&self) -> bool {
        self.value
    }

    #[doc(hidden)]
    pub fn begin_window(&mut self, value: f64) {
        self.value = value >= 0.5;
    }
}

// SAFETY: `IntParam`'s one field with its offset.
unsafe impl StateLayout for IntParam {
    fn describe(out: &mut LayoutWriter) {
        let IntParam { value: _ } = IntParam::new(0);
        out.structure::<Self>("IntParam", |out| {
            out.field::<i32>("value", core::mem::offset_of!(Self, value))
        });
    }
}

// SAFETY: `BoolParam`'s one field with its offset.
unsafe impl StateLayout for BoolParam {
    fn describe(out: &mut LayoutWriter) {
        let BoolParam { value: _ } = BoolParam::new(false);
        out.structure::<Self>("BoolParam", |out| {
            out.field::<bool>("value", core::mem::offset_of!(Self, value))
        });
    }
}
