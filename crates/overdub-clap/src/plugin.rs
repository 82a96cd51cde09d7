//! The CLAP plugin type every export uses, written once against the [`Shell`] interface.

use crate::description::Description;
use crate::error::ClapError;
use crate::main_thread::MainThread;
use crate::mirror::ParamMirror;
use crate::notices::Notices;
use crate::processor::Processor;
use clack_extensions::audio_ports::PluginAudioPorts;
use clack_extensions::latency::PluginLatency;
use clack_extensions::note_ports::PluginNotePorts;
use clack_extensions::params::PluginParams;
use clack_extensions::state::PluginState;
use clack_extensions::tail::PluginTail;
use clack_plugin::prelude::*;
use overdub_shell::Shell;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};

/// How an exported plugin gets its shell; implemented by [`crate::export_clap!`], once per plugin crate.
///
/// # Safety
///
/// The [`Notices`] handed to [`Export::create_shell`] hold the host's handle of one plugin instance, which is
/// valid only until that instance is destroyed. An implementation must not let any clone of that `Arc` outlive
/// the shell it returns: every clone it makes (directly, or through a thread or callback it starts) must be
/// dropped before `create_shell` returns, or be owned by the returned shell and dropped, with any thread
/// holding one joined, when the shell is dropped. Leaking a clone (`mem::forget`, a `static`, a detached
/// thread) or leaking anything that owns one is undefined behaviour once the instance is gone. The same holds
/// when `create_shell` fails: whatever it started must be gone when it returns the error.
///
/// The hot build's `HotPluginShell` (whose report thread the shell joins on drop) and a shell that ignores
/// the notices both meet this.
pub unsafe trait Export: Sized + 'static {
    /// The shell the plugin drives: static or hot.
    type Shell: Shell + 'static;
    /// What hosts list.
    const DESCRIPTION: Description;
    /// Whether this is the reloading build (its id and name are marked so both builds can be installed).
    const HOT: bool;

    /// A running shell for a new plugin instance; reload reports go to `notices` (see the trait's safety
    /// section for what may keep them).
    fn create_shell(notices: &Arc<Notices>) -> Result<Self::Shell, ClapError>;
}

/// The CLAP plugin around the shell that `E` creates.
pub struct OverdubPlugin<E>(PhantomData<E>);

/// What every thread of one plugin instance shares.
pub struct Shared<'a, E: Export> {
    /// The shell. The main thread locks it for state, latency and parameter edits; the audio thread only
    /// ever tries the lock and outputs silence for a block it cannot get it, keeping the block's events for
    /// the next (see the crate docs).
    shell: Mutex<E::Shell>,
    /// Parameter values for the host's main-thread reads, published after every block.
    pub(crate) mirror: ParamMirror,
    /// Flags for the main thread and the host's log.
    pub(crate) notices: Arc<Notices>,
    _host: PhantomData<HostSharedHandle<'a>>,
}

impl<'a, E: Export> PluginShared<'a> for Shared<'a, E> {}

impl<'a, E: Export> Shared<'a, E> {
    fn new(host: HostSharedHandle<'a>) -> Result<Self, PluginError> {
        // SAFETY: the notices live in this shared data, which the plugin instance drops before it is
        // destroyed. `Export` is an unsafe trait whose implementations promise that no clone they are given
        // outlives the shell they return, and that shell lives in this same data (or is never created).
        let notices = Arc::new(unsafe { Notices::new(host) });
        let shell = E::create_shell(&notices).map_err(|error| {
            notices.log(clack_extensions::log::LogSeverity::Error, &error.to_string());
            PluginError::Error(Box::new(error))
        })?;
        let mirror = ParamMirror::default();
        mirror.publish(shell.params());
        Ok(Self { shell: Mutex::new(shell), mirror, notices, _host: PhantomData })
    }

    /// The shell, for the main thread. A panic while it was held cannot leave it inconsistent (the shell
    /// catches the logic's panics itself), so a poisoned lock is taken over.
    pub(crate) fn lock(&self) -> MutexGuard<'_, E::Shell> {
        self.shell.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The shell, for the audio thread: never waits.
    pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, E::Shell>> {
        match self.shell.try_lock() {
            Ok(guard) => Some(guard),
            Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }
}

impl<E: Export> Plugin for OverdubPlugin<E> {
    type AudioProcessor<'a> = Processor<'a, E>;
    type Shared<'a> = Shared<'a, E>;
    type MainThread<'a> = MainThread<'a, E>;

    fn declare_extensions(builder: &mut PluginExtensions<Self>, _shared: Option<&Self::Shared<'_>>) {
        builder
            .register::<PluginAudioPorts>()
            .register::<PluginParams>()
            .register::<PluginState>()
            .register::<PluginLatency>()
            .register::<PluginTail>();
        if E::DESCRIPTION.note_input {
            builder.register::<PluginNotePorts>();
        }
    }
}

impl<E: Export> DefaultPluginFactory for OverdubPlugin<E> {
    fn get_descriptor() -> PluginDescriptor {
        E::DESCRIPTION.descriptor(E::HOT)
    }

    fn new_shared(host: HostSharedHandle<'_>) -> Result<Self::Shared<'_>, PluginError> {
        Shared::new(host)
    }

    fn new_main_thread<'a>(
        host: HostMainThreadHandle<'a>,
        shared: &'a Self::Shared<'a>,
    ) -> Result<Self::MainThread<'a>, PluginError> {
        Ok(MainThread::new(host, shared))
    }
}
