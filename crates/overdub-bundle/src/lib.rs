//! Turning a built plugin library into the bundle a host finds: named and laid out for the format and the
//! platform, in a known folder, and installed into the user's plugin folder.
//!
//! | format | Linux | macOS | Windows |
//! | --- | --- | --- | --- |
//! | CLAP | `<name>.clap` (the library, renamed) | `<name>.clap/Contents/{Info.plist, PkgInfo, MacOS/<name>}` | `<name>.clap` (the DLL, renamed) |
//! | VST3 | `<name>.vst3/Contents/<arch>-linux/<name>.so` | `<name>.vst3/Contents/{Info.plist, PkgInfo, MacOS/<name>}` | `<name>.vst3/Contents/<arch>-win/<name>.vst3` |
//!
//! The user's folders: CLAP in `~/.clap`, `~/Library/Audio/Plug-Ins/CLAP` and
//! `%LOCALAPPDATA%\Programs\Common\CLAP`; VST3 in `~/.vst3`, `~/Library/Audio/Plug-Ins/VST3` and
//! `%LOCALAPPDATA%\Programs\Common\VST3`.
//!
//! A host may have a bundle loaded while it is rebuilt or reinstalled, so a bundle is never rewritten in
//! place (that would change the code under the running host): each one is written beside its destination
//! and renamed over it, which leaves the old file's bytes to whoever still maps them.

mod files;
mod layout;

pub use layout::{Format, Platform};

use std::path::{Path, PathBuf};
use thiserror::Error;

/// What to bundle.
#[derive(Clone, Debug)]
pub struct BundleSpec<'a> {
    /// The plugin library cargo built (e.g. `target/release/libgain_clap.so`).
    pub library: &'a Path,
    /// The bundle's file name without its extension, e.g. `"overdub-gain"`.
    pub name: &'a str,
    /// Reverse-domain identifier, used as the macOS bundle identifier.
    pub id: &'a str,
    /// Version written into the macOS `Info.plist`.
    pub version: &'a str,
}

/// Why a bundle could not be made or installed.
#[derive(Debug, Error)]
pub enum BundleError {
    /// The built plugin library is not there.
    #[error("no built plugin library at {0} (build the plugin crate first)")]
    MissingLibrary(PathBuf),
    /// No home directory to install into.
    #[error("cannot find the home directory to install into (HOME is not set)")]
    NoHome,
    /// A file operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

/// Builds `<out_dir>/<name>.<clap|vst3>` from the built library, replacing an older one, and returns its path.
pub fn bundle(
    spec: &BundleSpec<'_>,
    format: Format,
    out_dir: &Path,
    platform: Platform,
) -> Result<PathBuf, BundleError> {
    if !spec.library.is_file() {
        return Err(BundleError::MissingLibrary(spec.library.to_owned()));
    }
    files::create_dir(out_dir)?;
    let dest = out_dir.join(format!("{}.{}", spec.name, format.extension()));
    let writing = files::beside(&dest, "writing");
    files::remove(&writing)?;
    layout::write(spec, format, platform, &writing)?;
    files::replace(&writing, &dest)?;
    Ok(dest)
}

/// Copies a bundle made by [`bundle`] into `dir` (see [`user_plugin_dir`]), replacing an older one, and
/// returns the installed path. The copy is written beside its destination and renamed over it, so a host
/// scanning meanwhile never sees half a plugin.
pub fn install(bundle_path: &Path, dir: &Path) -> Result<PathBuf, BundleError> {
    let name = bundle_path.file_name().ok_or_else(|| BundleError::MissingLibrary(bundle_path.to_owned()))?;
    files::create_dir(dir)?;
    let dest = dir.join(name);
    let writing = files::beside(&dest, "installing");
    files::remove(&writing)?;
    files::copy_tree(bundle_path, &writing)?;
    files::replace(&writing, &dest)?;
    Ok(dest)
}

/// The user's folder for plugins of `format` on `platform` (see the [crate docs](crate)).
pub fn user_plugin_dir(format: Format, platform: Platform) -> Result<PathBuf, BundleError> {
    let folder = format.folder_name();
    if platform == Platform::Windows {
        let local = std::env::var_os("LOCALAPPDATA").ok_or(BundleError::NoHome)?;
        return Ok(PathBuf::from(local).join("Programs").join("Common").join(folder));
    }
    let home = PathBuf::from(std::env::var_os("HOME").ok_or(BundleError::NoHome)?);
    Ok(match platform {
        Platform::MacOs => home.join("Library").join("Audio").join("Plug-Ins").join(folder),
        _ => home.join(format!(".{}", format.extension())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn spec(library: &Path) -> BundleSpec<'_> {
        BundleSpec { library, name: "overdub-test", id: "dev.overdub.test", version: "1.2.3" }
    }

    #[test]
    fn linux_bundle_is_the_renamed_library_and_installs_over_an_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("libtest.so");
        fs::write(&library, b"ELF pretend").unwrap();
        let made =
            bundle(&spec(&library), Format::Clap, &dir.path().join("bundle"), Platform::Linux).unwrap();
        assert_eq!(made, dir.path().join("bundle").join("overdub-test.clap"));
        assert_eq!(fs::read(&made).unwrap(), b"ELF pretend");
        let clap_dir = dir.path().join("home").join(".clap");
        fs::create_dir_all(&clap_dir).unwrap();
        fs::write(clap_dir.join("overdub-test.clap"), b"old").unwrap();
        let installed = install(&made, &clap_dir).unwrap();
        assert_eq!(fs::read(installed).unwrap(), b"ELF pretend");
        assert_eq!(fs::read_dir(&clap_dir).unwrap().count(), 1, "no staging file left");
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuilt_bundle_replaces_the_file_and_never_rewrites_the_one_a_host_has_open() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("libtest.so");
        fs::write(&library, b"first build").unwrap();
        let out = dir.path().join("bundle");
        let made = bundle(&spec(&library), Format::Clap, &out, Platform::Linux).unwrap();
        let loaded = fs::File::open(&made).unwrap();
        let inode = loaded.metadata().unwrap().ino();
        fs::write(&library, b"second build, longer").unwrap();
        bundle(&spec(&library), Format::Clap, &out, Platform::Linux).unwrap();
        assert_ne!(fs::metadata(&made).unwrap().ino(), inode, "a new file took the name");
        assert_eq!(fs::read(&made).unwrap(), b"second build, longer");
        let mut kept = String::new();
        std::io::Read::read_to_string(&mut &loaded, &mut kept).unwrap();
        assert_eq!(kept, "first build", "the open bundle still holds its own bytes");
        assert_eq!(fs::read_dir(&out).unwrap().count(), 1, "nothing left beside it");
    }

    #[test]
    fn mac_bundle_has_the_executable_and_an_info_plist() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("libtest.dylib");
        fs::write(&library, b"Mach-O pretend").unwrap();
        let made = bundle(&spec(&library), Format::Clap, dir.path(), Platform::MacOs).unwrap();
        let contents = made.join("Contents");
        assert_eq!(fs::read(contents.join("MacOS").join("overdub-test")).unwrap(), b"Mach-O pretend");
        let plist = fs::read_to_string(contents.join("Info.plist")).unwrap();
        assert!(plist.contains("<key>CFBundleExecutable</key><string>overdub-test</string>"));
        assert!(plist.contains("<string>dev.overdub.test</string>"));
        assert!(plist.contains("<key>CFBundlePackageType</key><string>BNDL</string>"));
        let installed = install(&made, &dir.path().join("CLAP")).unwrap();
        assert!(installed.join("Contents").join("Info.plist").is_file());
    }

    #[test]
    fn a_missing_library_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let err = bundle(&spec(&dir.path().join("nope.so")), Format::Vst3, dir.path(), Platform::Linux)
            .unwrap_err();
        assert!(matches!(err, BundleError::MissingLibrary(_)), "{err}");
    }

    #[test]
    fn linux_vst3_bundle_holds_the_library_in_its_architecture_folder() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("libtest.so");
        fs::write(&library, b"ELF pretend").unwrap();
        let made =
            bundle(&spec(&library), Format::Vst3, &dir.path().join("bundle"), Platform::Linux).unwrap();
        assert_eq!(made, dir.path().join("bundle").join("overdub-test.vst3"));
        let arch = format!("{}-linux", std::env::consts::ARCH);
        let binary = made.join("Contents").join(arch).join("overdub-test.so");
        assert_eq!(fs::read(&binary).unwrap(), b"ELF pretend");
        fs::write(&library, b"ELF rebuilt").unwrap();
        let again =
            bundle(&spec(&library), Format::Vst3, &dir.path().join("bundle"), Platform::Linux).unwrap();
        assert_eq!(fs::read(&binary).unwrap(), b"ELF rebuilt", "a rebuilt bundle replaces the old one");
        let installed = install(&again, &dir.path().join(".vst3")).unwrap();
        assert!(installed.join("Contents").is_dir());
        assert_eq!(fs::read_dir(dir.path().join("bundle")).unwrap().count(), 1, "nothing left beside it");
    }

    #[test]
    fn windows_and_mac_vst3_bundles_follow_their_layouts() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("test.dll");
        fs::write(&library, b"PE pretend").unwrap();
        let windows =
            bundle(&spec(&library), Format::Vst3, &dir.path().join("win"), Platform::Windows).unwrap();
        let arch = match std::env::consts::ARCH {
            "aarch64" => "arm64",
            arch => arch,
        };
        let dll = windows.join("Contents").join(format!("{arch}-win")).join("overdub-test.vst3");
        assert_eq!(fs::read(dll).unwrap(), b"PE pretend");
        let mac = bundle(&spec(&library), Format::Vst3, &dir.path().join("mac"), Platform::MacOs).unwrap();
        assert_eq!(mac.extension().unwrap(), "vst3");
        assert!(mac.join("Contents").join("MacOS").join("overdub-test").is_file());
        assert!(mac.join("Contents").join("Info.plist").is_file());
    }

    #[test]
    fn user_folders_follow_each_formats_convention() {
        if std::env::var_os("HOME").is_none() {
            return;
        }
        let home = PathBuf::from(std::env::var_os("HOME").unwrap());
        assert_eq!(user_plugin_dir(Format::Clap, Platform::Linux).unwrap(), home.join(".clap"));
        assert_eq!(user_plugin_dir(Format::Vst3, Platform::Linux).unwrap(), home.join(".vst3"));
        assert_eq!(
            user_plugin_dir(Format::Vst3, Platform::MacOs).unwrap(),
            home.join("Library/Audio/Plug-Ins/VST3")
        );
    }
}
