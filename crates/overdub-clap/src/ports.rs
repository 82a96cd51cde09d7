//! The audio-ports, note-ports, latency and tail extensions: what the author declared and what the logic
//! reports (the tail as its last block's status said).

use crate::main_thread::MainThread;
use crate::plugin::Export;
use crate::processor::Processor;
use clack_extensions::audio_ports::{
    AudioPortFlags, AudioPortInfo, AudioPortInfoWriter, AudioPortType, PluginAudioPortsImpl,
};
use clack_extensions::latency::PluginLatencyImpl;
use clack_extensions::note_ports::{
    NoteDialect, NoteDialects, NotePortInfo, NotePortInfoWriter, PluginNotePortsImpl,
};
use clack_extensions::tail::{PluginTailImpl, TailLength};
use clack_plugin::prelude::ClapId;

/// The id of the main port in each direction.
const MAIN_PORT: ClapId = ClapId::new(0);

impl<E: Export> PluginAudioPortsImpl for MainThread<'_, E> {
    fn count(&self, is_input: bool) -> u32 {
        u32::from(E::DESCRIPTION.audio.channels(is_input) > 0)
    }

    fn get(&self, index: u32, is_input: bool, writer: &mut AudioPortInfoWriter) {
        let layout = E::DESCRIPTION.audio;
        let channel_count = layout.channels(is_input);
        if index != 0 || channel_count == 0 {
            return;
        }
        let paired = layout.inputs > 0 && layout.outputs > 0;
        writer.set(&AudioPortInfo {
            id: MAIN_PORT,
            name: if is_input { b"main in" } else { b"main out" },
            channel_count,
            flags: AudioPortFlags::IS_MAIN,
            port_type: AudioPortType::from_channel_count(channel_count),
            in_place_pair: paired.then_some(MAIN_PORT),
        });
    }
}

impl<E: Export> PluginNotePortsImpl for MainThread<'_, E> {
    fn count(&self, is_input: bool) -> u32 {
        u32::from(is_input && E::DESCRIPTION.note_input)
    }

    fn get(&self, index: u32, is_input: bool, writer: &mut NotePortInfoWriter) {
        if index == 0 && is_input && E::DESCRIPTION.note_input {
            writer.set(&NotePortInfo {
                id: MAIN_PORT,
                name: b"notes",
                supported_dialects: NoteDialects::CLAP | NoteDialects::MIDI,
                preferred_dialect: Some(NoteDialect::Clap),
            });
        }
    }
}

impl<E: Export> PluginLatencyImpl for MainThread<'_, E> {
    fn get(&self) -> u32 {
        self.latency()
    }
}

impl<E: Export> PluginTailImpl for Processor<'_, E> {
    fn get(&self) -> TailLength {
        self.tail().map_or(TailLength::Infinite, TailLength::Finite)
    }
}
