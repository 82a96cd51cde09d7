//! Deep layout fingerprints of a logic's state, deciding whether a new build may take over the running
//! build's state memory as it is.
//!
//! # Soundness
//! After a code-only edit, the new build adopts the old instance's memory without copying it: the same bytes
//! are read through the new build's type. That is sound when, for every type reachable from the state (through
//! fields, `Box`, `Vec`, `Option`, arrays, tuples, enums):
//! 1. the layout is identical: same size and alignment, the same fields by name in the same order at the same
//!    offsets, with the same types. [`StateLayout::describe`] writes exactly that, recursively, and the
//!    fingerprint is a hash of the description, so a change anywhere (a field renamed, retyped, reordered, an
//!    enum variant added, an edit inside the element type of a `Vec`) changes it. Enum payload offsets are
//!    not observable on stable Rust; they are fixed by the variant list (described) and the compiler (the ABI
//!    canary proves both builds used the same one);
//! 2. heap memory is freed by the allocator that allocated it: both builds must allocate from the system
//!    allocator, which the export macro guarantees unless the author installs their own, in which case
//!    adoption is disabled and state migrates through save/load;
//! 3. no value points into code that the new build does not provide: function pointers and trait objects have
//!    no `StateLayout` implementation, so a state holding them does not compile with the derive.
//!
//! A shallow fingerprint (top-level size and name) is not enough: a change inside a `Vec`'s element type
//! leaves the `Vec` itself the same size, and reading the old elements as the new type is undefined behaviour.
//! The trait is `unsafe` because an implementation that describes something other than the type's real
//! layout breaks this argument; `#[derive(StateLayout)]` writes correct ones.

use std::any::TypeId;
use std::fmt::Write as _;

/// A type whose complete layout can be described, so its memory can be handed from one build to the next.
///
/// # Safety
/// `describe` must describe the type's real layout (size, alignment, every field in declaration order with its
/// offset and type, every enum variant) and recurse into every type the value owns.
pub unsafe trait StateLayout: 'static {
    /// Writes this type's layout.
    fn describe(out: &mut LayoutWriter);
}

/// Accumulates a layout description, guarding against recursive types.
#[derive(Default)]
pub struct LayoutWriter {
    text: String,
    open: Vec<TypeId>,
}

impl LayoutWriter {
    /// Describes `T` from scratch.
    pub fn of<T: StateLayout + ?Sized>() -> String {
        let mut writer = Self::default();
        writer.nested::<T>();
        writer.text
    }

    /// Describes a nested type, or refers back to it when it is already being described (a recursive type).
    pub fn nested<T: StateLayout + ?Sized>(&mut self) {
        let id = TypeId::of::<T>();
        if self.open.contains(&id) {
            let _ = write!(self.text, "rec({})", std::any::type_name::<T>());
            return;
        }
        self.open.push(id);
        T::describe(self);
        self.open.pop();
    }

    /// A leaf type, described by its name and size.
    pub fn primitive<T>(&mut self, name: &str) {
        let _ = write!(self.text, "{name}:{}/{}", size_of::<T>(), align_of::<T>());
    }

    /// A struct: `name`, its size and alignment, then `fields` writes each field with [`LayoutWriter::field`].
    pub fn structure<T>(&mut self, name: &str, fields: impl FnOnce(&mut Self)) {
        let _ = write!(self.text, "struct {name}:{}/{}{{", size_of::<T>(), align_of::<T>());
        fields(self);
        self.text.push('}');
    }

    /// One struct field: its name, offset and type.
    pub fn field<F: StateLayout>(&mut self, name: &str, offset: usize) {
        let _ = write!(self.text, "{name}@{offset}=");
        self.nested::<F>();
        self.text.push(';');
    }

    /// An enum: `name`, its size and alignment, then `variants` writes each variant.
    pub fn enumeration<T>(&mut self, name: &str, variants: impl FnOnce(&mut Self)) {
        let _ = write!(self.text, "enum {name}:{}/{}{{", size_of::<T>(), align_of::<T>());
        variants(self);
        self.text.push('}');
    }

    /// One enum variant; its fields follow with [`LayoutWriter::variant_field`].
    pub fn variant(&mut self, name: &str, fields: impl FnOnce(&mut Self)) {
        let _ = write!(self.text, "{name}(");
        fields(self);
        self.text.push_str(");");
    }

    /// One field of an enum variant.
    pub fn variant_field<F: StateLayout>(&mut self, name: &str) {
        let _ = write!(self.text, "{name}=");
        self.nested::<F>();
        self.text.push(',');
    }

    /// A generic container of `T` (a `Vec`, a `Box`), with its own size.
    pub fn container<C, T: StateLayout + ?Sized>(&mut self, name: &str) {
        let _ = write!(self.text, "{name}:{}/{}<", size_of::<C>(), align_of::<C>());
        self.nested::<T>();
        self.text.push('>');
    }
}

/// The fingerprint of `T`'s layout: equal fingerprints mean a build may adopt the other's state memory.
pub fn fingerprint<T: StateLayout>() -> u64 {
    // FNV-1a over the description: a stable hash that does not depend on std's randomised hasher.
    LayoutWriter::of::<T>()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

macro_rules! primitives {
    ($($t:ty),*) => {$(
        // SAFETY: a primitive's layout is its name, size and alignment.
        unsafe impl StateLayout for $t {
            fn describe(out: &mut LayoutWriter) {
                out.primitive::<$t>(stringify!($t));
            }
        }
    )*};
}
primitives!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, bool, char, ());

// SAFETY: a `Vec` is a fixed header owning elements of `T`, described recursively.
unsafe impl<T: StateLayout> StateLayout for Vec<T> {
    fn describe(out: &mut LayoutWriter) {
        out.container::<Self, T>("Vec");
    }
}

// SAFETY: a `Box` is a pointer owning one `T`, described recursively.
unsafe impl<T: StateLayout + ?Sized> StateLayout for Box<T> {
    fn describe(out: &mut LayoutWriter) {
        out.container::<Self, T>("Box");
    }
}

// SAFETY: a boxed slice owns `[T]`, described as its element type.
unsafe impl<T: StateLayout> StateLayout for [T] {
    fn describe(out: &mut LayoutWriter) {
        let _ = write!(out.text, "[");
        out.nested::<T>();
        out.text.push(']');
    }
}

// SAFETY: `Option<T>`'s layout is fixed by `T`'s (and the compiler, which the canary pins).
unsafe impl<T: StateLayout> StateLayout for Option<T> {
    fn describe(out: &mut LayoutWriter) {
        out.container::<Self, T>("Option");
    }
}

// SAFETY: an array is `N` consecutive `T`s.
unsafe impl<T: StateLayout, const N: usize> StateLayout for [T; N] {
    fn describe(out: &mut LayoutWriter) {
        let _ = write!(out.text, "[{N};");
        out.nested::<T>();
        out.text.push(']');
    }
}

// SAFETY: a `String` is a `Vec<u8>` holding UTF-8.
unsafe impl StateLayout for String {
    fn describe(out: &mut LayoutWriter) {
        out.container::<Self, u8>("String");
    }
}

macro_rules! tuples {
    ($(($($name:ident),+)),*) => {$(
        // SAFETY: a tuple's layout is fixed by its element types (and the compiler, which the canary pins).
        unsafe impl<$($name: StateLayout),+> StateLayout for ($($name,)+) {
            fn describe(out: &mut LayoutWriter) {
                let _ = write!(out.text, "tuple:{}/{}(", size_of::<Self>(), align_of::<Self>());
                $( out.nested::<$name>(); out.text.push(','); )+
                out.text.push(')');
            }
        }
    )*};
}
tuples!((A), (A, B), (A, B, C), (A, B, C, D));

#[cfg(test)]
mod tests {
    use super::*;

    struct Inner {
        a: f32,
    }
    // SAFETY: describes `Inner`'s one field with its offset.
    unsafe impl StateLayout for Inner {
        fn describe(out: &mut LayoutWriter) {
            out.structure::<Self>("Inner", |out| out.field::<f32>("a", std::mem::offset_of!(Self, a)));
        }
    }
    struct InnerRenamed {
        b: f32,
    }
    // SAFETY: as for `Inner`.
    unsafe impl StateLayout for InnerRenamed {
        fn describe(out: &mut LayoutWriter) {
            out.structure::<Self>("Inner", |out| out.field::<f32>("b", std::mem::offset_of!(Self, b)));
        }
    }

    #[test]
    fn a_change_inside_a_vec_element_changes_the_fingerprint() {
        assert_eq!(size_of::<Vec<Inner>>(), size_of::<Vec<InnerRenamed>>());
        assert_ne!(fingerprint::<Vec<Inner>>(), fingerprint::<Vec<InnerRenamed>>());
        assert_eq!(fingerprint::<Vec<Inner>>(), fingerprint::<Vec<Inner>>());
    }

    #[test]
    fn containers_are_distinguished() {
        assert_ne!(fingerprint::<Vec<f32>>(), fingerprint::<Box<[f32]>>());
        assert_ne!(fingerprint::<[f32; 4]>(), fingerprint::<[f32; 5]>());
        assert_ne!(fingerprint::<Option<u32>>(), fingerprint::<u32>());
    }

    struct Node {
        next: Option<Box<Node>>,
    }
    // SAFETY: describes `Node`'s one field with its offset.
    unsafe impl StateLayout for Node {
        fn describe(out: &mut LayoutWriter) {
            out.structure::<Self>("Node", |out| {
                out.field::<Option<Box<Node>>>("next", std::mem::offset_of!(Self, next))
            });
        }
    }

    #[test]
    fn recursive_types_terminate() {
        let text = LayoutWriter::of::<Node>();
        assert!(text.contains("rec("), "{text}");
    }
}
