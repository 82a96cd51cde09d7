//! The kind tag every saved value starts with: what the value is, so a reader can check it against the type
//! it loads into, name both when they differ, and skip a value it has no field for.

use core::fmt;
use overdub_abi::StateError;

/// What a saved value is.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `bool`, one byte.
    Bool = 1,
    /// `u8`.
    U8 = 2,
    /// `u16`.
    U16 = 3,
    /// `u32`.
    U32 = 4,
    /// `u64` (and `usize`).
    U64 = 5,
    /// `u128`.
    U128 = 6,
    /// `i8`.
    I8 = 7,
    /// `i16`.
    I16 = 8,
    /// `i32`.
    I32 = 9,
    /// `i64` (and `isize`).
    I64 = 10,
    /// `i128`.
    I128 = 11,
    /// `f32`.
    F32 = 12,
    /// `f64`.
    F64 = 13,
    /// `char`, as its `u32` code point.
    Char = 14,
    /// `()`.
    Unit = 15,
    /// A slice of values that are not primitives (a `Vec` of structs, say).
    Seq = 0x20,
    /// A slice of one primitive kind, stored as raw bytes (a delay line).
    Packed = 0x21,
    /// A struct's fields, by name.
    Record = 0x30,
    /// An empty `Option`.
    None = 0x40,
    /// A full `Option`.
    Some = 0x41,
    /// A tuple.
    Tuple = 0x50,
}

impl Kind {
    const ALL: [Kind; 21] = [
        Kind::Bool,
        Kind::U8,
        Kind::U16,
        Kind::U32,
        Kind::U64,
        Kind::U128,
        Kind::I8,
        Kind::I16,
        Kind::I32,
        Kind::I64,
        Kind::I128,
        Kind::F32,
        Kind::F64,
        Kind::Char,
        Kind::Unit,
        Kind::Seq,
        Kind::Packed,
        Kind::Record,
        Kind::None,
        Kind::Some,
        Kind::Tuple,
    ];

    pub(crate) fn from_byte(byte: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| *kind as u8 == byte)
    }

    /// Bytes a primitive's payload takes; `None` for kinds that are not primitives.
    pub(crate) fn primitive_size(self) -> Option<usize> {
        Some(match self {
            Kind::Unit => 0,
            Kind::Bool | Kind::U8 | Kind::I8 => 1,
            Kind::U16 | Kind::I16 => 2,
            Kind::U32 | Kind::I32 | Kind::F32 | Kind::Char => 4,
            Kind::U64 | Kind::I64 | Kind::F64 => 8,
            Kind::U128 | Kind::I128 => 16,
            _ => return None,
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Kind::Bool => "bool",
            Kind::U8 => "u8",
            Kind::U16 => "u16",
            Kind::U32 => "u32",
            Kind::U64 => "u64",
            Kind::U128 => "u128",
            Kind::I8 => "i8",
            Kind::I16 => "i16",
            Kind::I32 => "i32",
            Kind::I64 => "i64",
            Kind::I128 => "i128",
            Kind::F32 => "f32",
            Kind::F64 => "f64",
            Kind::Char => "char",
            Kind::Unit => "()",
            Kind::Seq => "a list",
            Kind::Packed => "a run of numbers",
            Kind::Record => "a struct",
            Kind::None | Kind::Some => "an Option",
            Kind::Tuple => "a tuple",
        };
        f.write_str(name)
    }
}

/// The error for a value saved as `saved` where this build has `expected`.
pub(crate) fn type_changed(saved: impl fmt::Display, expected: impl fmt::Display) -> StateError {
    StateError::invalid(format_args!("saved as {saved}, this build has {expected}"))
}
