//! `overdub dev`'s build routes with real builds: a save of the crate's own sources runs the rustc command
//! cargo recorded; a compile error, a manifest change, a new dependency, a change to a dependency and a build
//! script go through cargo and behave as cargo does (the error shown, the running code playing on). Every
//! step checks the level the new code plays at, so a stale build loaded would fail it.

use crate::common::{json_lines, overdub, scaffold};
use overdub_testkit::{ChildGuard, EventLog, test_deadline};
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::thread::JoinHandle;

/// The scaffold's line that scales the input, which the steps edit.
const LEVEL_LINE: &str = "*sample *= level;";

/// A dev host playing noise through a crate, its JSON lines in a log and its stderr kept.
struct Dev {
    child: ChildGuard,
    events: EventLog<Value>,
    stderr: JoinHandle<String>,
    reader: JoinHandle<()>,
    krate: PathBuf,
    /// The RMS level the unedited scaffold plays at.
    unity_dbfs: f64,
}

impl Dev {
    fn start(krate: &Path) -> Self {
        let mut child = ChildGuard::spawn(
            overdub()
                .args(["dev", "--device", "null", "--json", "--input", "noise"])
                .current_dir(krate)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped()),
        );
        let stdout = child.child().stdout.take().unwrap();
        let mut err = child.child().stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        let (lines, reader) = json_lines(stdout);
        let source = std::fs::read_to_string(krate.join("src/lib.rs")).unwrap();
        assert!(source.contains(LEVEL_LINE), "the scaffold no longer has the line these tests edit");
        let mut events = EventLog::new(lines, test_deadline());
        let ready = events.wait_for("ready", |e| e["event"] == "ready");
        let level = |e: &Value| e["event"] == "meter";
        let at = events.position(|e| *e == ready).expect("received");
        events.wait_for_after(at, "a meter", level);
        let meter = events.wait_for_after(at, "a second meter", level);
        let unity_dbfs = meter["rms_dbfs"].as_f64().unwrap();
        Self { child, events, stderr, reader, krate: krate.to_owned(), unity_dbfs }
    }

    /// Writes `text` to the crate's file `relative`.
    fn write(&mut self, relative: &str, text: &str) {
        std::fs::write(self.krate.join(relative), text).unwrap();
    }

    /// The crate's `src/lib.rs` with the level line scaled by `factor` (an expression).
    fn scaled_source(&self, factor: &str) -> String {
        let source = std::fs::read_to_string(self.krate.join("src/lib.rs")).unwrap();
        let line = source.lines().find(|l| l.contains("*sample *= level")).expect("the level line").trim();
        source.replace(line, &format!("*sample *= level * {factor};"))
    }

    /// Waits for the build of a save after `from` that changed `file`; returns where it finished, its `built`
    /// line and the routes it started, in order (builds of other saves, such as cargo's own rewrite of the lock
    /// file, are passed over).
    fn build_of(&mut self, from: usize, file: &str) -> (usize, Value, Vec<Value>) {
        let path = self.krate.join(file);
        let path = path.to_str().unwrap().to_owned();
        let saves = move |e: &Value| {
            e["event"] == "building"
                && e["changed"].as_array().unwrap().iter().any(|p| p.as_str() == Some(&path))
        };
        let building =
            self.events.wait_for_after(from.saturating_sub(1), &format!("a build of {file}"), saves);
        let start = self.events.position(|e| *e == building).expect("received");
        let built = self.events.wait_for_after(start, "its end", |e| e["event"] == "built");
        let at = self.events.position(|e| *e == built).expect("received");
        let routes =
            self.events.seen()[start..at].iter().filter(|e| e["event"] == "compiling").cloned().collect();
        (at, built, routes)
    }

    /// Waits for a swap after `from` and returns the level the new code plays at, relative to unity, in dB.
    fn level_after_swap(&mut self, from: usize) -> (Value, f64) {
        self.level_after_swap_where(from, |_| true)
    }

    /// As `level_after_swap`, for the swap of a library `built` the way `built` says: a library an earlier
    /// build wrote another way may still be swapping in after `from` (the swap and the `built` line come
    /// in either order).
    fn level_after_swap_of(&mut self, from: usize, built: &Value) -> (Value, f64) {
        let route = route(built).to_owned();
        self.level_after_swap_where(from, move |e| e["build_route"] == route.as_str())
    }

    fn level_after_swap_where(&mut self, from: usize, of: impl Fn(&Value) -> bool) -> (Value, f64) {
        let swapped = self
            .events
            .wait_for_after(from.saturating_sub(1), "a swap", |e| e["event"] == "swapped" && of(e));
        let at = self.events.position(|e| *e == swapped).expect("received");
        assert_eq!(swapped["state"], "kept", "a code-only edit keeps the state: {swapped}");
        (swapped, self.level_after(at))
    }

    /// The level of the second meter after the line at `at` (the first may straddle it), relative to unity.
    fn level_after(&mut self, at: usize) -> f64 {
        let level = |e: &Value| e["event"] == "meter";
        self.events.wait_for_after(at, "a meter", level);
        let meter = self.events.wait_for_after(at, "a second meter", level);
        meter["rms_dbfs"].as_f64().unwrap() - self.unity_dbfs
    }

    fn stop(mut self) -> String {
        let pid = self.child.child().id().to_string();
        assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        self.events.wait_for("interrupted", |e| e["event"] == "interrupted");
        assert!(self.child.child().wait().unwrap().success(), "Ctrl-C exits cleanly");
        self.reader.join().unwrap();
        self.stderr.join().unwrap()
    }
}

/// Asserts `level` (dB re unity) is the one `factor` gives.
#[track_caller]
fn assert_plays_at(level: f64, factor: f64, what: &str) {
    let expected = 20.0 * factor.log10();
    assert!((level - expected).abs() < 1.5, "{what}: plays at {level:.1} dB, expected {expected:.1} dB");
}

fn route(event: &Value) -> &str {
    event["route"].as_str().unwrap_or_default()
}

#[test]
fn a_compile_error_and_a_manifest_change_go_through_cargo_and_a_source_edit_goes_fast() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "routes-fx");
    let mut dev = Dev::start(&krate);

    // A compile error: the fast build fails, cargo shows its error, the running code plays on.
    let mark = dev.events.mark();
    let broken = dev.scaled_source("missing_thing");
    dev.write("src/lib.rs", &broken);
    let (at, built, routes) = dev.build_of(mark, "src/lib.rs");
    assert_eq!(built["ok"], false, "{built}");
    assert_eq!(routes.iter().map(route).collect::<Vec<_>>(), ["fast", "cargo"], "{routes:?}");
    assert_eq!(routes[1]["reason"], "the direct rustc build failed");
    assert_plays_at(dev.level_after(at), 1.0, "after the failed build");

    // The fix: the fast path, and the new code plays; its warning is shown as cargo shows it.
    let mark = dev.events.mark();
    let half = dev.scaled_source("0.5") + "\nfn never_called() {}\n";
    dev.write("src/lib.rs", &half);
    let (_, built, routes) = dev.build_of(mark, "src/lib.rs");
    assert_eq!((built["ok"].as_bool(), route(&built)), (Some(true), "fast"), "{built}");
    assert_eq!(routes.len(), 1, "{routes:?}");
    let (swapped, level) = dev.level_after_swap(mark);
    assert_plays_at(level, 0.5, "after the fix");
    assert_eq!(swapped["build_route"], "fast");
    for phase in ["save_to_sound_ms", "detect_ms", "build_ms", "load_ms", "swap_ms"] {
        assert!(swapped[phase].as_f64().is_some_and(|ms| ms >= 0.0), "{phase} missing: {swapped}");
    }

    // A feature the code reads, turned on in the manifest: rustc's flags change, so only cargo gets it right.
    let mark = dev.events.mark();
    let gated = dev.scaled_source("if cfg!(feature = \"quiet\") { 0.25 } else { 0.7 }");
    dev.write("src/lib.rs", &gated);
    let (_, built, _) = dev.build_of(mark, "src/lib.rs");
    assert_eq!(route(&built), "fast");
    let (_, level) = dev.level_after_swap(mark);
    assert_plays_at(level, 0.7, "with the feature off");
    let mark = dev.events.mark();
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    dev.write("Cargo.toml", &format!("{manifest}\n[features]\ndefault = [\"quiet\"]\nquiet = []\n"));
    let (_, built, routes) = dev.build_of(mark, "Cargo.toml");
    assert_eq!(route(&built), "cargo", "{built}");
    assert!(routes[0]["reason"].as_str().unwrap().contains("Cargo.toml changed"), "{routes:?}");
    let (swapped, level) = dev.level_after_swap(mark);
    assert_plays_at(level, 0.25, "with the feature on");
    assert_eq!(swapped["build_route"], "cargo");

    let stderr = dev.stop();
    assert!(stderr.contains("missing_thing") && stderr.contains("could not compile"), "{stderr}");
    assert_eq!(stderr.matches("cannot find value `missing_thing`").count(), 1, "shown once:\n{stderr}");
    // cargo announces each of its builds (the first, the failed one, the manifest's): what the fast builds
    // printed lies between the second and the third.
    let by_cargo: Vec<&str> = stderr.split("Compiling routes-fx").collect();
    assert_eq!(by_cargo.len(), 4, "three cargo builds:\n{stderr}");
    for words in ["function `never_called` is never used", "`routes-fx` (lib) generated 1 warning"] {
        assert!(by_cargo[2].contains(words), "the fast builds did not show `{words}`:\n{stderr}");
    }
    assert!(
        !stderr.contains("warnings emitted") && !stderr.contains('\u{1b}'),
        "as cargo shows it:\n{stderr}"
    );
}

#[test]
fn a_new_dependency_a_change_to_it_and_a_build_script_go_through_cargo() {
    let dir = tempfile::tempdir().unwrap();
    let krate = scaffold(dir.path(), "deps-fx");
    // A path dependency outside the watched directory: its edits start no build by themselves.
    let helper = dir.path().join("helper");
    std::fs::create_dir_all(helper.join("src")).unwrap();
    std::fs::write(
        helper.join("Cargo.toml"),
        "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )
    .unwrap();
    std::fs::write(helper.join("src/lib.rs"), "pub const FACTOR: f32 = 0.5;\n").unwrap();
    let mut dev = Dev::start(&krate);

    // The new dependency in the manifest: cargo; then code using it takes the fast path (cargo recorded a
    // command that links it).
    let mark = dev.events.mark();
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    let with_helper =
        manifest.replace("[dependencies]\n", "[dependencies]\nhelper = { path = \"../helper\" }\n");
    assert_ne!(with_helper, manifest, "the scaffold's manifest has no [dependencies] line");
    dev.write("Cargo.toml", &with_helper);
    let (_, built, _) = dev.build_of(mark, "Cargo.toml");
    assert_eq!((built["ok"].as_bool(), route(&built)), (Some(true), "cargo"), "{built}");
    let mark = dev.events.mark();
    let using = dev.scaled_source("helper::FACTOR");
    dev.write("src/lib.rs", &using);
    let (_, built, _) = dev.build_of(mark, "src/lib.rs");
    assert_eq!(route(&built), "fast", "{built}");
    let (_, level) = dev.level_after_swap_of(mark, &built);
    assert_plays_at(level, 0.5, "with the dependency's factor");

    // The dependency changed on disk: the next save goes through cargo, which rebuilds it.
    std::fs::write(helper.join("src/lib.rs"), "pub const FACTOR: f32 = 0.25;\n").unwrap();
    let mark = dev.events.mark();
    let again = dev.scaled_source("helper::FACTOR * 1.0");
    dev.write("src/lib.rs", &again);
    let (_, built, routes) = dev.build_of(mark, "src/lib.rs");
    assert_eq!(route(&built), "cargo", "{built}");
    let reason = routes[0]["reason"].as_str().unwrap();
    assert!(reason.contains("helper") && reason.contains("changed since cargo's last build"), "{reason}");
    let (_, level) = dev.level_after_swap(mark);
    assert_plays_at(level, 0.25, "with the dependency's new factor");

    // A build script whose output the code reads: cargo, for it and for every save after it.
    let mark = dev.events.mark();
    let from_script = dev.scaled_source("env!(\"FX_FACTOR\").parse::<f32>().unwrap()");
    dev.write("src/lib.rs", &from_script);
    dev.write("build.rs", "fn main() { println!(\"cargo:rustc-env=FX_FACTOR=0.5\"); }\n");
    let (_, level) = dev.level_after_swap(mark);
    assert_plays_at(level, 0.5, "with the build script's factor");
    let builds: Vec<Value> =
        dev.events.seen()[mark..].iter().filter(|e| e["event"] == "built").cloned().collect();
    assert!(builds.iter().any(|b| route(b) == "cargo" && b["ok"] == true), "{builds:?}");
    let mark = dev.events.mark();
    dev.write("build.rs", "fn main() { println!(\"cargo:rustc-env=FX_FACTOR=0.25\"); }\n");
    let (_, built, routes) = dev.build_of(mark, "build.rs");
    assert_eq!(route(&built), "cargo", "{built}");
    assert!(routes[0]["reason"].as_str().unwrap().contains("build.rs changed"), "{routes:?}");
    let (_, level) = dev.level_after_swap(mark);
    assert_plays_at(level, 0.25, "with the build script's new factor");
    let mark = dev.events.mark();
    let edited = dev.scaled_source("env!(\"FX_FACTOR\").parse::<f32>().unwrap() * 2.0");
    dev.write("src/lib.rs", &edited);
    let (_, built, routes) = dev.build_of(mark, "src/lib.rs");
    assert_eq!(route(&built), "cargo", "{built}");
    assert_eq!(routes[0]["reason"], "the crate has a build script");
    let (_, level) = dev.level_after_swap(mark);
    assert_plays_at(level, 0.5, "after a source edit of a crate with a build script");
    dev.stop();
}
