//! `--param NAME=VALUE` arguments, matched against the running logic's parameter list by name or by the
//! string id the parameter was declared with.

use crate::error::CliError;
use overdub_shell::Shell;

/// Sets each `NAME=VALUE` on `shell`; `NAME` is a parameter's name (case-insensitively) or its string id
/// (`#[param(id = "...")]`, whose numeric id the host sees), and values may carry the unit.
pub fn apply(shell: &mut impl Shell, assignments: &[String]) -> Result<(), CliError> {
    for assignment in assignments {
        let (name, value) =
            assignment.split_once('=').ok_or_else(|| CliError::BadParam(assignment.clone()))?;
        let info = shell
            .params()
            .infos()
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()) || p.id == overdub::param_id(name.trim()))
            .copied()
            .ok_or_else(|| CliError::UnknownParam {
                name: name.trim().to_owned(),
                logic: shell.info().name.to_owned(),
                valid: describe(shell),
            })?;
        let value = info.parse_value(value).ok_or_else(|| CliError::BadParam(assignment.clone()))?;
        shell.set_param(info.id, value)?;
    }
    Ok(())
}

/// Every parameter with its range and default, e.g. `Gain (-60.00 dB to 12.00 dB, default 0.00 dB)`.
pub fn describe(shell: &impl Shell) -> String {
    let infos = shell.params().infos();
    if infos.is_empty() {
        return "no parameters".to_owned();
    }
    infos
        .iter()
        .map(|p| {
            let show = |v: f64| {
                let mut text = String::new();
                let _ = p.write_value(v, &mut text);
                text
            };
            format!("{} ({} to {}, default {})", p.name, show(p.min), show(p.max), show(p.default))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
