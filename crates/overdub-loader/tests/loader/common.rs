use overdub_loader::{HotProcessor, HotShell};
use overdub_shell::{AudioBlock, Continuity, HostBlock, ProcessConfig, Shell, ShellProcessor};
use overdub_testkit::{fixture, install_like_linker};
use std::path::PathBuf;

use overdub::param_id;

pub const GAIN_ID: u32 = param_id("gain");
pub const EXPLODE_ID: u32 = param_id("explode");
pub const ALLOCATE_ID: u32 = param_id("allocate");
pub const BLOCK: usize = 64;

/// A scratch directory holding the named fixture at the path a shell will watch.
pub struct Workspace {
    pub dir: overdub_testkit::TempDir,
    pub library: PathBuf,
}

impl Workspace {
    pub fn with(fixture_name: &str) -> Self {
        Self::named(fixture_name, "logic")
    }

    /// The fixture under a library name of its own (`lib<name>.so`), told apart in the process's mappings.
    pub fn named(fixture_name: &str, name: &str) -> Self {
        let dir = overdub_testkit::scratch_dir();
        let library = dir.path().join(overdub_testkit::dylib_file_name(name));
        install_like_linker(&fixture(fixture_name), &library);
        Self { dir, library }
    }

    /// The fixture at `subdir/liblogic.so` inside the scratch directory, as in a cargo target directory.
    pub fn nested(fixture_name: &str, subdir: &str) -> Self {
        let dir = overdub_testkit::scratch_dir();
        let library = dir.path().join(subdir).join(overdub_testkit::dylib_file_name("logic"));
        std::fs::create_dir_all(library.parent().unwrap()).unwrap();
        install_like_linker(&fixture(fixture_name), &library);
        Self { dir, library }
    }

    pub fn install(&self, fixture_name: &str) {
        install_like_linker(&fixture(fixture_name), &self.library);
    }

    /// A shell of the library, loaded (no watching) and activated.
    pub fn hot_shell(&self) -> (HotShell, HotProcessor) {
        let mut shell = HotShell::load(&self.library).expect("the fixture loads");
        let processor = shell.activate(config(), Continuity::Reset).expect("activate");
        (shell, processor)
    }
}

/// How the tests activate: stereo blocks of [`BLOCK`] at 48 kHz.
pub fn config() -> ProcessConfig {
    ProcessConfig::stereo(48_000.0, BLOCK)
}

/// The frames the tone fixture counted, read from its DSP memory (the one field it saves).
pub fn frames_seen(processor: &mut HotProcessor) -> u64 {
    let memory = processor.engine_mut().save_logic_state().expect("tone saves its memory");
    let (field, value) = memory.split_at(memory.len() - 8);
    assert!(field.ends_with(b"frames_seen\x05"), "a u64 field named frames_seen: {field:?}");
    u64::from_le_bytes(value.try_into().expect("eight bytes"))
}

/// A ramp the tests can recognise after any gain and bias.
pub fn ramp(frames: usize) -> Vec<f32> {
    (0..frames).map(|i| i as f32 / frames as f32 - 0.5).collect()
}

/// Processes one stereo block of `input` (same on both channels); returns the left output.
pub fn process(processor: &mut impl ShellProcessor, input: &[f32]) -> Vec<f32> {
    let mut block = AudioBlock::new(2, 2, input.len());
    block.input_mut(0).copy_from_slice(input);
    block.input_mut(1).copy_from_slice(input);
    let mut buffer = block.buffer(input.len());
    processor.process(&mut buffer, &HostBlock::default());
    block.output(0).to_vec()
}

pub fn assert_samples(actual: &[f32], expected: impl Fn(f32) -> f32, input: &[f32]) {
    for (i, (&a, &x)) in actual.iter().zip(input).enumerate() {
        let e = expected(x);
        assert!((a - e).abs() < 1e-6, "sample {i}: got {a}, expected {e} (input {x})");
    }
}
