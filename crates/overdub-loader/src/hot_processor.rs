//! The audio-thread half of a hot shell: runs the engine, and switches to each new build at a block boundary
//! without waiting, allocating or locking (the receiving end of [`crate::protocol`]).

use crate::crossfade::{Alignment, Crossfade, SILENCE};
use crate::instance::Instance;
use crate::library::LoadedLibrary;
use crate::protocol::{Candidate, Change, Link, NO_TIME, Outcome, Retired, now_nanos};
use overdub_abi::{AudioBuffer, LogicInfo, Message, ProcessStatus};
use overdub_shell::{AudioBlock, HostBlock, ProcessConfig, ProcessorCore, ShellError, ShellProcessor};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Blocks a candidate may wait for its steady time before switching anyway (a host whose steady time jumped
/// back, or an instance the host stopped calling).
const MAX_WAIT_BLOCKS: u32 = 8;

/// Blocks between two reads of the logic's allocation count: it is a report for the developer, and a call
/// into the library every block would cost every block.
const ALLOCATIONS_EVERY: u32 = 64;

/// The audio-thread half of a [`crate::HotShell`], handed out by its activation.
pub struct HotProcessor {
    pub(crate) core: ProcessorCore<Instance>,
    /// The build the engine runs (none before the first build arrived).
    pub(crate) library: Option<Arc<LoadedLibrary>>,
    pub(crate) parts: Parts,
}

/// What a hot processor keeps between activations: the control holds it while the plugin is inactive.
pub(crate) struct Parts {
    pub link: Arc<Link>,
    pub retire: rtrb::Producer<Retired>,
    /// A candidate taken from the slot, waiting for its steady time.
    pub waiting: Option<Box<Candidate>>,
    pub waited: u32,
    /// The previous build still sounding through a crossfade.
    pub fading: Option<(Box<Candidate>, Crossfade)>,
    /// When the fading candidate switched in (nanoseconds since `protocol::epoch`).
    pub fade_started: u64,
    /// A retired candidate the queue had no room for yet.
    pub unretired: Option<Retired>,
    pub scratch: AudioBlock,
    pub align: Alignment,
    pub crossfade: Duration,
    /// Blocks processed, to pace the allocation reads.
    pub blocks: u32,
}

impl Parts {
    /// Sizes the crossfade buffers for `config`. Not real-time safe.
    pub(crate) fn configure(&mut self, config: ProcessConfig) {
        self.scratch = AudioBlock::new(config.input_channels, config.output_channels, config.max_block);
        self.align = Alignment::new(config.output_channels);
    }
}

impl HotProcessor {
    /// The build running now (none before the first arrived).
    pub fn library(&self) -> Option<&Arc<LoadedLibrary>> {
        self.library.as_ref()
    }

    /// The engine, for callers that need more than the [`ShellProcessor`] interface (tests, tools).
    pub fn engine_mut(&mut self) -> &mut overdub_shell::Engine<Instance> {
        self.core.engine_mut()
    }

    /// Answers the worker's request for a state snapshot, if one is waiting. The state is written into the
    /// request's own buffer, never grown.
    fn answer_snapshot(&mut self) {
        let Some(mut request) = self.parts.link.snapshot_request.take() else { return };
        request.outcome = self
            .core
            .engine_mut()
            .save_logic_state_bounded(&mut request.bytes)
            .map_err(|_| Message::from("the running build is faulted; its state cannot be saved"));
        // The worker empties the reply slot before every request, so nothing is displaced; if something were,
        // leaking it beats freeing memory on the audio thread.
        let _ = self.parts.link.snapshot_reply.put(request).map(std::mem::forget);
    }

    /// Takes a published candidate and switches to it when its time has come.
    fn take_candidate(&mut self, steady_time: Option<u64>) {
        let parts = &mut self.parts;
        if parts.waiting.is_none() {
            parts.waiting = parts.link.pending.take();
            parts.waited = 0;
        }
        let Some(candidate) = &parts.waiting else { return };
        let due = match steady_time {
            Some(time) if candidate.swap_at != NO_TIME => time >= candidate.swap_at,
            _ => true,
        };
        // Retire room first: the switch hands back the old build.
        self.flush_unretired();
        let parts = &mut self.parts;
        let blocked = parts.fading.is_some() || parts.unretired.is_some();
        if (!due && parts.waited < MAX_WAIT_BLOCKS) || blocked {
            parts.waited += 1;
            return;
        }
        if let Some(candidate) = parts.waiting.take() {
            self.switch(candidate);
        }
    }

    /// Switches to `candidate`: adopts the running state or replaces the engine, then hands the candidate,
    /// now holding the old build, back to the worker (after a crossfade when there is one).
    fn switch(&mut self, mut candidate: Box<Candidate>) {
        let at = now_nanos();
        let engine = self.core.engine_mut();
        let crossfaded = match &mut candidate.change {
            Change::Adopt { info, params, keep } => {
                // Checked again here: the shell may run another build than the one this was prepared against.
                let Some(running) = &self.library else {
                    return self.retire(candidate, Outcome::Refused);
                };
                if !keep.can_adopt_from(running) {
                    return self.retire(candidate, Outcome::Refused);
                }
                // SAFETY: the running instance was made (or last adopted) by `running`, whose fingerprint was
                // just checked equal to the new library's and non-zero, which is `adopt_by`'s contract.
                unsafe { engine.logic_mut().adopt_by(keep) };
                engine.swap_code(info, params);
                false
            }
            Change::Replace { engine: next } if next.config() != engine.config() => {
                // Prepared for an activation the host has since replaced: prepare it again.
                return self.retire(candidate, Outcome::Refused);
            }
            Change::Replace { engine: next } => {
                let old_latency = engine.latency();
                engine.switch_to(next);
                let new_latency = engine.latency();
                self.core.shared().set_latency(new_latency);
                self.parts.align.start(old_latency, new_latency);
                self.crossfade_frames() > 0
            }
        };
        std::mem::swap(&mut self.library, &mut candidate.library);
        if crossfaded {
            let frames = self.crossfade_frames();
            self.parts.fading = Some((candidate, Crossfade::new(frames)));
            self.parts.fade_started = at;
        } else {
            self.retire(candidate, Outcome::Switched { at, crossfaded: false });
        }
    }

    fn crossfade_frames(&mut self) -> usize {
        let crossfade = self.parts.crossfade;
        self.core.engine_mut().config().map_or(0, |c| (crossfade.as_secs_f64() * c.sample_rate) as usize)
    }

    /// Hands a candidate back to the worker; if the queue is full, keeps it until there is room.
    fn retire(&mut self, candidate: Box<Candidate>, outcome: Outcome) {
        if let Err(rtrb::PushError::Full(retired)) = self.parts.retire.push(Retired { candidate, outcome }) {
            self.parts.unretired = Some(retired);
        }
    }

    fn flush_unretired(&mut self) {
        if let Some(retired) = self.parts.unretired.take()
            && let Err(rtrb::PushError::Full(retired)) = self.parts.retire.push(retired)
        {
            self.parts.unretired = Some(retired);
        }
    }

    /// Stops a crossfade at once and retires the old build.
    pub(crate) fn end_fade(&mut self) {
        if let Some((candidate, _)) = self.parts.fading.take() {
            let at = self.parts.fade_started;
            self.retire(candidate, Outcome::Switched { at, crossfaded: true });
        }
    }

    /// Runs the previous build beside the new one for this block and mixes its output in.
    fn crossfade_block(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) {
        let parts = &mut self.parts;
        let Some((candidate, fade)) = &mut parts.fading else { return };
        let Change::Replace { engine: old } = &mut candidate.change else { return };
        let frames = buffer.frames();
        old.process(&mut parts.scratch.buffer(frames), host);
        let mut peak = 0.0f32;
        for channel in 0..buffer.output_channels().min(parts.scratch.output_count()) {
            parts.align.delay(channel, &mut parts.scratch.output_mut(channel)[..frames]);
            let old_out = &parts.scratch.output(channel)[..frames];
            if let Some(new_out) = buffer.output(channel) {
                peak = old_out.iter().chain(new_out.iter()).fold(peak, |p, s| p.max(s.abs()));
                fade.mix(new_out, old_out);
            }
        }
        fade.advance(frames);
        parts.align.advance(frames);
        if peak < SILENCE {
            fade.finish();
        }
        if fade.is_done() {
            self.end_fade();
        }
    }

    /// Copies this block's input aside for the previous build during a crossfade.
    fn save_inputs(&mut self, buffer: &AudioBuffer<'_>) -> bool {
        let frames = buffer.frames();
        if self.parts.fading.is_none() {
            return false;
        }
        if frames > self.parts.scratch.capacity() {
            self.end_fade();
            return false;
        }
        let scratch = &mut self.parts.scratch;
        for channel in 0..scratch.input_count() {
            let target = &mut scratch.input_mut(channel)[..frames];
            match buffer.input(channel) {
                Some(input) => target.copy_from_slice(input),
                None => target.fill(0.0),
            }
        }
        true
    }
}

impl ShellProcessor for HotProcessor {
    fn process(&mut self, buffer: &mut AudioBuffer<'_>, host: &HostBlock<'_>) -> ProcessStatus {
        self.answer_snapshot();
        self.take_candidate(host.steady_time);
        let link = &self.parts.link;
        link.steady_time.store(host.steady_time.unwrap_or(NO_TIME), Ordering::Release);
        let fading = self.save_inputs(buffer);
        let status = self.core.process(buffer, host);
        if fading {
            self.crossfade_block(buffer, host);
        }
        self.parts.blocks = self.parts.blocks.wrapping_add(1);
        if self.parts.blocks.is_multiple_of(ALLOCATIONS_EVERY) {
            let allocations = self.core.engine_mut().logic_allocations();
            self.parts.link.allocations.store(allocations, Ordering::Relaxed);
        }
        status
    }

    fn set_param(&mut self, id: u32, value: f64) -> Result<f64, ShellError> {
        self.answer_snapshot();
        self.core.set_param(id, value)
    }

    fn info(&self) -> &LogicInfo {
        self.core.info()
    }
    fn is_faulted(&self) -> bool {
        self.core.is_faulted()
    }
}
