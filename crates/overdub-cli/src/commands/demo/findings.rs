//! What the demo found in its recording, measured, written to files and printed.

use super::{BLOCK, Example, PLOT_SECONDS, TAIL_WINDOW_SECONDS};
use crate::error::CliError;
use crate::listen::{Jumps, Recording, Tail};
use crate::report::{self, format_duration};
use crate::{plot, wav};
use overdub_loader::{ReloadTimings, StateOutcome};
use std::path::Path;
use std::time::Duration;

/// The recording and what happened in it.
pub(super) struct Heard {
    pub(super) recorded: Vec<f32>,
    pub(super) sample_rate: u32,
    pub(super) device: String,
    pub(super) json: bool,
    pub(super) swap_frame: usize,
    pub(super) edit_frame: usize,
    pub(super) tail_from: usize,
    pub(super) heard_after: Duration,
    pub(super) timings: ReloadTimings,
    pub(super) state: StateOutcome,
    pub(super) build: Option<Duration>,
}

impl Heard {
    /// Measures the recording, writes it and its plot into `out`, and prints the findings.
    pub(super) fn report(self, out: &Path, example: &Example) -> Result<(), CliError> {
        let channels: Vec<Vec<f32>> =
            (0..2).map(|c| self.recorded.iter().skip(c).step_by(2).copied().collect()).collect();
        let left = &channels[0];
        if self.swap_frame >= left.len() {
            return Err(CliError::Demo("the recording ends before the swap".to_owned()));
        }
        let recording = Recording { samples: left, sample_rate: self.sample_rate, swap: self.swap_frame };
        let tail = example.has_tail.then(|| recording.tail(TAIL_WINDOW_SECONDS, self.tail_from));
        let steady_from =
            if example.has_tail { self.tail_from } else { self.edit_frame.saturating_sub(BLOCK * 64) };
        let jumps =
            recording.jumps(2 * BLOCK, self.swap_frame.saturating_sub(2 * BLOCK + steady_from).max(BLOCK));
        let wav_path = out.join("demo.wav");
        let seconds = left.len() as f64 / f64::from(self.sample_rate);
        wav::write(&wav_path, &wav::Audio { sample_rate: self.sample_rate, channels: channels.clone() })?;
        let span = (PLOT_SECONDS * f64::from(self.sample_rate)) as usize;
        let window = self.swap_frame.saturating_sub(span)..(self.swap_frame + span).min(left.len());
        let png_path = out.join("swap.png");
        plot::waveform(&png_path, &left[window.clone()], self.sample_rate, self.swap_frame - window.start)?;
        let findings = Findings { heard: &self, tail, jumps, wav: &wav_path, png: &png_path, seconds };
        if self.json {
            println!("{}", findings.json());
        } else {
            print!("{}", findings.text());
        }
        Ok(())
    }
}

/// What the demo found, for printing.
struct Findings<'a> {
    heard: &'a Heard,
    tail: Option<Tail>,
    jumps: Jumps,
    wav: &'a Path,
    png: &'a Path,
    seconds: f64,
}

impl Findings<'_> {
    fn text(&self) -> String {
        let h = self.heard;
        let t = &h.timings;
        let (state, detail) = report::state_words(&h.state);
        let build = h.build.map_or("?".to_owned(), format_duration);
        let mut out = String::from("\nwhat a listener heard\n");
        out += &format!("  audio                {}\n", h.device);
        out += &format!(
            "  reload latency       library written → new code playing: {} (settle {}, load {}, prepare {}, swap {})\n",
            format_duration(t.total()),
            format_duration(t.settle),
            format_duration(t.load),
            format_duration(t.prepare),
            format_duration(t.swap)
        );
        out += &format!(
            "  save → new sound     {} (build {build}); the old code played on meanwhile\n",
            format_duration(h.heard_after)
        );
        out += &format!(
            "  state                {state}{}\n",
            detail.map_or(String::new(), |d| format!(" ({d})"))
        );
        out += &match self.tail {
            Some(tail) => format!(
                "  delay tail           {}: {:.1} dBFS RMS in the {TAIL_WINDOW_SECONDS} s before the swap, {:.1} dBFS after\n",
                if tail.survived() { "survived" } else { "LOST" },
                crate::devhost::meter::dbfs(tail.before),
                crate::devhost::meter::dbfs(tail.after)
            ),
            None => "  tail                 none (this example keeps no audio in its state)\n".to_owned(),
        };
        out += &format!(
            "  largest sample jump  {:.4} within {} samples of the swap, {:.4} in steady state ({:.2}×; target ≤ 1.5×)\n",
            self.jumps.at_swap,
            2 * BLOCK,
            self.jumps.steady,
            self.jumps.ratio()
        );
        out += &format!(
            "  recording            {} ({:.1} s, {} Hz, stereo, 32-bit float)\n",
            self.wav.display(),
            self.seconds,
            h.sample_rate
        );
        out += &format!(
            "  plot                 {} (±{} ms around the swap, red line)\n",
            self.png.display(),
            PLOT_SECONDS * 1e3
        );
        out
    }

    fn json(&self) -> String {
        let h = self.heard;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let (state, detail) = report::state_words(&h.state);
        serde_json::json!({
            "event": "demo",
            "device": h.device,
            "reload_ms": ms(h.timings.total()),
            "settle_ms": ms(h.timings.settle),
            "load_ms": ms(h.timings.load),
            "prepare_ms": ms(h.timings.prepare),
            "swap_ms": ms(h.timings.swap),
            "save_to_sound_ms": ms(h.heard_after),
            "build_ms": h.build.map(ms),
            "state": state,
            "state_detail": detail,
            "tail_survived": self.tail.map(|t| t.survived()),
            "tail_before_rms": self.tail.map(|t| t.before),
            "tail_after_rms": self.tail.map(|t| t.after),
            "jump_at_swap": self.jumps.at_swap,
            "jump_steady": self.jumps.steady,
            "wav": self.wav,
            "png": self.png,
        })
        .to_string()
    }
}
