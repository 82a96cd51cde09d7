//! The shell engine around compiled-in logic: sample-accurate parameters, events, faults, saved state, and
//! an allocation-free process path.

use overdub::alloc_counter::{CountingAllocator, count_allocations};
use overdub::prelude::*;
use overdub::{Identified, Identity, StateError, StateReader, StateWriter};
use overdub_abi::ParamChange;
use overdub_shell::{
    AudioBlock, Continuity, EVENTS_PER_WINDOW, HostBlock, ProcessConfig, SavedState, Shell, ShellError,
    ShellProcessor, StateFormatError, StaticProcessor, StaticShell,
};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const LEVEL_ID: u32 = param_id("level");

#[derive(Params)]
struct StaircaseParams {
    #[param(id = "level", range = 0.0..=10.0, default = 1.0)]
    level: FloatParam,
}

/// Writes the level parameter into every output sample and remembers what each window looked like.
#[derive(StateLayout)]
struct Staircase {
    windows: [(usize, usize); 64],
    window_count: usize,
    notes_seen: usize,
    note_times: [u32; 8],
    stored: f64,
}

/// Keeps `stored` through save and load, written by hand (what `#[derive(DspState)]` would write).
impl DspState for Staircase {
    fn save(&self, out: &mut StateWriter<'_>) {
        out.record(1).field("stored", &self.stored);
    }
    fn load(&mut self, input: &mut StateReader<'_>) -> Result<(), StateError> {
        input.record(|name, value| if name == "stored" { value.load(&mut self.stored) } else { Ok(()) })
    }
}

impl Identified for Staircase {
    const IDENTITY: Identity = Identity { id: "test.staircase", name: "Staircase" };
}

impl PluginLogic for Staircase {
    type Params = StaircaseParams;

    fn create() -> Self {
        Self { windows: [(0, 0); 64], window_count: 0, notes_seen: 0, note_times: [0; 8], stored: 0.0 }
    }
    /// Forgets the windows it saw: a reset clears what the logic holds.
    fn reset(&mut self, _sample_rate: f64, _max_block: usize) {
        self.window_count = 0;
    }
    fn process(&mut self, ctx: &mut Process<'_, StaircaseParams>) -> ProcessStatus {
        if self.window_count < self.windows.len() {
            self.windows[self.window_count] = (ctx.buffer.frames(), ctx.events.len());
        }
        self.window_count += 1;
        for event in ctx.events {
            if let EventBody::NoteOn(_) = event.body {
                if self.notes_seen < self.note_times.len() {
                    self.note_times[self.notes_seen] = event.time;
                }
                self.notes_seen += 1;
            }
        }
        let level = ctx.params.level.value();
        for mut frame in ctx.buffer.frames_mut() {
            frame.fill(level);
        }
        ProcessStatus::Normal
    }
}

#[derive(Params)]
struct FragileParams {
    #[param(id = "trigger")]
    trigger: BoolParam,
}

/// Panics when its trigger is on, and asks for its input to pass through while faulted.
#[derive(DspState)]
struct FragileEffect;

impl Identified for FragileEffect {
    const IDENTITY: Identity = Identity { id: "test.fragile", name: "Fragile" };
}

impl PluginLogic for FragileEffect {
    type Params = FragileParams;
    const ON_FAULT: OnFault = OnFault::PassThrough;
    fn create() -> Self {
        Self
    }
    fn process(&mut self, ctx: &mut Process<'_, FragileParams>) -> ProcessStatus {
        assert!(!ctx.params.trigger.value(), "triggered");
        for channel in 0..ctx.buffer.output_channels() {
            ctx.buffer.output(channel).unwrap().fill(0.25);
        }
        ProcessStatus::Normal
    }
}

fn param_event(time: u32, id: u32, value: f64) -> Event {
    Event { time, body: EventBody::ParamChange(ParamChange { index: 0, id, value }) }
}

const CONFIG: ProcessConfig =
    ProcessConfig { sample_rate: 48_000.0, max_block: 512, input_channels: 2, output_channels: 2 };

/// A shell's two halves, activated: the control (main thread) and the processor (audio thread).
fn active<T: Identified>() -> (StaticShell<T>, StaticProcessor<T>) {
    let mut shell = StaticShell::<T>::new().unwrap();
    let processor = shell.activate(CONFIG, Continuity::Reset).unwrap();
    (shell, processor)
}

fn run(processor: &mut impl ShellProcessor, block: &mut AudioBlock, frames: usize, events: &[Event]) {
    let mut buffer = block.buffer(frames);
    processor.process(&mut buffer, &HostBlock::events(events));
}

fn values(shell: &impl Shell) -> Vec<f64> {
    shell.params().snapshot().into_iter().map(|(_, value)| value).collect()
}

#[test]
fn parameter_changes_take_effect_at_their_exact_sample() {
    let (shell, mut processor) = active::<Staircase>();
    let mut block = AudioBlock::new(0, 2, 64);
    run(&mut processor, &mut block, 64, &[param_event(10, LEVEL_ID, 3.0), param_event(40, LEVEL_ID, 7.0)]);
    let out = block.output(1);
    assert!(out[..10].iter().all(|&s| s == 1.0), "{out:?}");
    assert!(out[10..40].iter().all(|&s| s == 3.0), "{out:?}");
    assert!(out[40..].iter().all(|&s| s == 7.0), "{out:?}");
    assert_eq!(values(&shell), [7.0], "the control sees the automated value");
    assert_eq!(&processor.logic().windows[..3], &[(10, 0), (30, 1), (24, 1)]);
}

#[test]
fn events_are_timed_from_the_start_of_their_window() {
    let (_shell, mut processor) = active::<Staircase>();
    let mut block = AudioBlock::new(0, 1, 64);
    let events =
        [Event::note_on(5, 0, 60, 1.0), param_event(40, LEVEL_ID, 2.0), Event::note_on(50, 0, 62, 1.0)];
    run(&mut processor, &mut block, 64, &events);
    assert_eq!(processor.logic().notes_seen, 2);
    assert_eq!(&processor.logic().note_times[..2], &[5, 10]);
}

#[test]
fn more_events_than_a_window_holds_are_all_delivered() {
    let (_shell, mut processor) = active::<Staircase>();
    let mut block = AudioBlock::new(0, 1, 512);
    let count = EVENTS_PER_WINDOW * 3 + 17;
    let events: Vec<Event> =
        (0..count).map(|i| Event::note_on((i * 512 / count) as u32, 0, 60, 1.0)).collect();
    run(&mut processor, &mut block, 512, &events);
    assert_eq!(processor.logic().notes_seen, count);
}

#[test]
fn unknown_parameters_are_ignored_in_events_and_refused_outside_them() {
    let (mut shell, mut processor) = active::<Staircase>();
    let mut block = AudioBlock::new(0, 1, 16);
    run(&mut processor, &mut block, 16, &[param_event(3, 999, 4.0)]);
    assert!(block.output(0).iter().all(|&s| s == 1.0));
    assert_eq!(shell.set_param(999, 1.0), Err(ShellError::UnknownParam(999)));
    assert_eq!(processor.set_param(999, 1.0), Err(ShellError::UnknownParam(999)));
    assert_eq!(shell.set_param(LEVEL_ID, 50.0), Ok(10.0), "values are constrained to the range");
    assert_eq!(processor.set_param(LEVEL_ID, -5.0), Ok(0.0), "on the audio thread too");
}

#[test]
fn a_panicking_effect_passes_its_input_through_when_it_chose_to() {
    let (mut shell, mut processor) = active::<FragileEffect>();
    let mut block = AudioBlock::new(2, 2, 32);
    block.input_mut(0).fill(0.5);
    run(&mut processor, &mut block, 32, &[]);
    assert!(block.output(0).iter().all(|&s| s == 0.25));
    shell.set_param(param_id("trigger"), 1.0).unwrap();
    run(&mut processor, &mut block, 32, &[]);
    assert!(block.output(0).iter().all(|&s| s == 0.5), "input passed through");
    let fault = shell.take_fault().expect("the control learns of the fault");
    assert!(fault.message.as_str().contains("triggered"), "{}", fault.message);
    run(&mut processor, &mut block, 32, &[]);
    assert_eq!(shell.take_fault(), None, "reported once");
}

#[test]
fn state_round_trips_into_a_fresh_instance() {
    let (mut shell, mut processor) = active::<Staircase>();
    shell.set_param(LEVEL_ID, 4.5).unwrap();
    let saved = shell.save_state();
    let (mut fresh, mut fresh_processor) = active::<Staircase>();
    assert!(fresh.load_state(&saved).unwrap().changed);
    assert_eq!(values(&fresh), [4.5]);
    let mut a = AudioBlock::new(0, 1, 8);
    let mut b = AudioBlock::new(0, 1, 8);
    run(&mut processor, &mut a, 8, &[]);
    run(&mut fresh_processor, &mut b, 8, &[]);
    assert_eq!(a.output(0), b.output(0));
    assert!(a.output(0).iter().all(|&s| s == 4.5), "the processor took the loaded value");
}

#[test]
fn saving_reads_what_automation_set_without_the_audio_thread() {
    let (shell, mut processor) = active::<Staircase>();
    let mut block = AudioBlock::new(0, 1, 8);
    run(&mut processor, &mut block, 8, &[param_event(2, LEVEL_ID, 8.0)]);
    let saved = SavedState::decode(&shell.save_state(), "test.staircase").unwrap();
    assert_eq!(saved.params, [(LEVEL_ID, 8.0)]);
    assert_eq!(saved.dropped_memory, 0);
}

#[test]
fn a_project_of_an_older_overdub_loads_its_values_and_says_its_memory_was_dropped() {
    let (mut shell, _processor) = active::<Staircase>();
    let mut body = Vec::new();
    body.extend_from_slice(&(14u32).to_le_bytes());
    body.extend_from_slice(b"test.staircase");
    body.extend_from_slice(&1u32.to_le_bytes());
    body.extend_from_slice(&LEVEL_ID.to_le_bytes());
    body.extend_from_slice(&3.5f64.to_le_bytes());
    body.extend_from_slice(&(100u64).to_le_bytes());
    body.extend_from_slice(&[9; 100]);
    let mut bytes = b"OVERDUB\0".to_vec();
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&0u16.to_le_bytes());
    bytes.extend_from_slice(&(body.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    let loaded = shell.load_state(&bytes).unwrap();
    assert_eq!(loaded.dropped_memory, 100);
    assert_eq!(values(&shell), [3.5]);
}

#[test]
fn a_restart_the_plugin_asked_for_keeps_the_logic_s_memory_and_a_host_activation_resets_it() {
    let (mut shell, mut processor) = active::<Staircase>();
    let mut block = AudioBlock::new(0, 1, 16);
    run(&mut processor, &mut block, 16, &[]);
    shell.deactivate(processor);
    let mut processor = shell.activate(CONFIG, Continuity::Keep).unwrap();
    assert_eq!(processor.logic().window_count, 1, "same configuration: kept");
    shell.deactivate(processor);
    let other = ProcessConfig { sample_rate: 44_100.0, ..CONFIG };
    let mut processor = shell.activate(other, Continuity::Keep).unwrap();
    assert_eq!(processor.logic().window_count, 0, "another configuration: reset");
    shell.deactivate(processor);
    let mut processor = shell.activate(other, Continuity::Reset).unwrap();
    assert_eq!(processor.logic().window_count, 0);
    assert!(matches!(shell.activate(other, Continuity::Reset), Err(ShellError::AlreadyActive)));
}

#[test]
fn garbled_truncated_or_foreign_state_is_refused_and_changes_nothing() {
    let (mut shell, _processor) = active::<Staircase>();
    shell.set_param(LEVEL_ID, 2.0).unwrap();
    let good = shell.save_state();
    shell.set_param(LEVEL_ID, 6.0).unwrap();

    let noise: Vec<u8> = (0..good.len()).map(|i| (i * 131 % 256) as u8).collect();
    let foreign = SavedState { plugin_id: "someone.else".into(), params: vec![], dropped_memory: 0 }.encode();
    let mut flipped = good.clone();
    *flipped.last_mut().unwrap() ^= 1;
    type Expectation = fn(&StateFormatError) -> bool;
    let cases: [(&[u8], Expectation); 4] = [
        (&noise, |e| matches!(e, StateFormatError::NotOverdubState)),
        (&good[..good.len() - 3], |e| matches!(e, StateFormatError::Truncated { .. })),
        (&flipped, |e| matches!(e, StateFormatError::Corrupted { .. })),
        (&foreign, |e| matches!(e, StateFormatError::WrongPlugin { .. })),
    ];
    for (bytes, expected) in cases {
        match shell.load_state(bytes) {
            Err(ShellError::StateFormat(e)) => assert!(expected(&e), "{e}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(values(&shell), [6.0], "nothing changed");
    }
    shell.load_state(&good).unwrap();
    assert_eq!(values(&shell), [2.0]);
}

#[test]
fn the_process_path_does_not_allocate() {
    let (mut shell, mut processor) = active::<Staircase>();
    let mut block = AudioBlock::new(2, 2, 512);
    let events: Vec<Event> = (0..40)
        .map(|i| {
            if i % 4 == 0 {
                param_event(i * 12, LEVEL_ID, f64::from(i) / 8.0)
            } else {
                Event::note_on(i * 12, 0, 60, 1.0)
            }
        })
        .collect();
    run(&mut processor, &mut block, 512, &events);
    shell.set_param(LEVEL_ID, 3.0).unwrap();
    let ((), allocations) = count_allocations(|| {
        for frames in [512, 64, 1, 0, 300] {
            run(&mut processor, &mut block, frames, &events[..events.len().min(frames / 12)]);
        }
        processor.set_param(LEVEL_ID, 2.0).unwrap();
    });
    assert_eq!(allocations, 0, "the main thread's edit and the audio thread's flush included");
}

#[test]
fn the_allocation_counter_sees_allocations() {
    let (v, allocations) = count_allocations(|| vec![1u8; 100]);
    assert_eq!(v.len(), 100);
    assert!(allocations >= 1);
}

#[derive(Params)]
struct GlideParams {
    #[param(id = "level", range = 0.0..=10.0, default = 1.0, smooth_ms = 1.0)]
    level: FloatParam,
}

/// Writes its glided level into every output sample.
#[derive(DspState)]
struct Glide;

impl Identified for Glide {
    const IDENTITY: Identity = Identity { id: "test.glide", name: "Glide" };
}

impl PluginLogic for Glide {
    type Params = GlideParams;
    fn create() -> Self {
        Self
    }
    fn process(&mut self, ctx: &mut Process<'_, GlideParams>) -> ProcessStatus {
        for mut frame in ctx.buffer.frames_mut() {
            frame.fill(ctx.params.level.next());
        }
        ProcessStatus::Normal
    }
}

#[test]
fn a_typed_parameter_glides_from_its_exact_sample_over_the_declared_time_at_the_activated_rate() {
    for rate in [48_000.0, 96_000.0] {
        let mut shell = StaticShell::<Glide>::new().unwrap();
        shell.set_param(LEVEL_ID, 2.0).unwrap();
        let mut processor = shell.activate(ProcessConfig::stereo(rate, 512), Continuity::Reset).unwrap();
        let mut block = AudioBlock::new(0, 2, 512);
        run(&mut processor, &mut block, 512, &[]);
        assert!(block.output(0).iter().all(|&s| s == 2.0), "a value set before activation is not glided to");
        run(&mut processor, &mut block, 512, &[param_event(10, LEVEL_ID, 4.0)]);
        let glide = (rate / 1000.0) as usize;
        let out = block.output(1);
        assert!(out[..10].iter().all(|&s| s == 2.0), "{rate}: nothing moves before the event's sample");
        assert!(
            out[10] > 2.0 && out[10] < 2.1,
            "{rate}: the glide starts at the event's sample: {}",
            out[10]
        );
        assert!(out[10..10 + glide].windows(2).all(|w| w[1] > w[0]), "{rate}: rising for 1 ms");
        assert!(out[10 + glide - 1..].iter().all(|&s| s == 4.0), "{rate}: arrived after 1 ms");
    }
}

#[test]
fn a_glide_keeps_time_across_blocks_and_allocates_nothing() {
    let (_shell, mut processor) = active::<Glide>();
    let mut block = AudioBlock::new(0, 1, 512);
    run(&mut processor, &mut block, 16, &[]);
    let ((), allocations) = count_allocations(|| {
        run(&mut processor, &mut block, 16, &[param_event(0, LEVEL_ID, 9.0)]);
        run(&mut processor, &mut block, 16, &[]);
    });
    assert_eq!(allocations, 0);
    let expected = 1.0 + 8.0 * 32.0 / 48.0;
    assert!((block.output(0)[15] - expected).abs() < 1e-4, "{} after 32 of 48 samples", block.output(0)[15]);
}
