//! Parameter values, owned by the shell so they survive every reload of the logic.

use overdub_abi::ParamInfo;

/// The logic's parameter list with the current value of each.
///
/// Values are stored in the logic's `PARAMS` order, so the logic reads them by index with no lookup; ids are
/// kept sorted beside them for the host's id-based events.
#[derive(Clone, Debug)]
pub struct ParamSet {
    infos: Vec<ParamInfo>,
    values: Vec<f64>,
    by_id: Vec<(u32, usize)>,
    /// Which values changed since [`ParamSet::drain_touched`] last ran, for publishing them.
    touched: Vec<bool>,
}

impl ParamSet {
    /// Every parameter at its default.
    pub fn new(infos: &[ParamInfo]) -> Self {
        let mut by_id: Vec<(u32, usize)> = infos.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        by_id.sort_unstable();
        Self {
            infos: infos.to_vec(),
            values: infos.iter().map(|p| p.constrain(p.default)).collect(),
            by_id,
            touched: vec![false; infos.len()],
        }
    }

    /// The parameters, in the logic's order.
    pub fn infos(&self) -> &[ParamInfo] {
        &self.infos
    }

    /// Current values, in the logic's order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The position of the parameter with `id`.
    pub fn index_of(&self, id: u32) -> Option<usize> {
        self.by_id.binary_search_by_key(&id, |&(id, _)| id).ok().map(|slot| self.by_id[slot].1)
    }

    /// Sets the parameter at `index`, constrained to what it can take; returns the stored value.
    pub fn set(&mut self, index: usize, value: f64) -> f64 {
        let value = self.infos[index].constrain(value);
        self.values[index] = value;
        self.touched[index] = true;
        value
    }

    /// Calls `f` with the id and value of every parameter set since the last call. Real-time safe.
    pub fn drain_touched(&mut self, mut f: impl FnMut(u32, f64)) {
        for index in 0..self.infos.len() {
            if std::mem::take(&mut self.touched[index]) {
                f(self.infos[index].id, self.values[index]);
            }
        }
    }

    /// Forgets which values were set: they were just taken from where they would be published.
    pub fn clear_touched(&mut self) {
        self.touched.fill(false);
    }

    /// Sets the parameter with this id, constrained; returns its index and the stored value (`None`: no
    /// such parameter).
    pub fn set_by_id(&mut self, id: u32, value: f64) -> Option<(usize, f64)> {
        let index = self.index_of(id)?;
        Some((index, self.set(index, value)))
    }

    /// Copies the values of parameters `other` also has (by id) into this set, without allocating.
    pub fn carry_values_from(&mut self, other: &Self) {
        for index in 0..self.infos.len() {
            if let Some(theirs) = other.index_of(self.infos[index].id) {
                self.set(index, other.values[theirs]);
            }
        }
    }

    /// Every value back to its default.
    pub fn reset_to_defaults(&mut self) {
        for index in 0..self.infos.len() {
            let default = self.infos[index].default;
            self.set(index, default);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: ParamInfo = ParamInfo::new(10, "A").range(0.0, 2.0).default_value(1.0);
    const B: ParamInfo = ParamInfo::new(3, "B");
    const C: ParamInfo = ParamInfo::new(5, "C").default_value(0.5);

    #[test]
    fn starts_at_defaults_and_finds_by_id() {
        let set = ParamSet::new(&[A, B]);
        assert_eq!(set.values(), &[1.0, 0.0]);
        assert_eq!(set.index_of(3), Some(1));
        assert_eq!(set.index_of(99), None);
    }

    #[test]
    fn values_carry_by_id_across_a_reordered_list() {
        let mut set = ParamSet::new(&[A, B]);
        set.set(0, 1.5);
        set.set(1, 0.25);
        let mut next = ParamSet::new(&[C, B, A]);
        next.carry_values_from(&set);
        assert_ne!(next.infos(), set.infos());
        assert_eq!(next.values(), &[0.5, 0.25, 1.5]);
        let mut same = ParamSet::new(&[A, B]);
        same.carry_values_from(&set);
        assert_eq!(same.infos(), set.infos());
        assert_eq!(same.values(), set.values());
    }

    #[test]
    fn set_constrains() {
        let mut set = ParamSet::new(&[A]);
        assert_eq!(set.set(0, 9.0), 2.0);
    }
}
