//! The editor's parameter edits on their way to the host: queued on the main thread (the value is already
//! in the shell's parameters), written by the audio thread as CLAP output events, begin and end around the
//! values, at the next `process` or parameter flush. One module holds both ends of the queue.

use clack_plugin::events::Pckn;
use clack_plugin::events::event_types::{ParamGestureBeginEvent, ParamGestureEndEvent, ParamValueEvent};
use clack_plugin::events::io::OutputEvents;
use clack_plugin::prelude::ClapId;
use overdub_window::{Gesture, Gestures};

/// Edits the queue holds: far more than a user makes between two blocks.
const CAPACITY: usize = 1024;

/// The main thread's end: what the editor's gestures are pushed into.
pub(crate) type EditSender = rtrb::Producer<Gesture>;
/// The end that writes the host's events: the processor's while active, the main thread's while not.
pub(crate) type EditReceiver = rtrb::Consumer<Gesture>;

/// A new queue.
pub(crate) fn queue() -> (EditSender, EditReceiver) {
    rtrb::RingBuffer::new(CAPACITY)
}

/// The editor's gestures pushed into the queue; `pushed` tells the caller to ask the host for a flush.
pub(crate) struct Queued<'a> {
    pub(crate) sender: &'a mut EditSender,
    pub(crate) pushed: bool,
}

impl Gestures for Queued<'_> {
    fn gesture(&mut self, gesture: Gesture) {
        // A full queue means the host stopped calling process and flush: the value is in the shell anyway.
        self.pushed |= self.sender.push(gesture).is_ok();
    }
}

/// Writes every queued edit to the host as gesture-begin, value and gesture-end events. Real-time safe:
/// lock-free pops and pushes into the host's buffer, nothing allocated.
pub(crate) fn write(receiver: &mut EditReceiver, out: &mut OutputEvents<'_>) {
    while let Ok(edit) = receiver.pop() {
        let pushed = match edit {
            Gesture::Begin(id) => {
                ClapId::from_raw(id).map(|id| out.try_push(ParamGestureBeginEvent::new(0, id)))
            }
            Gesture::Value(id, value) => ClapId::from_raw(id)
                .map(|id| out.try_push(ParamValueEvent::new(0, id, Pckn::match_all(), value))),
            Gesture::End(id) => ClapId::from_raw(id).map(|id| out.try_push(ParamGestureEndEvent::new(0, id))),
        };
        if matches!(pushed, Some(Err(_))) {
            return;
        }
    }
}
