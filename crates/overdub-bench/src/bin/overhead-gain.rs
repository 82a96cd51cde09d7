//! Times the gain example bare, static and hot (`overdub_bench::overhead`); its only argument is the gain
//! library built in release. A process of its own: only one logic crate can be linked into a binary.

fn main() {
    let library = std::env::args_os().nth(1).expect("usage: overhead-gain LIBRARY");
    overdub_bench::overhead::print_timings::<gain::Gain>(std::path::Path::new(&library));
}
