//! What the two halves of one shell share: parameter values, the latency and fault reports, all lock-free,
//! so neither the host's main thread nor its audio thread ever waits for the other.
//!
//! Parameter values have two writers. The processor publishes each value host automation changed, after the
//! block that applied it; the control stores main-thread edits (a flush while inactive, a loaded project)
//! and raises `dirty`, and the processor copies every value in at the start of its next block. Whichever
//! wrote a parameter last is what the host reads back and what a saved project holds.

use crate::engine::FaultRecord;
use crate::params::ParamSet;
use crate::slot::Slot;
use overdub_abi::{Display, Message, ParamInfo};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

/// The parameter list a control serves, with the latest value of each.
pub struct SharedParams {
    infos: Vec<ParamInfo>,
    by_id: Vec<(u32, usize)>,
    values: Box<[AtomicU64]>,
    dirty: AtomicBool,
}

impl SharedParams {
    /// The list and values of `params`, its strings the process's own (see [`crate::interned`]).
    pub fn new(params: &ParamSet) -> Self {
        let infos: Vec<ParamInfo> = params.infos().iter().map(crate::interned::param).collect();
        let mut by_id: Vec<(u32, usize)> = infos.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        by_id.sort_unstable();
        let values = params.values().iter().map(|v| AtomicU64::new(v.to_bits())).collect();
        Self { infos, by_id, values, dirty: AtomicBool::new(false) }
    }

    /// The parameters, in the logic's order.
    pub fn infos(&self) -> &[ParamInfo] {
        &self.infos
    }

    /// The parameter with `id`.
    pub fn info(&self, id: u32) -> Option<&ParamInfo> {
        self.index_of(id).map(|index| &self.infos[index])
    }

    fn index_of(&self, id: u32) -> Option<usize> {
        self.by_id.binary_search_by_key(&id, |&(id, _)| id).ok().map(|slot| self.by_id[slot].1)
    }

    /// The value of the parameter at `index`.
    pub fn value(&self, index: usize) -> f64 {
        f64::from_bits(self.values[index].load(Ordering::Acquire))
    }

    /// The value of the parameter with `id`.
    pub fn value_of(&self, id: u32) -> Option<f64> {
        self.index_of(id).map(|index| self.value(index))
    }

    /// `(id, value)` of every parameter, for a saved project.
    pub fn snapshot(&self) -> Vec<(u32, f64)> {
        self.infos.iter().enumerate().map(|(index, info)| (info.id, self.value(index))).collect()
    }

    /// A main-thread edit: stores `value` (constrained) for the processor's next block; returns it.
    pub fn edit(&self, id: u32, value: f64) -> Option<f64> {
        let index = self.index_of(id)?;
        let value = self.infos[index].constrain(value);
        self.values[index].store(value.to_bits(), Ordering::Release);
        self.dirty.store(true, Ordering::Release);
        Some(value)
    }

    /// Every parameter to its default, then `values` (ids this list lacks are skipped), for the processor's
    /// next block.
    pub fn replace(&self, values: &[(u32, f64)]) {
        for (slot, info) in self.values.iter().zip(&self.infos) {
            slot.store(info.constrain(info.default).to_bits(), Ordering::Release);
        }
        for &(id, value) in values {
            if let Some(index) = self.index_of(id) {
                let value = self.infos[index].constrain(value);
                self.values[index].store(value.to_bits(), Ordering::Release);
            }
        }
        self.dirty.store(true, Ordering::Release);
    }

    /// Brings `params` up to date with the main thread's edits, if there were any since the last call.
    /// Real-time safe: atomic loads and stores only.
    pub fn take_edits(&self, params: &mut ParamSet) {
        if !self.dirty.swap(false, Ordering::AcqRel) {
            return;
        }
        for index in 0..params.infos().len() {
            if let Some(value) = self.value_of(params.infos()[index].id) {
                params.set(index, value);
            }
        }
        params.clear_touched();
    }

    /// Publishes the values a block changed (by id: the processor may run a newer list than this one).
    /// Real-time safe.
    pub fn publish(&self, params: &mut ParamSet) {
        params.drain_touched(|id, value| {
            if let Some(index) = self.index_of(id) {
                self.values[index].store(value.to_bits(), Ordering::Release);
            }
        });
    }
}

/// A fault record the processor hands the control, through two one-value mailboxes so reporting it
/// allocates nothing on the audio thread: the control puts an empty record in `blank`, the processor
/// fills it and moves it to `report`.
pub struct FaultMailbox {
    blank: Slot<FaultRecord>,
    report: Slot<FaultRecord>,
}

impl Default for FaultMailbox {
    fn default() -> Self {
        let mailbox = Self { blank: Slot::new(), report: Slot::new() };
        mailbox.refill();
        mailbox
    }
}

impl FaultMailbox {
    /// Reports `fault` if a blank record is there to hold it. Real-time safe: two atomic swaps.
    pub fn post(&self, fault: FaultRecord) {
        let Some(mut record) = self.blank.take() else { return };
        *record = fault;
        // The report slot is empty whenever a blank is available (the control refills only after taking).
        if let Some(displaced) = self.report.put(record) {
            std::mem::forget(displaced);
        }
    }

    /// The fault reported since the last call, if any; leaves a blank for the next. Not real-time safe.
    pub fn take(&self) -> Option<FaultRecord> {
        let record = self.report.take().map(|record| *record);
        self.refill();
        record
    }

    fn refill(&self) {
        if !self.blank.is_full() && !self.report.is_full() {
            drop(self.blank.put(Box::new(FaultRecord { call: "", message: Message::empty() })));
        }
    }
}

/// Everything the control and the processor of one shell share.
#[derive(Default)]
pub struct Shared {
    /// Faults the processor saw, for the control to report.
    pub faults: FaultMailbox,
    /// Meters and scope the logic writes for the editor; the same channel whichever build runs.
    pub display: Display,
    latency: AtomicU32,
}

impl Shared {
    /// The latency the processor runs with, as last published.
    pub fn latency(&self) -> u32 {
        self.latency.load(Ordering::Acquire)
    }

    /// Publishes the latency the processor runs with. Real-time safe.
    pub fn set_latency(&self, latency: u32) {
        self.latency.store(latency, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: ParamInfo = ParamInfo::new(10, "A").range(0.0, 2.0).default_value(1.0);
    const B: ParamInfo = ParamInfo::new(3, "B");

    #[test]
    fn main_thread_edits_reach_the_processor_at_its_next_block() {
        let mut engine_params = ParamSet::new(&[A, B]);
        let shared = SharedParams::new(&engine_params);
        assert_eq!(shared.edit(10, 9.0), Some(2.0), "constrained");
        assert_eq!(shared.value_of(10), Some(2.0));
        shared.take_edits(&mut engine_params);
        assert_eq!(engine_params.values(), &[2.0, 0.0]);
        engine_params.set(0, 0.5);
        shared.take_edits(&mut engine_params);
        assert_eq!(engine_params.values(), &[0.5, 0.0], "nothing new: the processor's own value stays");
    }

    #[test]
    fn automation_is_published_by_id_and_a_replace_restores_defaults() {
        let mut engine_params = ParamSet::new(&[B, A]);
        let shared = SharedParams::new(&ParamSet::new(&[A, B]));
        engine_params.set(0, 0.75);
        shared.publish(&mut engine_params);
        assert_eq!(shared.snapshot(), vec![(10, 1.0), (3, 0.75)]);
        shared.replace(&[(10, 0.5), (99, 1.0)]);
        assert_eq!(shared.snapshot(), vec![(10, 0.5), (3, 0.0)]);
    }

    #[test]
    fn a_fault_crosses_once() {
        let mailbox = FaultMailbox::default();
        assert_eq!(mailbox.take(), None);
        mailbox.post(FaultRecord { call: "process", message: Message::from("boom") });
        mailbox.post(FaultRecord { call: "process", message: Message::from("again") });
        let fault = mailbox.take().expect("the first fault");
        assert_eq!(fault.message.as_str(), "boom");
        assert_eq!(mailbox.take(), None);
        mailbox.post(FaultRecord { call: "reset", message: Message::from("later") });
        assert_eq!(mailbox.take().map(|f| f.call), Some("reset"));
    }
}
