//! Times the delay example bare, static and hot, or runs one of them for callgrind to count
//! (`overdub_bench::overhead`); its first argument is the delay library built in release. A process of its
//! own: only one logic crate can be linked into a binary.

fn main() {
    overdub_bench::overhead::main::<delay::Delay>();
}
