//! The CLAP plugin type every export uses, written once against the [`Shell`] interface's two halves: the
//! control lives in the main-thread data, the processor in the audio processor, and the only things all of
//! the host's threads share are lock-free (the notices and the tail).

use crate::error::ClapError;
use crate::main_thread::MainThread;
use crate::notices::Notices;
use crate::processor::Processor;
use clack_extensions::audio_ports::PluginAudioPorts;
use clack_extensions::gui::PluginGui;
use clack_extensions::latency::PluginLatency;
use clack_extensions::note_ports::PluginNotePorts;
use clack_extensions::params::PluginParams;
use clack_extensions::state::PluginState;
use clack_extensions::tail::PluginTail;
use clack_extensions::timer::PluginTimer;
use clack_plugin::prelude::*;
use overdub_shell::AtomicTail;
use overdub_shell::Description;
use overdub_shell::Shell;
use std::marker::PhantomData;
use std::sync::Arc;

/// A shell as a CLAP plugin drives it: the [`Shell`] interface, and what the plugin's main thread does when
/// the host calls it back (a hot shell reports its reloads then).
pub trait PluginShell: Shell {
    /// Runs on the host's main thread after `request_callback`: reports what happened since.
    fn on_main_thread(&mut self, notices: &Notices) {
        let _ = notices;
    }
}

impl<T: overdub::Identified> PluginShell for overdub_shell::StaticShell<T> {}

/// How an exported plugin gets its shell; implemented by [`crate::export_clap!`], once per plugin crate.
///
/// # Safety
///
/// The [`Notices`] handed to [`Export::create_shell`] hold the host's handle of one plugin instance, which is
/// valid only until that instance is destroyed. An implementation must not let any clone of that `Arc` outlive
/// the shell it returns: every clone it makes (directly, or through a thread or callback it starts) must be
/// dropped before `create_shell` returns, or be owned by the returned shell and dropped, with any thread
/// holding one stopped from using it, when the shell is dropped. Leaking a clone (`mem::forget`, a `static`,
/// a detached thread) or leaking anything that owns one is undefined behaviour once the instance is gone. The
/// same holds when `create_shell` fails: whatever it started must be gone when it returns the error.
///
/// The hot build's `HotPluginShell` (whose wake-up callback the shell withdraws from its worker when dropped)
/// and a shell that ignores the notices both meet this.
pub unsafe trait Export: Sized + 'static {
    /// The shell the plugin drives: static or hot.
    type Shell: PluginShell;
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

/// What every thread of one plugin instance shares: lock-free only.
pub struct Shared<'a, E: Export> {
    /// Flags for the main thread and the host's log.
    pub(crate) notices: Arc<Notices>,
    /// The logic's tail as the last block reported it, for the host's queries from any thread.
    pub(crate) tail: AtomicTail,
    /// Allocations the plugin made on the audio thread while processing (its own code: the shell, the
    /// wrapper; a hot logic library counts and reports its own).
    pub(crate) allocations: std::sync::atomic::AtomicU64,
    _host: PhantomData<(HostSharedHandle<'a>, fn() -> E)>,
}

impl<'a, E: Export> PluginShared<'a> for Shared<'a, E> {}

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
            .register::<PluginTail>()
            .register::<PluginGui>()
            .register::<PluginTimer>();
        if E::DESCRIPTION.note_input {
            builder.register::<PluginNotePorts>();
        }
    }
}

impl<E: Export> DefaultPluginFactory for OverdubPlugin<E> {
    fn get_descriptor() -> PluginDescriptor {
        crate::description::descriptor(&E::DESCRIPTION, E::HOT)
    }

    fn new_shared(host: HostSharedHandle<'_>) -> Result<Self::Shared<'_>, PluginError> {
        // SAFETY: the notices live in this shared data, which the plugin instance drops before it is
        // destroyed. `Export` is an unsafe trait whose implementations promise that no clone they are given
        // outlives the shell they return, and that shell lives in the main-thread data, which is dropped
        // before the shared data.
        let notices = Arc::new(unsafe { Notices::new(host) });
        Ok(Shared { notices, tail: AtomicTail::new(), allocations: Default::default(), _host: PhantomData })
    }

    fn new_main_thread<'a>(
        host: HostMainThreadHandle<'a>,
        shared: &'a Self::Shared<'a>,
    ) -> Result<Self::MainThread<'a>, PluginError> {
        let shell = E::create_shell(&shared.notices).map_err(|error| {
            shared.notices.log(clack_extensions::log::LogSeverity::Error, &error.to_string());
            PluginError::Error(Box::new(error))
        })?;
        Ok(MainThread::new(host, shared, shell))
    }
}
