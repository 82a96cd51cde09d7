//! Parameter values as the host reads them on the main thread, published by whoever holds the shell.
//!
//! Hosts poll `get_value` often (every UI refresh); taking the shell's lock for that would make the audio
//! thread skip blocks. The audio thread instead publishes the values it processed with, lock-free, after
//! every block.

use overdub_shell::ParamSet;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};

/// Parameters a mirror publishes; a logic with more serves the rest through the shell's lock.
pub(crate) const MIRRORED_PARAMS: usize = 512;

/// Lock-free copy of the shell's parameter ids and values.
pub(crate) struct ParamMirror {
    ids: Box<[AtomicU32]>,
    values: Box<[AtomicU64]>,
    len: AtomicUsize,
    /// Whether the shell had more parameters than the mirror holds at the last publication.
    truncated: AtomicBool,
}

impl Default for ParamMirror {
    fn default() -> Self {
        Self {
            ids: (0..MIRRORED_PARAMS).map(|_| AtomicU32::new(0)).collect(),
            values: (0..MIRRORED_PARAMS).map(|_| AtomicU64::new(0)).collect(),
            len: AtomicUsize::new(0),
            truncated: AtomicBool::new(false),
        }
    }
}

impl ParamMirror {
    /// Publishes the current values. Real-time safe: atomic stores only.
    pub(crate) fn publish(&self, params: &ParamSet) {
        let mut len = 0;
        for ((info, value), (id_slot, value_slot)) in
            params.infos().iter().zip(params.values()).zip(self.ids.iter().zip(self.values.iter()))
        {
            id_slot.store(info.id, Ordering::Relaxed);
            value_slot.store(value.to_bits(), Ordering::Relaxed);
            len += 1;
        }
        self.truncated.store(params.infos().len() > len, Ordering::Relaxed);
        self.len.store(len, Ordering::Release);
    }

    /// Whether the shell had parameters the mirror could not hold, as of the last publication.
    pub(crate) fn is_truncated(&self) -> bool {
        self.truncated.load(Ordering::Relaxed)
    }

    /// The published value of parameter `id`, if it is mirrored.
    pub(crate) fn get(&self, id: u32) -> Option<f64> {
        let len = self.len.load(Ordering::Acquire);
        self.ids[..len]
            .iter()
            .position(|slot| slot.load(Ordering::Relaxed) == id)
            .map(|index| f64::from_bits(self.values[index].load(Ordering::Relaxed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use overdub_abi::ParamInfo;

    #[test]
    fn publishes_values_by_id() {
        let mut params = ParamSet::new(&[ParamInfo::new(7, "A"), ParamInfo::new(3, "B").default_value(0.5)]);
        params.set(0, 0.25);
        let mirror = ParamMirror::default();
        assert_eq!(mirror.get(7), None);
        mirror.publish(&params);
        assert_eq!(mirror.get(7), Some(0.25));
        assert_eq!(mirror.get(3), Some(0.5));
        assert_eq!(mirror.get(9), None);
        assert!(!mirror.is_truncated());
    }

    #[test]
    fn a_longer_list_is_marked_truncated() {
        let infos: Vec<ParamInfo> = (0..=MIRRORED_PARAMS as u32).map(|id| ParamInfo::new(id, "P")).collect();
        let mirror = ParamMirror::default();
        mirror.publish(&ParamSet::new(&infos));
        assert!(mirror.is_truncated());
        assert_eq!(mirror.get(0), Some(0.0));
        assert_eq!(mirror.get(MIRRORED_PARAMS as u32), None);
    }
}
