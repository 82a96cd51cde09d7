//! Whatever is written over the watched library, the host survives: in-place rewrites are loaded from a
//! private image (the running code never shares storage with the file), every bad file is rejected once with
//! its reason while the running build plays on, another plugin's build is refused, a deleted library is
//! reported, and a symlinked path follows its target.

use crate::common::{GAIN_ID, Workspace};
use crate::player::{Player, sine};
use overdub_loader::ReloadEvent;
use overdub_shell::Shell;
use overdub_testkit::{Build, fixture, run_shell, test_deadline};
use std::path::Path;
use std::time::Duration;

/// The gain every test sets, so the running build is recognisable from its output.
const GAIN: f32 = 2.0;

fn start(ws: &Workspace) -> Player {
    let mut player = Player::watch(&ws.library);
    player.shell.set_param(GAIN_ID, f64::from(GAIN)).unwrap();
    player.play(4, &sine);
    player
}

/// Asserts the latest blocks came from a build adding `bias` after the gain.
fn plays_bias(player: &mut Player, bias: f32) {
    let from = player.output.len();
    player.play(2, &sine);
    for i in from..player.output.len() {
        let expected = player.input[i] * GAIN + bias;
        assert!((player.output[i] - expected).abs() < 1e-5, "sample {i}: {} != {expected}", player.output[i]);
    }
}

fn quote(path: &Path) -> String {
    format!("'{}'", path.display())
}

fn is_swap(event: &ReloadEvent) -> bool {
    matches!(event, ReloadEvent::Swapped { .. })
}

fn is_rejection(event: &ReloadEvent) -> bool {
    matches!(event, ReloadEvent::Rejected { .. })
}

fn rewrites_in_place_are_loaded_and_never_crash(ws: &Workspace) {
    let lib = quote(&ws.library);
    let (tone, tone_v2) = (quote(&fixture("tone")), quote(&fixture("tone_v2")));
    let mut player = start(ws);

    player.after(|| run_shell(&format!("cp {tone_v2} {lib}")));
    player.play_until(&sine, is_swap);
    plays_bias(&mut player, 0.5);

    player.after(|| run_shell(&format!("cat {tone} > {lib}")));
    player.play_until(&sine, is_swap);
    plays_bias(&mut player, 0.0);

    // An older build, its modification time kept.
    player.after(|| run_shell(&format!("cp -p {tone_v2} {lib}")));
    player.play_until(&sine, is_swap);
    plays_bias(&mut player, 0.5);

    // The same bytes again, in place: nothing to load, and nothing breaks.
    player.after(|| run_shell(&format!("cp {tone_v2} {lib}")));
    player.play_until(&sine, |e| matches!(e, ReloadEvent::Unchanged { .. }));
    plays_bias(&mut player, 0.5);

    // Cut short, in place.
    player.after(|| run_shell(&format!("head -c 20000 {tone} > {lib}")));
    let rejected = player.play_until(&sine, is_rejection);
    let ReloadEvent::Rejected { reason, .. } = rejected else { unreachable!() };
    assert!(reason.contains("truncated"), "{reason}");
    plays_bias(&mut player, 0.5);
    assert_eq!(player.allocations, 0, "the audio thread allocated");
}

#[test]
fn in_place_rewrites_of_a_library_in_a_plain_directory_are_loaded_and_never_crash() {
    rewrites_in_place_are_loaded_and_never_crash(&Workspace::with("tone"));
}

#[test]
fn in_place_rewrites_of_a_library_in_a_cargo_target_directory_are_loaded_and_never_crash() {
    let ws = Workspace::nested("tone", "target/debug");
    std::fs::write(
        ws.dir.path().join("target/CACHEDIR.TAG"),
        "Signature: 8a477f597d28d172789f06886806bc55\n# cargo\n",
    )
    .unwrap();
    rewrites_in_place_are_loaded_and_never_crash(&ws);
}

#[test]
fn each_bad_file_is_rejected_once_with_its_reason_and_the_old_code_plays_on() {
    let ws = Workspace::with("tone");
    let mut player = start(&ws);
    let good = std::fs::read(fixture("tone_v2")).unwrap();
    let mut noise = 0x9e37_79b9_u32;
    let random: Vec<u8> = (0..good.len())
        .map(|_| {
            noise ^= noise << 13;
            noise ^= noise >> 17;
            noise ^= noise << 5;
            noise as u8
        })
        .collect();
    // The ELF header and program headers, and none of the segments they describe.
    let header_only = good[..4096].to_vec();
    let bad: [(&str, Vec<u8>, &str); 5] = [
        ("empty", Vec::new(), "empty"),
        ("truncated", good[..good.len() / 2].to_vec(), "truncated"),
        ("text", b"not a library, just words\n".repeat(40), "not a loadable library"),
        ("random bytes", random, "not a loadable library"),
        ("header-only ELF", header_only, "truncated"),
    ];
    for (what, bytes, words) in bad {
        player.after(|| std::fs::write(&ws.library, &bytes).unwrap());
        let rejected = player.play_until(&sine, is_rejection);
        let ReloadEvent::Rejected { reason, path } = rejected else { unreachable!() };
        assert!(reason.contains(words), "{what}: {reason}");
        assert_eq!(path, ws.library, "{what}: the message names the library");
        player.play_until_quiet(&sine, Duration::from_millis(150));
        assert_eq!(player.count_since_change(is_rejection), 1, "{what}: {:#?}", player.reports.seen());
        plays_bias(&mut player, 0.0);
    }
    player.install(&ws, "tone_v2");
    player.play_until(&sine, is_swap);
    plays_bias(&mut player, 0.5);
}

#[test]
fn a_build_of_another_plugin_is_refused() {
    let ws = Workspace::with("tone");
    let mut player = start(&ws);
    player.install(&ws, "other_plugin");
    let rejected = player.play_until(&sine, is_rejection);
    let ReloadEvent::Rejected { reason, .. } = rejected else { unreachable!() };
    assert!(
        reason.contains("dev.overdub.fixtures.other-plugin") && reason.contains("dev.overdub.fixtures.tone"),
        "{reason}"
    );
    player.play_until_quiet(&sine, Duration::from_millis(100));
    assert_eq!(player.count_since_change(is_swap), 0);
    plays_bias(&mut player, 0.0);
}

#[test]
fn a_deleted_library_is_reported_the_old_code_plays_on_and_its_return_is_loaded() {
    let ws = Workspace::with("tone");
    let mut player = start(&ws);
    player.after(|| std::fs::remove_file(&ws.library).unwrap());
    let removed = player.play_until(&sine, |e| matches!(e, ReloadEvent::Removed { .. }));
    let ReloadEvent::Removed { path } = removed else { unreachable!() };
    assert_eq!(path, ws.library);
    plays_bias(&mut player, 0.0);
    player.install(&ws, "tone_v2");
    player.play_until(&sine, is_swap);
    plays_bias(&mut player, 0.5);
}

#[test]
fn a_cargo_style_relink_is_not_reported_as_a_deletion() {
    let ws = Workspace::with("tone");
    let mut player = start(&ws);
    player.after(|| {
        std::fs::remove_file(&ws.library).unwrap();
        std::fs::hard_link(fixture("tone_v2"), &ws.library).unwrap();
    });
    player.play_until(&sine, is_swap);
    player.play_until_quiet(&sine, Duration::from_millis(250));
    assert_eq!(player.count_since_change(|e| matches!(e, ReloadEvent::Removed { .. })), 0);
}

#[test]
fn a_symlinked_library_path_follows_its_target() {
    let ws = Workspace::nested("tone", "build");
    let link = ws.dir.path().join(overdub_testkit::dylib_file_name("linked"));
    std::os::unix::fs::symlink(&ws.library, &link).unwrap();
    let mut player = Player::watch(&link);
    player.shell.set_param(GAIN_ID, f64::from(GAIN)).unwrap();
    player.play(2, &sine);
    player.install(&ws, "tone_v2");
    player.play_until(&sine, is_swap);
    plays_bias(&mut player, 0.5);
}

/// The distinct private images of `library` this process has mapped now (each build's memfd, by inode).
fn mapped_builds(library: &Path) -> usize {
    let name = format!("memfd:{}", library.file_name().unwrap().to_string_lossy());
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let inodes: std::collections::HashSet<&str> = maps
        .lines()
        .filter(|line| line.contains(&name))
        .filter_map(|line| line.split_whitespace().nth(4))
        .collect();
    inodes.len()
}

#[test]
fn old_builds_are_unloaded_once_nothing_of_them_runs() {
    // Builds of this test's own (their build ids stamped), so no other test shares their mappings.
    let builds = ["tone", "tone_v2"].map(|name| Build::new(std::fs::read(fixture(name)).unwrap()));
    let ws = Workspace::named("tone", "unloaded");
    builds[0].link_variant(&ws.library, "unload-test", 0);
    let mut player = start(&ws);
    assert_eq!(mapped_builds(&ws.library), 1);
    for index in 1..=6 {
        player.after(|| {
            builds[index % 2].link_variant(&ws.library, "unload-test", index);
        });
        player.play_until(&sine, is_swap);
    }
    // The worker drops what the audio thread handed back on its next look.
    let deadline = test_deadline();
    while mapped_builds(&ws.library) > 1 {
        deadline.check(|| format!("{} builds still mapped", mapped_builds(&ws.library)));
        player.play_until_quiet(&sine, Duration::from_millis(20));
    }
    plays_bias(&mut player, 0.0);
    assert_eq!(player.value(GAIN_ID), f64::from(GAIN), "the parameter crossed seven builds");
    drop(player);
    assert_eq!(mapped_builds(&ws.library), 0, "the last build goes with the last shell");
}
