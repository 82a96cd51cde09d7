//! The command line, as clap parses it.

use crate::build::{Emit, Policy};
use crate::devhost::device::DeviceRequest;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Write an audio plugin's DSP once: hear every edit live, ship it as a static plugin.
#[derive(Debug, Parser)]
#[command(name = "overdub", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a logic crate with one parameter, a test and a README.
    New(NewArgs),
    /// Play audio through a logic crate and hot-reload it on every save.
    Dev(DevArgs),
    /// Process a WAV (and/or MIDI) file offline through a logic library.
    Render(RenderArgs),
    /// Build the CLAP or VST3 plugin: static for release, hot for development.
    Bundle(BundleArgs),
    /// Run overdub's benchmarks and print each figure beside its target.
    Bench(BenchArgs),
    /// Copy an example, play it, edit and rebuild it live, and report what a listener would have heard.
    Demo(DemoArgs),
}

/// `overdub new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Crate name; the crate is created in a directory of that name.
    pub name: String,
    /// An instrument (notes in, audio out) instead of an effect.
    #[arg(long)]
    pub instrument: bool,
    /// Where to create the crate's directory.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
}

/// Which logic library to run: a crate to build, or a library already built.
#[derive(Debug, Args)]
pub struct LogicArgs {
    /// A built logic library (.so/.dylib/.dll) to load instead of building a crate.
    #[arg(long, conflicts_with = "crate_dir")]
    pub logic: Option<PathBuf>,
    /// The logic crate to build (default: the current directory).
    #[arg(long = "crate", value_name = "DIR")]
    pub crate_dir: Option<PathBuf>,
    /// Build with the release profile.
    #[arg(long)]
    pub release: bool,
}

/// `overdub dev`.
#[derive(Debug, Args)]
pub struct DevArgs {
    /// The logic crate (default: the current directory).
    pub path: Option<PathBuf>,
    /// Test signal or WAV file played into an effect: sine, sweep, noise, impulses, silence, or a path.
    #[arg(long, default_value = "sine")]
    pub input: String,
    /// Play the built-in note pattern (the default for crates marked as instruments).
    #[arg(long)]
    pub notes: bool,
    /// Play this MIDI file, looped, into the logic.
    #[arg(long)]
    pub midi: Option<PathBuf>,
    /// Parameter values to start with, by name: `--param Gain=-6`.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Where the audio goes.
    #[arg(long, value_enum, default_value = "auto")]
    pub device: DeviceRequest,
    /// Largest block the logic is given.
    #[arg(long, default_value_t = 256)]
    pub block: usize,
    /// Build with the release profile.
    #[arg(long)]
    pub release: bool,
    /// The logic crate's own opt-level in its builds (dependencies keep the profile's): 1 makes heavy DSP
    /// code run several times faster for a longer build.
    #[arg(long, value_name = "LEVEL", value_parser = ["0", "1", "2", "3", "s", "z"])]
    pub opt_level: Option<String>,
    /// `cargo` builds every rebuild with cargo; `auto` runs the rustc command cargo recorded directly when
    /// only the crate's own sources changed.
    #[arg(long, value_enum, default_value = "auto")]
    pub build: Policy,
    /// What a direct rustc build emits (for measuring the choice).
    #[arg(long, value_enum, default_value = "cdylib", hide = true)]
    pub fast_emit: Emit,
    /// Print events as JSON lines for tools, instead of text and meters.
    #[arg(long)]
    pub json: bool,
    /// Stop after this many seconds (default: run until Ctrl-C).
    #[arg(long, value_name = "SECONDS")]
    pub stop_after: Option<f64>,
    /// Do not open the logic's editor (it opens in a window of its own when there is a display).
    #[arg(long)]
    pub no_editor: bool,
}

/// `overdub render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// WAV file to process (optional for instruments driven by --midi).
    #[arg(long, required_unless_present = "midi")]
    pub input: Option<PathBuf>,
    /// WAV file to write (32-bit float).
    #[arg(long)]
    pub output: PathBuf,
    /// Parameter values, by name: `--param Gain=-6` (a unit may follow the number).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// MIDI file whose events are played into the logic.
    #[arg(long)]
    pub midi: Option<PathBuf>,
    /// Block size the logic is run with.
    #[arg(long, default_value_t = 512)]
    pub block: usize,
    /// Sample rate when there is no input file.
    #[arg(long, default_value_t = 48_000)]
    pub sample_rate: u32,
    /// Output channels when there is no input file.
    #[arg(long, default_value_t = 2)]
    pub channels: usize,
    /// Which logic to run.
    #[command(flatten)]
    pub logic: LogicArgs,
}

/// `overdub bundle`.
#[derive(Debug, Args)]
pub struct BundleArgs {
    /// Compile the logic statically into the plugin (no loader, no watcher).
    #[arg(long)]
    pub release: bool,
    /// Copy the bundle to the user's plugin folder (`~/.clap`, `~/.vst3`, or the platform's).
    #[arg(long)]
    pub install: bool,
    /// Which plugin format: `clap` (the wrapper crate in `clap/`), `vst3` (in `vst3/`), or `all` (each of
    /// them, CLAP first).
    #[arg(long, value_enum, default_value_t = FormatArg::Clap)]
    pub format: FormatArg,
    /// The logic crate (default: the current directory).
    pub path: Option<PathBuf>,
}

/// The formats `overdub bundle` builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// CLAP.
    Clap,
    /// VST3.
    Vst3,
    /// CLAP, then VST3.
    All,
}

/// `overdub bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `overdub demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the recording and the plot (default: a new temporary directory, kept).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print events as JSON lines.
    #[arg(long)]
    pub json: bool,
}
