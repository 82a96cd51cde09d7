//! `overdub render`: a file processed offline through a logic library, sample-exact and deterministic (the
//! same input, parameters and block size always give the same output bits).

use crate::cli::RenderArgs;
use crate::devhost::notes::NotePlayer;
use crate::devhost::renderer::BlockRunner;
use crate::error::CliError;
use crate::{logic, midi, params, wav};
use indicatif::{ProgressBar, ProgressStyle};
use overdub_abi::ProcessStatus;
use overdub_shell::{Continuity, ProcessConfig, Shell, ShellProcessor};
use std::time::Instant;

/// Inputs longer than this many seconds show a progress bar.
const PROGRESS_AFTER_SECONDS: usize = 10;
/// How long a logic that asks to be kept alive rings on after the input and notes, at most.
const INFINITE_TAIL_SECONDS: u32 = 10;
/// Time left after the last note for its release.
const RELEASE_SECONDS: u32 = 1;

/// Renders the input (and MIDI) through the logic into the output file.
pub fn run(args: &RenderArgs) -> Result<(), CliError> {
    let input = args.input.as_deref().map(wav::read).transpose()?;
    let sample_rate = input.as_ref().map_or(args.sample_rate, |a| a.sample_rate);
    let notes = args.midi.as_deref().map(|p| midi::read(p, f64::from(sample_rate))).transpose()?;
    let mut shell = logic::open(&args.logic)?;
    params::apply(&mut shell, &args.params)?;
    let channels = input.as_ref().map_or(args.channels, |a| a.channels.len()).max(1);
    let block = args.block.max(1);
    let config = ProcessConfig {
        sample_rate: f64::from(sample_rate),
        max_block: block,
        input_channels: channels,
        output_channels: channels,
    };
    let mut processor = shell.activate(config, Continuity::Reset)?;
    let input_frames = input.as_ref().map_or(0, wav::Audio::frames);
    let frames = length(input_frames, notes.as_ref().map(|n| n.length as usize), sample_rate);
    let started = Instant::now();
    let notes = notes.map(|n| NotePlayer::new(n, false));
    let (output, tail) = render(&mut processor, input.as_ref(), notes, sample_rate, frames, block, channels);
    wav::write(&args.output, &output)?;
    let tail_note = match tail {
        RenderedTail::None => String::new(),
        RenderedTail::Frames(tail) => {
            format!(", the logic's tail of {:.2} s included", tail as f64 / f64::from(sample_rate))
        }
        RenderedTail::Cut => {
            format!(", the logic kept asking for more; cut {INFINITE_TAIL_SECONDS} s after the input")
        }
    };
    eprintln!(
        "rendered {} frames ({:.2} s at {sample_rate} Hz, {channels} ch{tail_note}) through {} in {:.2} s: {}",
        output.frames(),
        output.frames() as f64 / f64::from(sample_rate),
        shell.info().name,
        started.elapsed().as_secs_f64(),
        args.output.display()
    );
    Ok(())
}

/// Frames to render before the logic's tail: the input, or the notes and their release, whichever ends
/// later.
fn length(input: usize, notes: Option<usize>, sample_rate: u32) -> usize {
    input.max(notes.map_or(0, |notes| notes + RELEASE_SECONDS as usize * sample_rate as usize))
}

/// What was rendered after the input and notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderedTail {
    /// Nothing: the logic's output stopped with its input.
    None,
    /// This many frames of the tail the logic reported.
    Frames(usize),
    /// The logic asked to be kept alive past the cap.
    Cut,
}

/// How many more frames the logic's last block asks for, `rendered` frames after the input ended: the rest of
/// the tail it reported, or more while it asks to be kept alive, up to `cap` frames after the input.
fn tail_left(status: ProcessStatus, rendered: usize, cap: usize) -> usize {
    match status {
        ProcessStatus::Normal => 0,
        ProcessStatus::Tail { samples } => (samples as usize).saturating_sub(rendered),
        ProcessStatus::KeepAlive => cap.saturating_sub(rendered),
    }
}

/// Runs `frames` frames of `input` (silence after its end) and `notes` through `processor` in blocks of
/// `block`, then the tail the logic's status asks for (at most [`INFINITE_TAIL_SECONDS`]).
pub fn render(
    processor: &mut impl ShellProcessor,
    input: Option<&wav::Audio>,
    notes: Option<NotePlayer>,
    sample_rate: u32,
    frames: usize,
    block: usize,
    channels: usize,
) -> (wav::Audio, RenderedTail) {
    let mut output = wav::Audio::silent(sample_rate, channels, 0);
    output.channels.iter_mut().for_each(|samples| samples.reserve(frames));
    let cap = INFINITE_TAIL_SECONDS as usize * sample_rate as usize;
    let mut runner = BlockRunner::new(channels, block, notes);
    let progress = if frames > PROGRESS_AFTER_SECONDS * sample_rate.max(1) as usize {
        ProgressBar::new(frames as u64).with_style(
            ProgressStyle::with_template("{bar:40} {percent:>3}% {elapsed} / {duration}")
                .expect("the template is valid"),
        )
    } else {
        ProgressBar::hidden()
    };
    let mut start = 0;
    let mut left = frames;
    let mut tail = RenderedTail::None;
    while left > 0 {
        let n = runner.max_block().min(left);
        for channel in 0..channels {
            let target = &mut runner.input_mut(channel)[..n];
            match input.map(|a| &a.channels[channel]) {
                Some(samples) if start < samples.len() => {
                    let available = n.min(samples.len() - start);
                    target[..available].copy_from_slice(&samples[start..start + available]);
                    target[available..].fill(0.0);
                }
                _ => target.fill(0.0),
            }
        }
        let (_, _, status) = runner.run(processor, n);
        for (channel, out) in output.channels.iter_mut().enumerate() {
            out.extend_from_slice(&runner.output(channel)[..n]);
        }
        start += n;
        progress.set_position(start as u64);
        left = match start.checked_sub(frames) {
            None => frames - start,
            Some(rendered) => {
                let more = tail_left(status, rendered, cap);
                tail = match (more, rendered, status) {
                    (0, 0, _) => RenderedTail::None,
                    (0, _, ProcessStatus::KeepAlive) => RenderedTail::Cut,
                    _ => RenderedTail::Frames(rendered),
                };
                more
            }
        };
    }
    progress.finish_and_clear();
    (output, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_the_status_reports_is_counted_from_the_end_of_the_input() {
        let tail = ProcessStatus::Tail { samples: 500 };
        assert_eq!(tail_left(tail, 0, 10_000), 500);
        assert_eq!(tail_left(tail, 300, 10_000), 200, "later blocks do not extend it");
        assert_eq!(tail_left(ProcessStatus::Normal, 0, 10_000), 0);
        assert_eq!(tail_left(ProcessStatus::KeepAlive, 200, 10_000), 9800, "kept going up to the cap");
        assert_eq!(
            tail_left(ProcessStatus::Tail { samples: 20_000 }, 0, 10_000),
            20_000,
            "a finite tail whole"
        );
    }

    #[test]
    fn notes_get_their_release() {
        assert_eq!(length(0, Some(2000), 1000), 3000);
        assert_eq!(length(10_000, Some(2000), 1000), 10_000);
        assert_eq!(length(500, None, 1000), 500);
    }
}
