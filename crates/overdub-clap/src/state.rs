//! The state extension over the shell's versioned container (magic, version, length, checksum over every
//! byte, plugin id, range-checked values): what a host saves is the plugin's settings, read on the main
//! thread without touching the audio thread; bytes that are not this plugin's state are an error to the
//! host, and the plugin keeps running on the values it had.

use crate::main_thread::MainThread;
use crate::plugin::Export;
use clack_extensions::log::LogSeverity;
use clack_extensions::params::ParamRescanFlags;
use clack_extensions::state::PluginStateImpl;
use clack_plugin::prelude::PluginError;
use clack_plugin::stream::{InputStream, OutputStream};
use overdub_shell::Shell;
use std::io::{Read, Write};

/// Largest state accepted from a host: guards against a stream that never ends.
pub(crate) const MAX_STATE_BYTES: u64 = 1 << 30;

impl<E: Export> PluginStateImpl for MainThread<'_, E> {
    fn save(&self, output: &mut OutputStream) -> Result<(), PluginError> {
        let bytes = self.shell.borrow().save_state();
        output.write_all(&bytes)?;
        Ok(())
    }

    fn load(&self, input: &mut InputStream) -> Result<(), PluginError> {
        let mut bytes = Vec::new();
        input.take(MAX_STATE_BYTES).read_to_end(&mut bytes)?;
        let loaded = self.shell.borrow_mut().load_state(&bytes)?;
        if loaded.dropped_memory > 0 {
            self.shared.notices.log(
                LogSeverity::Warning,
                &format!(
                    "overdub: this project was saved by an earlier overdub with the plugin's DSP memory in it \
                     ({} bytes); its parameter values are restored, the memory was dropped (projects now hold \
                     settings only)",
                    loaded.dropped_memory
                ),
            );
        }
        if loaded.changed
            && let Some(params) = &self.host_params
        {
            params.rescan(&self.host, ParamRescanFlags::VALUES);
        }
        Ok(())
    }
}
