//! A logic library built against a copy of the ABI crate whose `Transport` has two fields swapped: same
//! size, same alignment, different offsets. A size-and-alignment canary would pass it; overdub's must not.

use crate::{cargo, dylib_file_name, run_build, workspace_root};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const ORIGINAL: &str = "    /// Beats per minute.\n    pub tempo: f64,";
const SWAPPED_WITH: &str = "    /// Timeline position of the block's first sample, in quarter-note beats.\n    pub position_beats: f64,";

/// Builds (once per run) and returns the skewed library.
pub fn abi_skew_library() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(build).clone()
}

fn build() -> PathBuf {
    let root = workspace_root();
    let work = root.join("target").join("fixtures-abi-skew");
    let abi = work.join("overdub-abi");
    let _ = fs::remove_dir_all(abi.join("src"));
    copy_dir(&root.join("crates/overdub-abi/src"), &abi.join("src"));
    fs::copy(root.join("crates/overdub-abi/build.rs"), abi.join("build.rs")).expect("copy build.rs");
    write(&abi.join("Cargo.toml"), &standalone_manifest(&root.join("crates/overdub-abi/Cargo.toml")));
    let transport = abi.join("src/transport.rs");
    let text = fs::read_to_string(&transport).expect("read transport.rs");
    assert!(
        text.contains(ORIGINAL) && text.contains(SWAPPED_WITH),
        "the skew patch no longer matches transport.rs; update overdub-testkit/src/skew.rs"
    );
    let swapped = text
        .replace(ORIGINAL, "@@TEMPO@@")
        .replace(SWAPPED_WITH, ORIGINAL)
        .replace("@@TEMPO@@", SWAPPED_WITH);
    write(&transport, &swapped);

    let logic = work.join("skewed-logic");
    write(
        &logic.join("Cargo.toml"),
        "[package]\nname = \"fixture-abi-skew\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [lib]\nname = \"fixture_abi_skew\"\ncrate-type = [\"cdylib\"]\n\n\
         [dependencies]\noverdub-abi = { path = \"../overdub-abi\" }\n\n[workspace]\n",
    );
    write(
        &logic.join("src/lib.rs"),
        "//! A logic object written against the skewed boundary directly: only its canary is ever read.\n\
         use overdub_abi::{LogicInfo, LogicObject, Outcome, ProcessBlock, ProcessStatus, StateError, StateSink};\n\
         pub struct Skewed;\n\
         impl LogicObject for Skewed {\n\
             fn info(&mut self) -> Outcome<LogicInfo> {\n\
                 Ok(LogicInfo { id: \"dev.overdub.fixtures.skew\", name: \"Skewed\", params: &[], on_fault: Default::default() })\n\
             }\n\
             fn reset(&mut self, _: f64, _: usize) -> Outcome<()> { Ok(()) }\n\
             fn process(&mut self, _: &mut ProcessBlock<'_>) -> Outcome<ProcessStatus> { Ok(ProcessStatus::Normal) }\n\
             fn save_state(&mut self, _: &mut dyn StateSink) -> Outcome<()> { Ok(()) }\n\
             fn load_state(&mut self, _: &[u8]) -> Outcome<Result<(), StateError>> { Ok(Ok(())) }\n\
             fn latency(&mut self) -> Outcome<u32> { Ok(0) }\n\
             fn allocations(&mut self) -> Outcome<u64> { Ok(0) }\n\
             fn destroy(self: Box<Self>) -> Outcome<()> { Ok(()) }\n\
         }\n\
         #[unsafe(no_mangle)]\n\
         pub extern \"C\" fn overdub_abi_canary(len: &mut usize) -> *const u8 { overdub_abi::export::canary_export(len) }\n\
         #[unsafe(no_mangle)]\n\
         pub fn overdub_vtable_probe() -> Box<dyn LogicObject> { Box::new(overdub_abi::probe::Probe) }\n\
         #[unsafe(no_mangle)]\n\
         pub fn overdub_create() -> Outcome<Box<dyn LogicObject>> { Ok(Box::new(Skewed)) }\n\
         #[unsafe(no_mangle)]\n\
         pub fn overdub_state_fingerprint() -> u64 { 0 }\n\
         /// # Safety\n\
         /// Never called: the fingerprint is 0, so nothing is adopted.\n\
         #[unsafe(no_mangle)]\n\
         pub unsafe fn overdub_adopt(_: *mut ()) -> Box<dyn LogicObject> { Box::new(Skewed) }\n",
    );
    let target = work.join("target");
    let mut command = cargo();
    command
        .arg("build")
        .arg("--manifest-path")
        .arg(logic.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target);
    run_build(command, "the ABI-skew fixture");
    target.join("debug").join(dylib_file_name("fixture_abi_skew"))
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("files have parents")).expect("create directory");
    fs::write(path, text).expect("write file");
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create directory");
    for entry in fs::read_dir(from).expect("read directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            fs::copy(&path, to.join(entry.file_name())).expect("copy file");
        }
    }
}

/// The ABI crate's manifest as a workspace of its own: its dependencies (egui, which its build script
/// reads) as they are, the workspace's inherited fields filled in or dropped.
fn standalone_manifest(manifest: &Path) -> String {
    let text = fs::read_to_string(manifest).expect("read the ABI crate's manifest");
    let mut out = String::new();
    for line in text.lines().take_while(|line| *line != "[lints]") {
        match line.split_once(".workspace = true") {
            Some(("version", _)) => out.push_str(&format!("version = \"{}\"\n", env!("CARGO_PKG_VERSION"))),
            Some(("edition", _)) => out.push_str("edition = \"2024\"\n"),
            Some(_) => {}
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out.push_str("\n[workspace]\n");
    out
}
