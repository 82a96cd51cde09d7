//! The plugin's main-thread side: activation bookkeeping and the notices raised by other threads, turned
//! into the host calls CLAP allows only here.

use crate::notices::Notice;
use crate::plugin::{Export, Shared};
use clack_extensions::latency::HostLatency;
use clack_extensions::log::LogSeverity;
use clack_extensions::params::{HostParams, ParamRescanFlags};
use clack_plugin::prelude::*;
use overdub_abi::ParamInfo;
use overdub_shell::{ProcessConfig, Shell};
use std::cell::{Cell, RefCell};

/// Main-thread state of one plugin instance.
pub struct MainThread<'a, E: Export> {
    pub(crate) host: HostMainThreadHandle<'a>,
    pub(crate) shared: &'a Shared<'a, E>,
    pub(crate) host_params: Option<HostParams>,
    host_latency: Option<HostLatency>,
    /// The parameter list as the host last scanned it.
    pub(crate) infos: RefCell<Vec<ParamInfo>>,
    active: Cell<bool>,
    reported_latency: Cell<Option<u32>>,
    rescan_all_pending: Cell<bool>,
    restart_requested: Cell<bool>,
}

impl<'a, E: Export> PluginMainThread<'a, Shared<'a, E>> for MainThread<'a, E> {
    fn on_main_thread(&self) {
        let notices = &self.shared.notices;
        if notices.take(Notice::Faulted) {
            let message = self.shared.lock().fault().map(|f| format!("{} panicked: {}", f.call, f.message));
            if let Some(message) = message {
                notices.log(LogSeverity::Error, &message);
            }
        }
        if notices.take(Notice::ParamsChanged) {
            self.rescan_all_pending.set(true);
        }
        // While inactive there is nothing to do: activation compares the latency with what the host knows and
        // tells it then, the only time CLAP allows it.
        if notices.take(Notice::LatencyMayHaveChanged) && self.active.get() {
            let latency = self.shared.lock().latency();
            if self.reported_latency.get() != Some(latency) {
                self.request_restart();
            }
        }
        if self.rescan_all_pending.get() {
            if self.active.get() {
                // The rescan happens in `deactivated`, on the host's way to the restart.
                self.request_restart();
            } else {
                self.rescan_all_pending.set(false);
                self.rescan_all();
            }
        }
    }
}

impl<'a, E: Export> MainThread<'a, E> {
    pub(crate) fn new(host: HostMainThreadHandle<'a>, shared: &'a Shared<'a, E>) -> Self {
        Self {
            host_params: host.get_extension(),
            host_latency: host.get_extension(),
            infos: RefCell::new(shared.lock().params().infos().to_vec()),
            host,
            shared,
            active: Cell::new(false),
            reported_latency: Cell::new(None),
            rescan_all_pending: Cell::new(false),
            restart_requested: Cell::new(false),
        }
    }

    /// Asks the host to deactivate and reactivate the plugin, once per activation: the changes that wait for
    /// it happen in [`Self::deactivated`] and [`Self::activate`].
    fn request_restart(&self) {
        if !self.restart_requested.replace(true) {
            self.host.request_restart();
        }
    }

    /// Tells the host the latency changed. CLAP allows it only during activation.
    fn report_latency(&self) {
        if let Some(host_latency) = &self.host_latency {
            host_latency.changed(&self.host);
        }
    }

    fn rescan_all(&self) {
        let shell = self.shared.lock();
        *self.infos.borrow_mut() = shell.params().infos().to_vec();
        self.shared.mirror.publish(shell.params());
        drop(shell);
        if let Some(params) = &self.host_params {
            params.rescan(&self.host, ParamRescanFlags::ALL);
        }
    }

    /// Activates the shell for `config`; tells the host when the latency differs from what it knows.
    pub(crate) fn activate(&self, config: ProcessConfig) -> Result<(), PluginError> {
        let mut shell = self.shared.lock();
        shell.activate(config)?;
        let latency = shell.latency();
        drop(shell);
        if self.reported_latency.replace(Some(latency)).is_some_and(|known| known != latency) {
            self.report_latency();
        }
        self.active.set(true);
        self.restart_requested.set(false);
        Ok(())
    }

    /// The host deactivated the plugin: a full parameter rescan that waited for it happens now (CLAP allows
    /// it while the plugin is deactivated). Waiting for a later main-thread callback would miss it: a host
    /// that restarts the plugin reactivates it right away.
    pub(crate) fn deactivated(&self) {
        self.active.set(false);
        let reloaded = self.shared.notices.take(Notice::ParamsChanged);
        if self.rescan_all_pending.replace(false) || reloaded {
            self.rescan_all();
        }
    }

    /// The latency the host was last told, querying the shell when it was never asked.
    pub(crate) fn latency(&self) -> u32 {
        let latency = self.shared.lock().latency();
        self.reported_latency.set(Some(latency));
        latency
    }
}
