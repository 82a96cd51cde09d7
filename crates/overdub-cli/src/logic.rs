//! Opening the logic a command runs: a built library, or a crate built first.

use crate::cli::LogicArgs;
use crate::error::CliError;
use crate::logic_crate::LogicCrate;
use overdub_loader::HotShell;
use std::path::Path;

/// Loads `--logic PATH`, or builds `--crate DIR` (default: the current directory) and loads its library.
pub fn open(args: &LogicArgs) -> Result<HotShell, CliError> {
    let library = match &args.logic {
        Some(path) => path.clone(),
        None => {
            let dir = args.crate_dir.as_deref().unwrap_or(Path::new("."));
            LogicCrate::find(dir)?.build(args.release)?.library
        }
    };
    HotShell::load(&library).map_err(|e| CliError::Load(e.to_string()))
}
