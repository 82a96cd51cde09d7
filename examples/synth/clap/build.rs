//! Records where a hot build finds the logic library: the `synth` cdylib cargo builds into the same target
//! directory (`<target>/<profile>/`, three levels above this script's `OUT_DIR`).

fn main() {
    let out_dir = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let profile_dir = out_dir.ancestors().nth(3).expect("OUT_DIR is <target>/<profile>/build/<package>/out");
    let (prefix, suffix) = match std::env::var("CARGO_CFG_TARGET_OS").as_deref() {
        Ok("macos" | "ios") => ("lib", ".dylib"),
        Ok("windows") => ("", ".dll"),
        _ => ("lib", ".so"),
    };
    let library = profile_dir.join(format!("{prefix}synth{suffix}"));
    println!("cargo:rustc-env=OVERDUB_LOGIC_PATH={}", library.display());
    println!("cargo:rerun-if-changed=build.rs");
}
