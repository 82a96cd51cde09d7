//! `cargo bench -p overdub-bench`: every measure, printed as a table and written to target/overdub-bench.json.

use overdub::alloc_counter::CountingAllocator;

// Counts allocations on the benchmark's audio thread.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn main() {
    let report = overdub_bench::run();
    print!("{}", report.table());
    let path = overdub_testkit::workspace_root().join("target").join("overdub-bench.json");
    report.write_json(&path).expect("write the JSON summary");
    println!("wrote {}", path.display());
}
