//! Getting a new build ready off the audio thread: a warm-up run that rejects a broken build before it is
//! heard, and a candidate that either adopts the running state or carries it over through save/load.

use crate::events::{ReloadTimings, StateOutcome};
use crate::instance::Instance;
use crate::library::LoadedLibrary;
use crate::protocol::{Candidate, Change, NO_TIME};
use overdub_abi::{Event, LogicInfo};
use overdub_shell::{AudioBlock, Engine, HostBlock, ParamSet, ProcessConfig, SavedState, ShellError};
use std::sync::Arc;
use std::time::Instant;

/// The configuration to warm up and prepare with when the shell has not been activated yet.
pub(crate) const DEFAULT_CONFIG: ProcessConfig =
    ProcessConfig { sample_rate: 48_000.0, max_block: 512, input_channels: 2, output_channels: 2 };

/// Blocks of test signal a new build must survive.
const WARM_UP_BLOCKS: usize = 8;

/// Runs a throw-away instance of `library` on a test signal (a sine, noise, an impulse, and a note for
/// instruments) at the shell's configuration. A build that panics, or outputs NaN or infinity, is rejected
/// here, before it reaches the audio thread. Returns the build's identity and parameters.
pub(crate) fn warm_up(library: &Arc<LoadedLibrary>, config: ProcessConfig) -> Result<LogicInfo, String> {
    let mut engine = Engine::new(library.create().map_err(|e| e.to_string())?).map_err(describe)?;
    let info = *engine.info();
    engine.activate(config).map_err(describe)?;
    let frames = config.max_block.clamp(1, 1024);
    let mut block = AudioBlock::new(config.input_channels, config.output_channels, frames);
    let mut noise = 0x2545_f491_u32;
    let mut phase = 0.0f64;
    for index in 0..WARM_UP_BLOCKS {
        for channel in 0..config.input_channels {
            let samples = block.input_mut(channel);
            for (i, sample) in samples.iter_mut().enumerate() {
                noise ^= noise << 13;
                noise ^= noise >> 17;
                noise ^= noise << 5;
                let white = (noise as f32 / u32::MAX as f32) * 2.0 - 1.0;
                let impulse = if index == 0 && i == 0 { 1.0 } else { 0.0 };
                *sample = 0.5 * (phase + i as f64 * 440.0 / config.sample_rate).sin() as f32 * 0.5
                    + 0.1 * white
                    + impulse;
            }
        }
        phase += frames as f64 * 440.0 / config.sample_rate;
        let events: &[Event] = match index {
            0 => &[Event::note_on(0, 0, 60, 0.8)],
            5 => &[Event::note_off(0, 0, 60, 0.0)],
            _ => &[],
        };
        engine.process(&mut block.buffer(frames), &HostBlock::events(events));
        if let Some(fault) = engine.fault() {
            return Err(format!(
                "the new build panicked in {} during its warm-up run: {}",
                fault.call, fault.message
            ));
        }
        for channel in 0..config.output_channels {
            if let Some(at) = block.output(channel).iter().position(|s| !s.is_finite()) {
                return Err(format!(
                    "the new build outputs {} (block {index}, channel {channel}, sample {at}) on a test signal; \
                     the running build stays",
                    block.output(channel)[at]
                ));
            }
        }
    }
    library.remember_info(info);
    Ok(info)
}

/// Passes `info` through when the new build is the same plugin as `running`: a host keys projects,
/// automation and presets by the plugin's id, so a build with another id is another plugin, not a new build.
pub(crate) fn same_plugin(running: Option<&LoadedLibrary>, info: LogicInfo) -> Result<LogicInfo, String> {
    match running.and_then(LoadedLibrary::info) {
        Some(old) if old.id != info.id => Err(format!(
            "the new build is plugin `{}`, the running one is `{}`: a host would treat it as another \
             plugin, so it is not swapped in (restore the id, or load the new plugin in a new instance)",
            info.id, old.id
        )),
        _ => Ok(info),
    }
}

/// Where the running state comes from when it must be migrated.
pub(crate) type StateSource<'a> = &'a mut dyn FnMut() -> Result<Vec<u8>, String>;

/// What a new build takes over from.
pub(crate) enum Predecessor<'a> {
    /// A running build, whose state is adopted (when `allow_adopt` and the layouts match) or migrated
    /// through `state`.
    Running {
        /// The build the shell runs.
        library: &'a LoadedLibrary,
        /// Whether the new build may take the running memory as it is.
        allow_adopt: bool,
        /// Where the running state comes from when it must be migrated.
        state: StateSource<'a>,
    },
    /// Nothing yet: the shell has had no build; `kept` is the project state a host gave it meanwhile.
    Nothing {
        /// Saved settings to start from.
        kept: Option<&'a [u8]>,
    },
}

/// Prepares `library` to take over from `predecessor` in a shell activated with `config`.
pub(crate) fn prepare(
    library: &Arc<LoadedLibrary>,
    info: LogicInfo,
    predecessor: Predecessor<'_>,
    config: Option<ProcessConfig>,
    timings: ReloadTimings,
) -> Result<Candidate, String> {
    let started = Instant::now();
    let new_engine = || -> Result<Box<Engine<Instance>>, String> {
        let mut engine = Box::new(
            Engine::<Instance>::new(library.create().map_err(|e| e.to_string())?).map_err(describe)?,
        );
        if let Some(config) = config {
            engine.activate(config).map_err(describe)?;
        }
        Ok(engine)
    };
    let (change, state, params_changed) = match predecessor {
        Predecessor::Running { library: running, allow_adopt, state } => {
            let params_changed = running.info().is_none_or(|old| old.params != info.params);
            if allow_adopt && library.can_adopt_from(running) {
                let change =
                    Change::Adopt { info, params: ParamSet::new(info.params), keep: Arc::clone(library) };
                (change, StateOutcome::Kept, params_changed)
            } else {
                let mut engine = new_engine()?;
                let outcome = migrate(&mut engine, state)?;
                (Change::Replace { engine }, outcome, params_changed)
            }
        }
        Predecessor::Nothing { kept } => {
            let mut engine = new_engine()?;
            let outcome = start_from(&mut engine, info, kept);
            (Change::Replace { engine }, outcome, true)
        }
    };
    Ok(Candidate {
        library: Some(Arc::clone(library)),
        change,
        state,
        params_changed,
        timings: ReloadTimings { prepare: started.elapsed(), ..timings },
        published_at: 0,
        swap_at: NO_TIME,
    })
}

/// The first build of a shell starts from the settings a host gave it while it had no build, when they are
/// this plugin's.
fn start_from(engine: &mut Engine<Instance>, info: LogicInfo, kept: Option<&[u8]>) -> StateOutcome {
    let Some(bytes) = kept else {
        return StateOutcome::Reset { reason: "the first build: there was nothing to carry".into() };
    };
    match SavedState::decode(bytes, info.id) {
        Ok(saved) => {
            for (id, value) in saved.params {
                let _ = engine.set_param(id, value);
            }
            StateOutcome::Reset {
                reason: "the first build: it starts from the project's saved settings".into(),
            }
        }
        Err(error) => StateOutcome::Reset {
            reason: format!("the first build: the project's saved settings were not taken ({error})"),
        },
    }
}

/// Loads the running build's state into the new engine. The new build refusing the state is a reset (it
/// starts fresh); the new build panicking on it rejects the build.
fn migrate(engine: &mut Engine<Instance>, running_state: StateSource<'_>) -> Result<StateOutcome, String> {
    let bytes = match running_state() {
        Ok(bytes) => bytes,
        Err(reason) => return Ok(StateOutcome::Reset { reason }),
    };
    match engine.load_logic_state(&bytes) {
        Ok(()) => Ok(StateOutcome::Migrated { bytes: bytes.len() }),
        Err(ShellError::LogicState(refused)) => {
            Ok(StateOutcome::Reset { reason: format!("the new build refused the old state: {refused}") })
        }
        Err(other) => Err(format!("loading the old state into the new build failed: {other}")),
    }
}

fn describe(error: ShellError) -> String {
    error.to_string()
}
