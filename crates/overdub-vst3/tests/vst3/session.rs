//! A DAW-like session: the audio thread plays blocks while the main thread saves the project every
//! millisecond, loads it back every tenth time, and polls parameter values, texts, latency and tail. Nothing
//! the main thread does may hold up or silence a block: the processor shares only lock-free values with it.

use crate::build::static_plugin;
use crate::host::Plugin;
use overdub::param_id;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use vst3::Steinberg::kResultOk;

const GAIN: u32 = param_id("gain");
const BLOCKS: usize = 3000;

#[test]
fn main_thread_calls_during_playback_never_silence_or_change_a_block() {
    let mut plugin = Plugin::load(&static_plugin("gain"));
    let mut running = plugin.start(48_000.0, 64, 2, 2);
    let playing = AtomicBool::new(true);
    let mut calls = 0;
    let wrong_blocks = std::thread::scope(|scope| {
        let audio = scope.spawn(|| {
            let mut wrong = 0;
            for _ in 0..BLOCKS {
                running.inputs.iter_mut().for_each(|c| c.fill(1.0));
                assert_eq!(running.process(64, &[], &[]), kResultOk);
                wrong += usize::from(running.outputs.iter().any(|c| c[..64].iter().any(|&s| s != 1.0)));
                std::thread::sleep(Duration::from_micros(200));
            }
            playing.store(false, Ordering::Release);
            wrong
        });
        while playing.load(Ordering::Acquire) {
            let (component, controller) = plugin.save();
            if calls % 10 == 0 {
                assert_eq!(plugin.restore(&component, &controller), kResultOk);
            }
            let value = plugin.value(GAIN);
            assert!(plugin.text(GAIN, value).is_some());
            assert_eq!((plugin.latency(), plugin.tail()), (0, 0));
            plugin.run_loop();
            calls += 1;
            std::thread::sleep(Duration::from_millis(1));
        }
        audio.join().expect("the audio thread")
    });
    assert!(calls > 100, "the main thread kept calling: {calls} rounds");
    assert_eq!(wrong_blocks, 0, "blocks silenced or changed by main-thread calls");
    plugin.stop(running);
}
