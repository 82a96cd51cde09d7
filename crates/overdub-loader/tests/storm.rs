//! A storm of rebuilds, in a test binary of its own so that counting the process's threads is not disturbed
//! by other tests.

use overdub::alloc_counter::CountingAllocator;
use std::time::Duration;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

#[path = "loader/common.rs"]
#[allow(dead_code)]
mod common;
#[path = "loader/player.rs"]
#[allow(dead_code)]
mod player;

use common::Workspace;
use player::{Player, sine};

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, Iterator::count)
}

#[test]
fn a_storm_of_fifty_rewrites_ends_on_the_last_build_and_leaves_nothing_behind() {
    let ws = Workspace::with("tone");
    let baseline = threads();
    let mut player = Player::watch(&ws.library);
    player.play(2, &sine);
    assert!(threads() > baseline, "the watcher runs");

    let writer = {
        let library = ws.library.clone();
        std::thread::spawn(move || {
            for i in 0..50 {
                let name = if i % 2 == 0 { "tone" } else { "tone_v2" };
                overdub_testkit::install_like_linker(&overdub_testkit::fixture(name), &library);
                // Pacing: 50 builds spread over about a second, as a build loop would write them.
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    while !writer.is_finished() {
        player.block(&sine);
        std::thread::sleep(Duration::from_micros(500));
    }
    writer.join().unwrap();
    player.play_until_quiet(&sine, Duration::from_millis(300));
    let from = player.output.len();
    player.play(2, &sine);
    for i in from..player.output.len() {
        assert!((player.output[i] - (player.input[i] + 0.5)).abs() < 1e-6, "runs the last build (tone_v2)");
    }
    assert_eq!(player.allocations, 0, "the audio thread allocated");
    drop(player);

    // The worker is joined when the last shell drops, and it waits until the watcher's thread has let go of
    // its handler; the kernel then removes that thread a moment later, which no event announces, so the count
    // is watched for a bounded while.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while threads() != baseline && std::time::Instant::now() < deadline {
        std::thread::yield_now();
    }
    assert_eq!(threads(), baseline, "the watcher and worker threads stopped with the last shell");
    let left = overdub_testkit::files_under(ws.dir.path());
    assert_eq!(left, vec![ws.library.clone()], "no staged copy left behind");
}
