//! VST3's plain C++ enums as the integers its structs hold.

/// A VST3 enum constant as a `u32`: the SDK's plain enums are `unsigned int` on macOS and Linux and `int` on
/// Windows, while the fields that carry them have fixed widths. Every constant used here is small and
/// positive.
pub(crate) fn bits<T: TryInto<u32>>(constant: T) -> u32 {
    constant.try_into().unwrap_or(0)
}

/// [`bits`] for the fields that hold a constant as an `i32`.
pub(crate) fn signed<T: TryInto<i32>>(constant: T) -> i32 {
    constant.try_into().unwrap_or(0)
}
