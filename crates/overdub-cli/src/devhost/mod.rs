//! The dev host: plays audio through a logic, on a sound card or a null device, with test signals or notes,
//! and shows the logic's editor in a window of its own.

#[cfg(feature = "sound-card")]
mod card;
pub mod device;
pub mod editor;
pub mod meter;
pub mod notes;
pub mod renderer;
pub mod session;
pub mod signals;
pub mod watcher;

#[cfg(test)]
pub(crate) mod test_logic;
