//! `overdub render`: a file processed offline through a logic library, sample-exact and deterministic (the
//! same input, parameters and block size always give the same output bits).

use crate::cli::RenderArgs;
use crate::devhost::notes::NotePlayer;
use crate::error::CliError;
use crate::{logic, midi, params, wav};
use indicatif::{ProgressBar, ProgressStyle};
use overdub_abi::Event;
use overdub_shell::{AudioBlock, HostBlock, ProcessConfig, Shell, audio_path};
use std::time::Instant;

/// Inputs longer than this many seconds show a progress bar.
const PROGRESS_AFTER_SECONDS: usize = 10;

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
    let tail = notes.as_ref().map_or(0, |n| n.length as usize + sample_rate as usize);
    let frames = input.as_ref().map_or(0, wav::Audio::frames).max(tail);
    let started = Instant::now();
    let notes = notes.map(|n| NotePlayer::new(n, false));
    let output = render(&mut shell, input.as_ref(), notes, sample_rate, frames, block, channels);
    wav::write(&args.output, &output)?;
    eprintln!(
        "rendered {frames} frames ({:.2} s at {sample_rate} Hz, {channels} ch) through {} in {:.2} s: {}",
        frames as f64 / f64::from(sample_rate),
        shell.info().name,
        started.elapsed().as_secs_f64(),
        args.output.display()
    );
    Ok(())
}

/// Runs `frames` frames of `input` (silence after its end) and `notes` through `shell` in blocks of `block`.
pub fn render(
    shell: &mut impl Shell,
    input: Option<&wav::Audio>,
    mut notes: Option<NotePlayer>,
    sample_rate: u32,
    frames: usize,
    block: usize,
    channels: usize,
) -> wav::Audio {
    let mut output = wav::Audio::silent(sample_rate, channels, frames);
    let mut buffers = AudioBlock::new(channels, channels, block);
    let mut events: Vec<Event> = Vec::with_capacity(1024);
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
        let n = block.min(frames - start);
        for channel in 0..channels {
            let target = &mut buffers.input_mut(channel)[..n];
            match input.map(|a| &a.channels[channel]) {
                Some(samples) if start < samples.len() => {
                    let available = n.min(samples.len() - start);
                    target[..available].copy_from_slice(&samples[start..start + available]);
                    target[available..].fill(0.0);
                }
                _ => target.fill(0.0),
            }
        }
        events.clear();
        if let Some(notes) = &mut notes {
            notes.fill(n, &mut events);
        }
        audio_path::process_block(shell, &mut buffers.buffer(n), &HostBlock::events(&events));
        for (channel, out) in output.channels.iter_mut().enumerate() {
            out[start..start + n].copy_from_slice(&buffers.output(channel)[..n]);
        }
        start += n;
        progress.set_position(start as u64);
    }
    progress.finish_and_clear();
    output
}
