//! The state extension over the shell's versioned container (magic, version, length, checksum, plugin id,
//! range-checked values): bytes that are not this plugin's state are an error to the host, and the plugin
//! keeps running on the values it had.

use crate::main_thread::MainThread;
use crate::plugin::Export;
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
        let bytes = self.shared.lock().save_state()?;
        output.write_all(&bytes)?;
        Ok(())
    }

    fn load(&self, input: &mut InputStream) -> Result<(), PluginError> {
        let mut bytes = Vec::new();
        input.take(MAX_STATE_BYTES).read_to_end(&mut bytes)?;
        let mut shell = self.shared.lock();
        let before = shell.params().values().to_vec();
        shell.load_state(&bytes)?;
        let changed = shell.params().values() != before.as_slice();
        self.shared.mirror.publish(shell.params());
        drop(shell);
        if changed && let Some(params) = &self.host_params {
            params.rescan(&self.host, ParamRescanFlags::VALUES);
        }
        Ok(())
    }
}
