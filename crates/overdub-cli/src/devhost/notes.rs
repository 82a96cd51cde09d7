//! Plays a note [`Sequence`] block by block, looped or once, without allocating.

use crate::midi::Sequence;
use overdub_abi::Event;

/// Hands out the events that fall in each block, with their time relative to the block.
pub struct NotePlayer {
    sequence: Sequence,
    looped: bool,
    position: u64,
    next: usize,
}

impl NotePlayer {
    /// Plays `sequence` from its start; `looped` repeats it after its length.
    pub fn new(sequence: Sequence, looped: bool) -> Self {
        let looped = looped && sequence.length > 0;
        Self { sequence, looped, position: 0, next: 0 }
    }

    /// Appends the events of the next `frames` samples to `out`, never beyond its capacity (a block that
    /// would need more drops the excess rather than allocate on the audio thread).
    pub fn fill(&mut self, frames: usize, out: &mut Vec<Event>) {
        let mut offset = 0u64;
        let frames = frames as u64;
        while offset < frames {
            let mut span_end = self.position + (frames - offset);
            if self.looped {
                span_end = span_end.min(self.sequence.length);
            }
            while let Some(&(at, event)) = self.sequence.events.get(self.next) {
                if at >= span_end {
                    break;
                }
                if out.len() < out.capacity() {
                    let time = (offset + at.saturating_sub(self.position)) as u32;
                    out.push(Event { time, ..event });
                }
                self.next += 1;
            }
            offset += span_end - self.position;
            self.position = span_end;
            if self.looped && self.position >= self.sequence.length {
                self.position = 0;
                self.next = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sequence() -> Sequence {
        Sequence {
            events: vec![(0, Event::note_on(0, 0, 60, 1.0)), (7, Event::note_off(0, 0, 60, 0.0))],
            length: 10,
        }
    }

    #[test]
    fn events_land_at_their_offset_in_each_block() {
        let mut player = NotePlayer::new(sequence(), false);
        let mut out = Vec::with_capacity(8);
        player.fill(5, &mut out);
        assert_eq!(out, vec![Event::note_on(0, 0, 60, 1.0)]);
        out.clear();
        player.fill(5, &mut out);
        assert_eq!(out, vec![Event::note_off(2, 0, 60, 0.0)]);
        out.clear();
        player.fill(20, &mut out);
        assert!(out.is_empty(), "played once");
    }

    #[test]
    fn a_looped_sequence_wraps_inside_a_block() {
        let mut player = NotePlayer::new(sequence(), true);
        let mut out = Vec::with_capacity(8);
        player.fill(16, &mut out);
        let times: Vec<u32> = out.iter().map(|e| e.time).collect();
        assert_eq!(times, vec![0, 7, 10]);
    }

    #[test]
    fn a_full_buffer_drops_rather_than_grows() {
        let mut player = NotePlayer::new(sequence(), true);
        let mut out = Vec::with_capacity(1);
        player.fill(30, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out.capacity(), 1);
    }
}
