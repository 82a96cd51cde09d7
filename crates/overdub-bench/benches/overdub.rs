//! `cargo bench -p overdub-bench`: every measure, printed as a table and written to target/overdub-bench.json.

#[cfg(not(debug_assertions))]
use overdub_abi::alloc_counter::CountingAllocator;

// Counts allocations on the benchmark's audio thread. (In debug builds the gain example linked in for the
// overhead measure installs this same allocator itself, as the export macro does for logic in development.)
#[cfg(not(debug_assertions))]
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn main() {
    let report = overdub_bench::run();
    print!("{}", report.table());
    let path = overdub_testkit::workspace_root().join("target").join("overdub-bench.json");
    report.write_json(&path).expect("write the JSON summary");
    println!("wrote {}", path.display());
}
