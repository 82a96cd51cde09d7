//! A host in miniature for pipeline tests: plays stereo blocks through a watching hot shell with a steady
//! sample clock, records what it heard, counts every allocation on its "audio thread", and waits for reload
//! events the way a host's UI would.

use crate::common::{BLOCK, Workspace, config};
use overdub::alloc_counter::count_allocations;
use overdub_abi::Event;
use overdub_loader::{HotOptions, HotProcessor, HotShell, ReloadEvent};
use overdub_shell::{AudioBlock, Continuity, HostBlock, Shell, ShellProcessor};
use overdub_testkit::{EventLog, test_deadline};
use std::path::Path;
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

pub struct Player {
    /// The shell's main-thread half (this test's "main thread").
    pub shell: HotShell,
    /// Its audio-thread half, played by [`Player::block`].
    pub processor: HotProcessor,
    /// Every event received, in order, each claimed by at most one wait; waits end at the test's deadline.
    pub reports: EventLog<ReloadEvent>,
    block: AudioBlock,
    /// Steady time of the next block.
    pub time: u64,
    /// Left input and output of every block played.
    pub input: Vec<f32>,
    pub output: Vec<f32>,
    /// Allocations made while processing, over all blocks.
    pub allocations: u64,
    /// Events for the next block (sent once).
    pub events: Vec<Event>,
    /// Where the next wait begins looking: after the latest change to the library, and after the event the
    /// previous wait claimed (one worker sends them all, in the order things happen).
    since: usize,
    /// Where the events caused by the latest change begin.
    changed_at: usize,
}

impl Player {
    pub fn watch(library: &Path) -> Self {
        let (tx, reports) = channel();
        let options = HotOptions { events: Some(tx), ..HotOptions::default() };
        let mut shell = HotShell::watch(library, options).expect("the library loads and is watched");
        let processor = shell.activate(config(), Continuity::Reset).expect("activate");
        Self {
            shell,
            processor,
            reports: EventLog::new(reports, test_deadline()),
            block: AudioBlock::new(2, 2, BLOCK),
            time: 0,
            input: Vec::new(),
            output: Vec::new(),
            allocations: 0,
            events: Vec::with_capacity(16),
            since: 0,
            changed_at: 0,
        }
    }

    /// Plays one block of `signal` (a function of the steady time) and returns its left output.
    pub fn block(&mut self, signal: &impl Fn(u64) -> f32) -> &[f32] {
        for channel in 0..2 {
            for (i, sample) in self.block.input_mut(channel).iter_mut().enumerate() {
                *sample = signal(self.time + i as u64);
            }
        }
        let (processor, block, events) = (&mut self.processor, &mut self.block, &self.events);
        let host = HostBlock { events, steady_time: Some(self.time), ..HostBlock::default() };
        let ((), allocations) = count_allocations(|| {
            processor.process(&mut block.buffer(BLOCK), &host);
        });
        self.allocations += allocations;
        self.events.clear();
        self.time += BLOCK as u64;
        self.input.extend_from_slice(self.block.input_mut(0));
        self.output.extend_from_slice(self.block.output(0));
        &self.output[self.output.len() - BLOCK..]
    }

    pub fn play(&mut self, blocks: usize, signal: &impl Fn(u64) -> f32) {
        for _ in 0..blocks {
            self.block(signal);
        }
    }

    /// Writes the fixture `name` over the watched library as a linker does; from now on waits only look at
    /// what happened after it, so an event of an earlier build cannot stand in for one of this build.
    pub fn install(&mut self, workspace: &Workspace, name: &str) {
        self.after(|| workspace.install(name));
    }

    /// Does `change` to the library; from now on waits only look at what happened after it.
    pub fn after(&mut self, change: impl FnOnce()) {
        self.since = self.reports.mark();
        self.changed_at = self.since;
        change();
    }

    /// Plays blocks, each followed by up to a millisecond of waiting for events (the block clock), until an
    /// event `wanted` accepts has arrived after the latest change and the previous wait's event; returns it.
    pub fn play_until(
        &mut self,
        signal: &impl Fn(u64) -> f32,
        wanted: impl Fn(&ReloadEvent) -> bool,
    ) -> ReloadEvent {
        loop {
            if let Some((index, event)) = self.reports.claim_since(self.since, &wanted) {
                self.since = index + 1;
                return event;
            }
            self.reports.deadline().check(|| format!("no such event; saw {:#?}", self.reports.seen()));
            self.block(signal);
            self.reports.pump(Duration::from_millis(1));
        }
    }

    /// Plays until the shell reports a swap, and returns it.
    pub fn play_until_swapped(&mut self, signal: &impl Fn(u64) -> f32) -> ReloadEvent {
        self.play_until(signal, |e| matches!(e, ReloadEvent::Swapped { .. }))
    }

    /// Plays on until no event has arrived for `quiet` of playing: the pipeline has settled.
    pub fn play_until_quiet(&mut self, signal: &impl Fn(u64) -> f32, quiet: Duration) {
        let mut last = Instant::now();
        while last.elapsed() < quiet {
            self.block(signal);
            if self.reports.pump(Duration::from_millis(1)) {
                last = Instant::now();
            }
            self.reports
                .deadline()
                .check(|| format!("the pipeline never settled: {:#?}", self.reports.seen()));
        }
    }

    /// Events received so far that `wanted` accepts.
    pub fn count(&self, wanted: impl Fn(&ReloadEvent) -> bool) -> usize {
        self.reports.count(wanted)
    }

    /// The latest value of the parameter with `id`, as the shell's control sees it.
    pub fn value(&self, id: u32) -> f64 {
        self.shell.params().value_of(id).expect("a parameter of the logic")
    }

    /// Whether the running instance is faulted now.
    pub fn faulted(&mut self) -> bool {
        self.processor.engine_mut().fault().is_some()
    }

    /// Events received since the latest change that `wanted` accepts.
    pub fn count_since_change(&self, wanted: impl Fn(&ReloadEvent) -> bool) -> usize {
        self.reports.seen()[self.changed_at..].iter().filter(|e| wanted(e)).count()
    }
}

/// A recognisable, continuous test signal.
pub fn sine(time: u64) -> f32 {
    (time as f32 * 0.01).sin() * 0.5
}

/// One sample of 1.0 at time 0, then silence.
pub fn impulse(time: u64) -> f32 {
    if time == 0 { 1.0 } else { 0.0 }
}
