//! The plugin's main-thread side: the shell's control, activation bookkeeping, and the notices raised by
//! other threads turned into the host calls CLAP allows only here. Nothing here waits for the audio thread:
//! the control shares only lock-free structures with the processor.

use crate::gestures::{self, EditReceiver, EditSender};
use crate::gui::Gui;
use crate::notices::Notice;
use crate::plugin::{Export, PluginShell, Shared};
use clack_extensions::latency::HostLatency;
use clack_extensions::log::LogSeverity;
use clack_extensions::params::{HostParams, ParamRescanFlags};
use clack_extensions::timer::HostTimer;
use clack_plugin::prelude::*;
use overdub_shell::{Continuity, ProcessConfig, Shell};
use std::cell::{Cell, RefCell};

/// The processor a shell hands out.
pub(crate) type ShellProcessorOf<E> = <<E as Export>::Shell as Shell>::Processor;

/// Main-thread state of one plugin instance.
pub struct MainThread<'a, E: Export> {
    pub(crate) host: HostMainThreadHandle<'a>,
    pub(crate) shared: &'a Shared<'a, E>,
    pub(crate) host_params: Option<HostParams>,
    host_latency: Option<HostLatency>,
    pub(crate) host_timer: Option<HostTimer>,
    /// The shell's control. Borrowed only for the length of one call into it, never across a call into the
    /// host (which may call the plugin back).
    pub(crate) shell: RefCell<E::Shell>,
    active: Cell<bool>,
    reported_latency: Cell<Option<u32>>,
    rescan_all_pending: Cell<bool>,
    restart_requested: Cell<bool>,
    /// The deactivation and activation under way are the restart this plugin asked for.
    restarting_for_us: Cell<bool>,
    /// The editor, while the host has one created.
    pub(crate) gui: RefCell<Option<Gui>>,
    /// Where the editor's parameter gestures are queued for the host.
    pub(crate) edits: RefCell<EditSender>,
    /// The queue's other end while inactive (the processor holds it while active).
    pub(crate) edit_receiver: RefCell<Option<EditReceiver>>,
}

impl<'a, E: Export> PluginMainThread<'a, Shared<'a, E>> for MainThread<'a, E> {
    fn on_main_thread(&self) {
        let notices = &self.shared.notices;
        notices.take(Notice::Reports);
        let fault = {
            let mut shell = self.shell.borrow_mut();
            shell.on_main_thread(notices);
            shell.take_fault()
        };
        notices.take(Notice::Faulted);
        if let Some(fault) = fault {
            notices.log(LogSeverity::Error, &format!("overdub: {} panicked: {}", fault.call, fault.message));
        }
        if notices.take(Notice::Allocated) {
            let count = self.shared.allocations.load(std::sync::atomic::Ordering::Relaxed);
            notices.log(
                LogSeverity::Warning,
                &format!("overdub: the plugin allocated {count} times on the audio thread"),
            );
        }
        if notices.take(Notice::ParamsChanged) {
            self.rescan_all_pending.set(true);
        }
        // While inactive there is nothing to do: activation compares the latency with what the host knows and
        // tells it then, the only time CLAP allows it.
        if notices.take(Notice::LatencyMayHaveChanged) && self.active.get() {
            let latency = self.shell.borrow().latency();
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
    pub(crate) fn new(host: HostMainThreadHandle<'a>, shared: &'a Shared<'a, E>, shell: E::Shell) -> Self {
        let (edits, edit_receiver) = gestures::queue();
        Self {
            host_params: host.get_extension(),
            host_latency: host.get_extension(),
            host_timer: host.get_extension(),
            gui: RefCell::new(None),
            edits: RefCell::new(edits),
            edit_receiver: RefCell::new(Some(edit_receiver)),
            host,
            shared,
            shell: RefCell::new(shell),
            active: Cell::new(false),
            reported_latency: Cell::new(None),
            rescan_all_pending: Cell::new(false),
            restart_requested: Cell::new(false),
            restarting_for_us: Cell::new(false),
        }
    }

    /// Asks the host to deactivate and reactivate the plugin, once per activation: the changes that wait for
    /// it happen in [`Self::deactivated`] and [`Self::activate`], and the logic keeps its memory across it.
    fn request_restart(&self) {
        if !self.restart_requested.replace(true) {
            self.restarting_for_us.set(true);
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
        if let Some(params) = &self.host_params {
            params.rescan(&self.host, ParamRescanFlags::ALL);
        }
    }

    /// Activates the shell for `config` and hands out its processor; tells the host when the latency differs
    /// from what it knows. A restart this plugin asked for keeps the logic's memory.
    pub(crate) fn activate(
        &self,
        config: ProcessConfig,
    ) -> Result<(ShellProcessorOf<E>, EditReceiver), PluginError> {
        let continuity =
            if self.restarting_for_us.replace(false) { Continuity::Keep } else { Continuity::Reset };
        let (processor, latency) = {
            let mut shell = self.shell.borrow_mut();
            let processor = shell.activate(config, continuity)?;
            (processor, shell.latency())
        };
        if self.reported_latency.replace(Some(latency)).is_some_and(|known| known != latency) {
            self.report_latency();
        }
        self.active.set(true);
        self.restart_requested.set(false);
        let edits =
            self.edit_receiver.borrow_mut().take().expect("only an inactive plugin holds the queue's end");
        Ok((processor, edits))
    }

    /// The host deactivated the plugin: the processor comes back to the shell, and a full parameter rescan
    /// that waited for it happens now (CLAP allows it while the plugin is deactivated). Waiting for a later
    /// main-thread callback would miss it: a host that restarts the plugin reactivates it right away.
    pub(crate) fn deactivated(&self, processor: ShellProcessorOf<E>, edits: EditReceiver) {
        *self.edit_receiver.borrow_mut() = Some(edits);
        self.shell.borrow_mut().deactivate(processor);
        self.active.set(false);
        let reloaded = self.shared.notices.take(Notice::ParamsChanged);
        if self.rescan_all_pending.replace(false) || reloaded {
            self.rescan_all();
        }
    }

    /// The latency the host is told.
    pub(crate) fn latency(&self) -> u32 {
        let latency = self.shell.borrow().latency();
        self.reported_latency.set(Some(latency));
        latency
    }
}
