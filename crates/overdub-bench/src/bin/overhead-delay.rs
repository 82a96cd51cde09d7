//! Times the delay example bare, static and hot (`overdub_bench::overhead`); its only argument is the delay
//! library built in release. A process of its own: only one logic crate can be linked into a binary.

fn main() {
    let library = std::env::args_os().nth(1).expect("usage: overhead-delay LIBRARY");
    overdub_bench::overhead::print_timings::<delay::Delay>(std::path::Path::new(&library));
}
