use crate::common::{Workspace, assert_samples, process, ramp};
use overdub_loader::{HotShell, LoadError, Loader, ReloadError};
use overdub_testkit::{abi_skew_library, fixture};
use std::fs;

fn load_error(path: &std::path::Path) -> LoadError {
    match Loader::new(path).load() {
        Ok(library) => panic!("{} loaded: {library:?}", path.display()),
        Err(error) => error,
    }
}

#[test]
fn missing_file_is_reported_with_a_build_hint() {
    let ws = Workspace::with("tone");
    let gone = ws.dir.path().join("libnothing.so");
    let error = load_error(&gone);
    assert!(matches!(error, LoadError::Missing { .. }), "{error}");
    assert!(error.to_string().contains("build the logic crate first"), "{error}");
}

#[test]
fn a_file_that_is_not_a_library_is_rejected() {
    let ws = Workspace::with("tone");
    let text = ws.dir.path().join("notes.so");
    fs::write(&text, "these are not the bytes you are looking for\n".repeat(50)).unwrap();
    let error = load_error(&text);
    assert!(matches!(error, LoadError::NotALibrary { .. }), "{error}");
    assert!(error.to_string().contains("not an ELF, Mach-O or PE header"), "{error}");
}

#[test]
fn a_truncated_library_is_rejected_before_the_dynamic_loader_maps_it() {
    let ws = Workspace::with("tone");
    let bytes = fs::read(&ws.library).unwrap();
    for len in [0, 16, 64, 4096, bytes.len() / 2, bytes.len() - 1] {
        let cut = ws.dir.path().join(format!("cut-{len}.so"));
        fs::write(&cut, &bytes[..len]).unwrap();
        let error = load_error(&cut);
        assert!(matches!(error, LoadError::Truncated { .. }), "cut at {len}: {error}");
    }
}

#[test]
fn a_library_missing_each_export_is_rejected_naming_the_export() {
    for (name, symbol) in [
        ("no_canary", "overdub_abi_canary"),
        ("no_probe", "overdub_vtable_probe"),
        ("no_create", "overdub_create"),
    ] {
        match load_error(&fixture(name)) {
            LoadError::MissingExport { symbol: s, .. } => assert_eq!(s, symbol, "fixture {name}"),
            other => panic!("fixture {name}: {other}"),
        }
    }
}

#[test]
fn a_library_built_with_a_reordered_boundary_struct_is_rejected_field_by_field() {
    let error = load_error(&abi_skew_library());
    let LoadError::AbiMismatch { diff, .. } = &error else { panic!("expected an ABI mismatch, got {error}") };
    let fields: Vec<&str> = diff.differences.iter().map(|d| d.field.as_str()).collect();
    assert!(fields.contains(&"layout.Transport"), "{fields:?}");
    assert!(fields.contains(&"abi.source"), "{fields:?}");
    assert!(!fields.contains(&"rustc"), "same compiler: {fields:?}");
    let transport = diff.differences.iter().find(|d| d.field == "layout.Transport").unwrap();
    let (shell, logic) = (transport.shell.as_deref().unwrap(), transport.logic.as_deref().unwrap());
    assert!(shell.contains("tempo:f64@0"), "{shell}");
    assert!(!logic.contains("tempo:f64@0"), "{logic}");
    let size = |s: &str| s.split_whitespace().next().unwrap().to_owned();
    assert_eq!(size(shell), size(logic), "same size, so only the offsets reveal the change");
    let message = error.to_string();
    assert!(message.contains("shell: size=") && message.contains("logic: size="), "{message}");
}

#[test]
fn a_vtable_probe_mismatch_names_the_method() {
    match load_error(&fixture("bad_probe")) {
        LoadError::ProbeMismatch { mismatch, .. } => {
            assert_eq!(mismatch.method, "allocations");
            assert!(mismatch.to_string().contains("answered as `latency`"), "{mismatch}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_failed_reload_keeps_the_old_code_running() {
    let ws = Workspace::with("tone");
    let mut shell = ws.hot_shell();
    let input = ramp(64);
    assert_samples(&process(&mut shell, &input), |x| x, &input);

    let bytes = fs::read(&ws.library).unwrap();
    let broken = ws.dir.path().join("broken.so");
    for bad in [&bytes[..bytes.len() / 3], b"garbage".as_slice()] {
        fs::write(&broken, bad).unwrap();
        fs::rename(&broken, &ws.library).unwrap();
        assert!(shell.reload().is_err());
        assert_samples(&process(&mut shell, &input), |x| x, &input);
    }
    fs::remove_file(&ws.library).unwrap();
    assert!(matches!(shell.reload(), Err(ReloadError::Load(LoadError::Missing { .. }))));
    assert_samples(&process(&mut shell, &input), |x| x, &input);

    ws.install("tone_v2");
    assert!(shell.reload().is_ok());
    assert_samples(&process(&mut shell, &input), |x| x + 0.5, &input);
}

#[test]
fn loading_writes_no_file_anywhere_near_the_library() {
    let ws = Workspace::with("tone");
    let shell = ws.hot_shell();
    assert_eq!(overdub_testkit::files_under(ws.dir.path()), vec![ws.library.clone()]);
    drop(shell);
}

#[test]
fn the_private_image_holds_only_what_the_dynamic_loader_maps() {
    let ws = Workspace::with("tone");
    let shell = HotShell::load(&ws.library).unwrap();
    let cost = shell.library().cost();
    assert!(cost.image_bytes >= cost.mapped_bytes.min(cost.file_bytes) / 2, "{cost:?}");
    assert!(cost.image_bytes < cost.file_bytes, "the symbol tables are left out: {cost:?}");
}

#[test]
fn load_cost_is_accounted() {
    let ws = Workspace::with("tone");
    let shell = HotShell::load(&ws.library).unwrap();
    let cost = shell.library().cost();
    assert_eq!(cost.file_bytes, fs::metadata(&ws.library).unwrap().len());
    assert!(cost.mapped_bytes > 0);
    assert!(cost.total() > std::time::Duration::ZERO);
}
