//! `overdub new` and `overdub render`: offline output matches the logic's arithmetic to the sample.

use crate::common::{repo, run, scaffold, scaled, stderr, test_wav};

#[test]
fn render_of_a_new_scaffold_gives_its_expected_samples() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "level-fx");
    let input = test_wav(&dir.path().join("in.wav"));
    let out = dir.path().join("out.wav");
    let output = run(
        &[
            "render",
            "--input",
            "in.wav",
            "--output",
            "out.wav",
            "--param",
            "level=0.5",
            "--crate",
            "level-fx",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "render failed: {}", stderr(&output));
    assert!(krate.join("README.md").is_file());
    let rendered = overdub_cli::wav::read(&out).unwrap();
    assert_eq!(rendered.sample_rate, 48_000);
    assert_eq!(rendered.channels, scaled(&input, 0.5));
}

#[test]
fn render_through_the_gain_example_matches_the_gain_to_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let input = test_wav(&dir.path().join("in.wav"));
    let gain = repo().join("examples/gain");
    let output = run(
        &[
            "render",
            "--input",
            "in.wav",
            "--output",
            "out.wav",
            "--param",
            "gain=-6 dB",
            "--block",
            "64",
            "--crate",
            gain.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(output.status.success(), "render failed: {}", stderr(&output));
    let rendered = overdub_cli::wav::read(&dir.path().join("out.wav")).unwrap();
    assert_eq!(rendered.channels, scaled(&input, overdub::db_to_gain(-6.0)));
}

#[test]
fn render_is_deterministic_whatever_the_block_size() {
    let dir = tempfile::tempdir().unwrap();
    test_wav(&dir.path().join("in.wav"));
    let gain = repo().join("examples/gain");
    let gain = gain.to_str().unwrap();
    for (block, out) in [("32", "a.wav"), ("1000", "b.wav")] {
        let output = run(
            &[
                "render", "--input", "in.wav", "--output", out, "--param", "Gain=3", "--block", block,
                "--crate", gain,
            ],
            dir.path(),
        );
        assert!(output.status.success(), "render failed: {}", stderr(&output));
    }
    let a = overdub_cli::wav::read(&dir.path().join("a.wav")).unwrap();
    let b = overdub_cli::wav::read(&dir.path().join("b.wav")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn render_through_the_delay_example_keeps_its_tail_after_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = test_wav(&dir.path().join("in.wav"));
    let delay = repo().join("examples/delay");
    let output = run(
        &["render", "--input", "in.wav", "--output", "out.wav", "--crate", delay.to_str().unwrap()],
        dir.path(),
    );
    assert!(output.status.success(), "render failed: {}", stderr(&output));
    let rendered = overdub_cli::wav::read(&dir.path().join("out.wav")).unwrap();
    // The delay reports a tail of 8 × its longest delay (2 s): 16 s at 48 kHz, rendered after the input.
    let input_frames = input.frames();
    assert_eq!(rendered.frames(), input_frames + 16 * 48_000);
    // Its first echo (250 ms by default) starts after the input has ended.
    let after_input = &rendered.channels[0][input_frames..];
    assert!(after_input.iter().any(|s| s.abs() > 0.01), "no echo after the input");
}
