//! `overdub render`: a file processed offline through a logic library, sample-exact and deterministic (the
//! same input, parameters and block size always give the same output bits).

use crate::cli::RenderArgs;
use crate::devhost::notes::NotePlayer;
use crate::devhost::renderer::BlockRunner;
use crate::error::CliError;
use crate::{logic, midi, params, wav};
use indicatif::{ProgressBar, ProgressStyle};
use overdub_abi::Tail;
use overdub_shell::{ProcessConfig, Shell};
use std::time::Instant;

/// Inputs longer than this many seconds show a progress bar.
const PROGRESS_AFTER_SECONDS: usize = 10;
/// How long a logic that reports an infinite tail rings on after the input and notes.
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
    shell.activate(ProcessConfig {
        sample_rate: f64::from(sample_rate),
        max_block: block,
        input_channels: channels,
        output_channels: channels,
    })?;
    let tail = shell.tail();
    if tail == Tail::Infinite {
        eprintln!(
            "note: {} reports an infinite tail; rendering {INFINITE_TAIL_SECONDS} s of it",
            shell.info().name
        );
    }
    let tail = tail_frames(tail, sample_rate);
    let input_frames = input.as_ref().map_or(0, wav::Audio::frames);
    let frames = length(input_frames, notes.as_ref().map(|n| n.length as usize), tail, sample_rate);
    let started = Instant::now();
    let notes = notes.map(|n| NotePlayer::new(n, false));
    let output = render(&mut shell, input.as_ref(), notes, sample_rate, frames, block, channels);
    wav::write(&args.output, &output)?;
    let tail_note = if tail > 0 {
        format!(", the logic's tail of {:.2} s included", tail as f64 / f64::from(sample_rate))
    } else {
        String::new()
    };
    eprintln!(
        "rendered {frames} frames ({:.2} s at {sample_rate} Hz, {channels} ch{tail_note}) through {} in {:.2} s: {}",
        frames as f64 / f64::from(sample_rate),
        shell.info().name,
        started.elapsed().as_secs_f64(),
        args.output.display()
    );
    Ok(())
}

/// Frames the logic's `tail` adds after its input stops.
fn tail_frames(tail: Tail, sample_rate: u32) -> usize {
    match tail {
        Tail::None => 0,
        Tail::Samples(samples) => samples as usize,
        Tail::Infinite => INFINITE_TAIL_SECONDS as usize * sample_rate as usize,
    }
}

/// Frames to render: the input and then the logic's tail, or the notes and then the longer of their release
/// and the tail, whichever ends later.
fn length(input: usize, notes: Option<usize>, tail: usize, sample_rate: u32) -> usize {
    let after_notes =
        notes.map_or(0, |notes| notes + tail.max(RELEASE_SECONDS as usize * sample_rate as usize));
    (input + tail).max(after_notes)
}

/// Runs `frames` frames of `input` (silence after its end) and `notes` through `shell` in blocks of `block`.
pub fn render(
    shell: &mut impl Shell,
    input: Option<&wav::Audio>,
    notes: Option<NotePlayer>,
    sample_rate: u32,
    frames: usize,
    block: usize,
    channels: usize,
) -> wav::Audio {
    let mut output = wav::Audio::silent(sample_rate, channels, frames);
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
    while start < frames {
        let n = runner.max_block().min(frames - start);
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
        runner.run(shell, n);
        for (channel, out) in output.channels.iter_mut().enumerate() {
            out[start..start + n].copy_from_slice(&runner.output(channel)[..n]);
        }
        start += n;
        progress.set_position(start as u64);
    }
    progress.finish_and_clear();
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logic_s_tail_follows_the_input() {
        assert_eq!(length(1000, None, tail_frames(Tail::None, 48_000), 48_000), 1000);
        assert_eq!(length(1000, None, tail_frames(Tail::Samples(500), 48_000), 48_000), 1500);
        assert_eq!(length(1000, None, tail_frames(Tail::Infinite, 48_000), 48_000), 1000 + 480_000);
    }

    #[test]
    fn notes_get_the_longer_of_their_release_and_the_tail() {
        assert_eq!(length(0, Some(2000), 0, 1000), 3000);
        assert_eq!(length(0, Some(2000), 5000, 1000), 7000);
        assert_eq!(length(10_000, Some(2000), 0, 1000), 10_000);
    }
}
