//! A panic in the logic's `process` does no I/O and allocates nothing on the audio thread, whatever
//! `RUST_BACKTRACE` says: the library's hook records message and location into fixed storage, the panic
//! runtime's memory comes from a fixed arena, and the fault is reported from the main thread.

use crate::common::{BLOCK, EXPLODE_ID, config};
use overdub::alloc_counter::count_allocations;
use overdub_loader::HotShell;
use overdub_shell::{AudioBlock, Continuity, HostBlock, Shell, ShellProcessor};
use overdub_testkit::{output_within, test_deadline};
use std::process::Command;

/// Environment variable that turns [`panicking_block_in_a_child`] from a no-op into the measured process.
const CHILD_LIBRARY: &str = "OVERDUB_TEST_PANIC_LIBRARY";

#[test]
fn panicking_block_in_a_child() {
    let Some(library) = std::env::var_os(CHILD_LIBRARY) else { return };
    let mut shell = HotShell::load(&library).expect("the fixture loads");
    let mut processor = shell.activate(config(), Continuity::Reset).expect("activate");
    let mut block = AudioBlock::new(2, 2, BLOCK);
    processor.process(&mut block.buffer(BLOCK), &HostBlock::default());
    processor.set_param(EXPLODE_ID, 1.0).unwrap();
    let logic_before = processor.engine_mut().logic_allocations();
    let ((mut processor, shell_allocations), io) = overdub_testkit::syscalls::count_io(move || {
        let ((), allocations) = count_allocations(|| {
            for _ in 0..3 {
                processor.process(&mut block.buffer(BLOCK), &HostBlock::default());
            }
        });
        (processor, allocations)
    });
    let logic_allocations = processor.engine_mut().logic_allocations() - logic_before;
    let fault = shell.take_fault().map(|f| f.message.to_string()).unwrap_or_default();
    println!(
        "measured shell_allocations={shell_allocations} logic_allocations={logic_allocations} writes={} \
         opens={} fault={fault}",
        io.writes, io.opens
    );
}

#[test]
fn a_panic_in_process_does_no_io_and_allocates_nothing_on_the_audio_thread_with_or_without_backtraces() {
    let ws = crate::common::Workspace::with("tone");
    for backtrace in [None, Some("1"), Some("full")] {
        let mut child = Command::new(std::env::current_exe().unwrap());
        child
            .args(["--exact", "quiet_panics::panicking_block_in_a_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_LIBRARY, &ws.library);
        match backtrace {
            Some(value) => child.env("RUST_BACKTRACE", value),
            None => child.env_remove("RUST_BACKTRACE"),
        };
        let output = output_within(&mut child, test_deadline());
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        let line = stdout
            .lines()
            .find_map(|l| l.find("measured ").map(|at| &l[at..]))
            .unwrap_or_else(|| panic!("{stdout}"));
        let expected = "measured shell_allocations=0 logic_allocations=0 writes=0 opens=0 fault=";
        assert!(line.starts_with(expected), "RUST_BACKTRACE={backtrace:?}: {line}");
        assert!(line.contains("tone exploded after 64 frames (at "), "message and location reported: {line}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("tone exploded"), "nothing printed by the panic: {stderr}");
    }
}
