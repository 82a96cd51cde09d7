//! The symbols a logic library exports and their signatures: the loader looks them up by these names, and the
//! `overdub` crate's export macro emits them.

/// Names of the symbols a logic library exports.
pub mod symbols {
    /// `extern "C" fn(&mut usize) -> *const u8`: the canary text (pointer and length).
    pub const CANARY: &str = "overdub_abi_canary";
    /// `fn() -> Box<dyn LogicObject>`: the vtable probe.
    pub const PROBE: &str = "overdub_vtable_probe";
    /// `fn() -> Outcome<Box<dyn LogicObject>>`: a new guarded instance of the author's logic.
    pub const CREATE: &str = "overdub_create";
    /// `fn() -> u64`: the state layout fingerprint, or 0 when instances must never be adopted.
    pub const FINGERPRINT: &str = "overdub_state_fingerprint";
    /// `unsafe fn(*mut ()) -> Box<dyn LogicObject>`: takes over an instance of an equal-fingerprint build.
    pub const ADOPT: &str = "overdub_adopt";
    /// `fn() -> Option<EditorEntry>`: how the logic's editor is made, if it has one.
    pub const EDITOR: &str = "overdub_editor";
    /// Every export, in the order the loader checks them.
    pub const ALL: [&str; 6] = [CANARY, PROBE, CREATE, FINGERPRINT, ADOPT, EDITOR];
}

/// Signature of the [`symbols::CANARY`] export.
pub type CanaryFn = unsafe extern "C" fn(len: &mut usize) -> *const u8;
/// Signature of the [`symbols::PROBE`] export.
pub type ProbeFn = fn() -> Box<dyn crate::LogicObject>;
/// Signature of the [`symbols::CREATE`] export.
pub type CreateFn = fn() -> crate::Outcome<Box<dyn crate::LogicObject>>;
/// Signature of the [`symbols::FINGERPRINT`] export.
pub type FingerprintFn = fn() -> u64;
/// Signature of the [`symbols::ADOPT`] export.
///
/// # Safety
/// `data` is the data pointer of a `Box<dyn LogicObject>` created by a library whose fingerprint export
/// returned the same non-zero value as this library's, and nothing else owns that box any more.
pub type AdoptFn = unsafe fn(data: *mut ()) -> Box<dyn crate::LogicObject>;

/// Signature of the [`symbols::EDITOR`] export.
pub type EditorFn = fn() -> Option<crate::EditorEntry>;

/// The canary export's body: the canary text's pointer, its length written to `len`.
pub fn canary_export(len: &mut usize) -> *const u8 {
    let text = crate::canary::canary_text();
    *len = text.len();
    text.as_ptr()
}
