//! The plugin's description and the logic library's path, from the logic crate's manifest.

fn main() {
    overdub_build::clap_wrapper();
}
