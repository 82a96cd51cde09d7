use crate::common::Workspace;
use overdub_loader::{HotShell, LoadError, Loader};
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
fn loading_writes_no_file_anywhere_near_the_library() {
    let ws = Workspace::with("tone");
    let running = ws.hot_shell();
    assert_eq!(overdub_testkit::files_under(ws.dir.path()), vec![ws.library.clone()]);
    drop(running);
}

#[test]
fn the_private_image_holds_only_what_the_dynamic_loader_maps() {
    let ws = Workspace::with("tone");
    let shell = HotShell::load(&ws.library).unwrap();
    let library = shell.library().unwrap();
    let cost = library.cost();
    assert!(cost.image_bytes >= cost.mapped_bytes.min(cost.file_bytes) / 2, "{cost:?}");
    assert!(cost.image_bytes < cost.file_bytes, "the symbol tables are left out: {cost:?}");
}

#[test]
fn load_cost_is_accounted() {
    let ws = Workspace::with("tone");
    let shell = HotShell::load(&ws.library).unwrap();
    let library = shell.library().unwrap();
    let cost = library.cost();
    assert_eq!(cost.file_bytes, fs::metadata(&ws.library).unwrap().len());
    assert!(cost.mapped_bytes > 0);
    assert!(cost.total() > std::time::Duration::ZERO);
}
