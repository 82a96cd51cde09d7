//! Notes currently held down, so a new build can be told about them and keep them sounding.

use overdub_abi::{Event, EventBody, Note};

/// Most notes tracked at once; beyond it the oldest is forgotten (128 is every key of a keyboard).
pub const HELD_NOTES: usize = 128;

/// Notes whose note-on has arrived without their note-off, in arrival order. Fixed size: updated on the
/// audio thread without allocating.
#[derive(Clone, Debug)]
pub struct HeldNotes {
    notes: [Note; HELD_NOTES],
    len: usize,
}

impl Default for HeldNotes {
    fn default() -> Self {
        Self { notes: [Note { channel: 0, key: 0, velocity: 0.0, note_id: Note::NO_ID }; HELD_NOTES], len: 0 }
    }
}

impl HeldNotes {
    /// Follows one event.
    pub fn observe(&mut self, event: &Event) {
        match event.body {
            EventBody::NoteOn(note) => {
                self.release(note);
                if self.len == HELD_NOTES {
                    self.notes.copy_within(1.., 0);
                    self.len -= 1;
                }
                self.notes[self.len] = note;
                self.len += 1;
            }
            EventBody::NoteOff(note) => self.release(note),
            _ => {}
        }
    }

    fn release(&mut self, off: Note) {
        let matches = |held: &Note| {
            held.channel == off.channel
                && held.key == off.key
                && (off.note_id == Note::NO_ID || held.note_id == off.note_id)
        };
        if let Some(index) = self.notes[..self.len].iter().position(matches) {
            self.notes.copy_within(index + 1..self.len, index);
            self.len -= 1;
        }
    }

    /// The held notes, oldest first.
    pub fn notes(&self) -> &[Note] {
        &self.notes[..self.len]
    }

    /// Forgets every note.
    pub fn clear(&mut self) {
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_held_until_released() {
        let mut held = HeldNotes::default();
        held.observe(&Event::note_on(0, 0, 60, 1.0));
        held.observe(&Event::note_on(0, 0, 64, 0.5));
        held.observe(&Event::note_off(3, 0, 60, 0.0));
        let keys: Vec<u8> = held.notes().iter().map(|n| n.key).collect();
        assert_eq!(keys, [64]);
    }

    #[test]
    fn a_full_table_forgets_the_oldest_note() {
        let mut held = HeldNotes::default();
        for key in 0..=HELD_NOTES as u32 {
            held.observe(&Event::note_on(0, (key / 128) as u8, (key % 128) as u8, 1.0));
        }
        assert_eq!(held.notes().len(), HELD_NOTES);
        assert_eq!(held.notes()[0].key, 1);
    }

    #[test]
    fn a_repeated_note_on_is_held_once() {
        let mut held = HeldNotes::default();
        held.observe(&Event::note_on(0, 0, 60, 1.0));
        held.observe(&Event::note_on(5, 0, 60, 1.0));
        assert_eq!(held.notes().len(), 1);
    }
}
