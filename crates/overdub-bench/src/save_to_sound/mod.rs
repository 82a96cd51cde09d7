//! Save → sound: for the scaffold and the DSP fixture, one-line edits to `process` timed from the file write
//! to the first block of new code through the real `overdub dev` (release build, null device), split into
//! the phases it reports (detect, build, load, swap) and beside the bare rustc time of the same edit, in the
//! same run. Each choice of the dev build path is a variant: cargo or the fast path, full debug info or line
//! tables, the rlib emitted or not, dependencies optimised or not. Also the link alone, the DSP fixture's cost
//! per block in each build, and the blocks it played late through the dev host.

mod bare;
mod crates;
mod dsp_cost;
mod session;

use crate::build::release_binary;
use crate::report::Report;
use crate::stats::{ms, quantile};
use crates::{EditedCrate, Profile};
use session::{DevSession, Save};
use std::path::Path;
use std::time::Duration;

/// One way of building, measured.
struct Variant {
    key: &'static str,
    label: &'static str,
    profile: Profile,
    flags: &'static [&'static str],
    route: &'static str,
}

const FULL_DEPS_UNOPTIMISED: Profile = Profile { full_debug: true, deps_optimised: false };
const LINES_DEPS_UNOPTIMISED: Profile = Profile { full_debug: false, deps_optimised: false };
const LINES_DEPS_OPTIMISED: Profile = Profile { full_debug: false, deps_optimised: true };

/// The variants, from how `overdub dev` built before this path existed to how it builds now.
const VARIANTS: [Variant; 8] = [
    Variant {
        key: "before",
        label: "cargo, full debug, cdylib+rlib, deps unoptimised (before)",
        profile: FULL_DEPS_UNOPTIMISED,
        flags: &["--build", "cargo"],
        route: "cargo",
    },
    Variant {
        key: "cargo_lines",
        label: "cargo, line tables, cdylib+rlib, deps unoptimised",
        profile: LINES_DEPS_UNOPTIMISED,
        flags: &["--build", "cargo"],
        route: "cargo",
    },
    Variant {
        key: "fast_as_cargo_full",
        label: "fast, full debug, cdylib+rlib, deps unoptimised",
        profile: FULL_DEPS_UNOPTIMISED,
        flags: &["--fast-emit", "as-cargo"],
        route: "fast",
    },
    Variant {
        key: "fast_cdylib_full",
        label: "fast, full debug, cdylib only, deps unoptimised",
        profile: FULL_DEPS_UNOPTIMISED,
        flags: &[],
        route: "fast",
    },
    Variant {
        key: "fast_cdylib_lines",
        label: "fast, line tables, cdylib only, deps unoptimised",
        profile: LINES_DEPS_UNOPTIMISED,
        flags: &[],
        route: "fast",
    },
    Variant {
        key: "cargo_after",
        label: "cargo, line tables, cdylib+rlib, deps optimised",
        profile: LINES_DEPS_OPTIMISED,
        flags: &["--build", "cargo"],
        route: "cargo",
    },
    Variant {
        key: "after_as_cargo",
        label: "fast, line tables, cdylib+rlib, deps optimised",
        profile: LINES_DEPS_OPTIMISED,
        flags: &["--fast-emit", "as-cargo"],
        route: "fast",
    },
    Variant {
        key: "after",
        label: "fast, line tables, cdylib only, deps optimised (after)",
        profile: LINES_DEPS_OPTIMISED,
        flags: &[],
        route: "fast",
    },
];

/// The DSP fixture's own code optimised too (`overdub dev --opt-level 1`).
const FIXTURE_OPTIMISED: Variant = Variant {
    key: "after_opt1",
    label: "fast, line tables, cdylib only, deps optimised, --opt-level 1",
    profile: LINES_DEPS_OPTIMISED,
    flags: &["--opt-level", "1"],
    route: "fast",
};

/// Edits timed per variant, after the warm-up ones.
const SCAFFOLD_EDITS: usize = 16;
const FIXTURE_EDITS: usize = 10;
/// Edits first saved untimed: the first rebuild of a session may go through cargo, and the incremental
/// cache of a changed command is cold.
const WARM_UP: usize = 2;

/// How long the fixture plays untouched to count late blocks.
const STEADY_PLAY: Duration = Duration::from_secs(10);

/// Measures both crates in every variant.
pub fn run(report: &mut Report) {
    let overdub = release_binary("overdub-cli", "overdub");
    let work = overdub.parent().expect("binaries have a directory").join("save-to-sound");
    std::fs::create_dir_all(&work).expect("create the work directory");
    let target = work.join("target");

    let scaffold = EditedCrate::scaffold(&overdub, &work);
    for variant in &VARIANTS {
        let (first, saves) = measure(&overdub, &scaffold, &target, variant, SCAFFOLD_EDITS, |_| {});
        record(report, &scaffold, variant, &first, &saves, Some(250.0));
    }
    link(report, &overdub, &scaffold, &target);

    let fixture = EditedCrate::dsp_fixture(&work);
    let library = target.join("debug").join(format!("lib{}.so", fixture.lib));
    let copy_of = |key: &str| work.join(format!("dsp-{key}.so"));
    for variant in VARIANTS.iter().chain([&FIXTURE_OPTIMISED]) {
        let (first, saves) = measure(&overdub, &fixture, &target, variant, FIXTURE_EDITS, |session| {
            if variant.key == "after" {
                report.at_most(
                    "save_to_sound.dsp_fixture.late_blocks_steady",
                    &format!(
                        "DSP fixture through overdub dev: late blocks in {} s of play",
                        STEADY_PLAY.as_secs()
                    ),
                    session.late_blocks_over(STEADY_PLAY) as f64,
                    "",
                    0.0,
                );
                report.info(
                    "save_to_sound.dsp_fixture.late_blocks_session",
                    "  late blocks over the whole session, its rebuilds included",
                    session.late_blocks() as f64,
                    "",
                );
            }
        });
        std::fs::copy(&library, copy_of(variant.key)).expect("keep the variant's library");
        record(report, &fixture, variant, &first, &saves, None);
    }
    link(report, &overdub, &fixture, &target);
    dsp_costs(report, &fixture, &target, &copy_of);
}

/// Plays `krate` built as `variant` says, saves `edits` timed edits after the warm-up, and hands the session
/// to `then` before stopping it; returns the session's first save (by the route its startup left, with the
/// caches as cold as they are then) and the timed ones.
fn measure(
    overdub: &Path,
    krate: &EditedCrate,
    target: &Path,
    variant: &Variant,
    edits: usize,
    then: impl FnOnce(&mut DevSession),
) -> (Save, Vec<Save>) {
    krate.set_profile(variant.profile);
    let mut session = DevSession::start(overdub, krate, target, variant.flags);
    let first = session.save(false);
    for _ in 1..WARM_UP {
        let _ = session.save(false);
    }
    let saves = (0..edits).map(|_| session.save(true)).collect();
    then(&mut session);
    session.stop();
    (first, saves)
}

fn record(
    report: &mut Report,
    krate: &EditedCrate,
    variant: &Variant,
    first: &Save,
    saves: &[Save],
    limit_ms: Option<f64>,
) {
    let key = |name: &str| format!("save_to_sound.{}.{}.{name}", krate.tag, variant.key);
    let label = format!("{}: {}", krate.tag, variant.label);
    let totals: Vec<Duration> = saves.iter().map(|s| s.save_to_sound).collect();
    let bare: Vec<Duration> = saves.iter().map(|s| s.bare_rustc).collect();
    let ratios: Vec<f64> =
        saves.iter().map(|s| s.save_to_sound.as_secs_f64() / s.bare_rustc.as_secs_f64()).collect();
    let median = ms(quantile(&totals, 0.5));
    let after = variant.key == "after";
    match limit_ms.filter(|_| after) {
        Some(limit) => {
            report.at_most(&key("median_ms"), &format!("{label}, save→sound median"), median, "ms", limit)
        }
        None => report.info(&key("median_ms"), &format!("{label}, save→sound median"), median, "ms"),
    }
    report.info(&key("p90_ms"), "  save→sound p90", ms(quantile(&totals, 0.9)), "ms");
    report.info(
        &key("bare_rustc_ms"),
        "  bare rustc of the same edit, median",
        ms(quantile(&bare, 0.5)),
        "ms",
    );
    let ratio_label = "  save→sound / bare rustc, median of the edits";
    if after {
        report.at_most(&key("ratio_median"), ratio_label, quantile_f64(&ratios, 0.5), "×", 1.15);
    } else {
        report.info(&key("ratio_median"), ratio_label, quantile_f64(&ratios, 0.5), "×");
    }
    report.info(&key("ratio_p90"), "  save→sound / bare rustc, p90", quantile_f64(&ratios, 0.9), "×");
    let phase = |name: &str| {
        let values: Vec<Duration> = saves
            .iter()
            .map(|s| Duration::from_secs_f64(s.swapped[name].as_f64().unwrap_or(0.0) / 1e3))
            .collect();
        ms(quantile(&values, 0.5))
    };
    report.info(&key("detect_ms"), "  detect, median", phase("detect_ms"), "ms");
    report.info(&key("build_ms"), "  build, median", phase("build_ms"), "ms");
    report.info(
        &key("load_ms"),
        "  settle + load + prepare, median",
        phase("settle_ms") + phase("load_ms") + phase("prepare_ms"),
        "ms",
    );
    report.info(&key("swap_ms"), "  swap, median", phase("swap_ms"), "ms");
    report.info(
        &key("first_save_ms"),
        &format!("  the session's first save ({}), save→sound", first.route),
        ms(first.save_to_sound),
        "ms",
    );
    let off_route = saves.iter().filter(|s| s.route != variant.route).count();
    report.at_most(
        &key("off_route"),
        &format!("  edits not built by the {} path", variant.route),
        off_route as f64,
        "",
        0.0,
    );
}

/// The linker alone, for the crate as the dev host builds it now.
fn link(report: &mut Report, overdub: &Path, krate: &EditedCrate, target: &Path) {
    let after = &VARIANTS[VARIANTS.len() - 1];
    krate.set_profile(after.profile);
    let session = DevSession::start(overdub, krate, target, after.flags);
    let recorded = session.recorded();
    session.stop();
    let link = bare::link_time(&recorded, &target.join("bench-link"), 5);
    report.info(
        &format!("save_to_sound.{}.link_ms", krate.tag),
        &format!("{}: the link alone (linker line rerun), median of 5", krate.tag),
        ms(link),
        "ms",
    );
}

/// The DSP fixture's cost per block in each build, and the release build's.
fn dsp_costs(
    report: &mut Report,
    fixture: &EditedCrate,
    target: &Path,
    copy_of: &dyn Fn(&str) -> std::path::PathBuf,
) {
    let release = overdub_testkit::cargo();
    let mut release = release;
    release
        .args(["build", "--release", "--lib", "--quiet"])
        .current_dir(&fixture.dir)
        .env("CARGO_TARGET_DIR", target);
    overdub_testkit::run_build(release, "the DSP fixture in release");
    let budget = dsp_cost::budget_us();
    let builds = [
        ("before", "dev build, deps unoptimised, crate at opt-level 0".to_owned(), copy_of("before")),
        ("after", "dev build, deps optimised, crate at opt-level 0".to_owned(), copy_of("after")),
        ("after_opt1", "dev build, deps optimised, crate at opt-level 1".to_owned(), copy_of("after_opt1")),
        (
            "release",
            "release build".to_owned(),
            target.join("release").join(format!("lib{}.so", fixture.lib)),
        ),
    ];
    for (key, label, library) in builds {
        let cost = dsp_cost::per_block_us(&library);
        report.info(
            &format!("dsp_fixture.block_us.{key}"),
            &format!("DSP fixture, {}-sample block, {label}", dsp_cost::BLOCK),
            cost,
            "µs",
        );
        report.info(
            &format!("dsp_fixture.budget_share.{key}"),
            &format!("  of its {budget:.0} µs budget"),
            cost / budget,
            "×",
        );
    }
}

/// The `q` quantile of `values`, nearest rank.
fn quantile_f64(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
