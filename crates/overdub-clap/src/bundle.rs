//! Turning a built plugin library into a `.clap` a host finds: named and laid out for the platform, in a known
//! folder, and installed into the user's CLAP folder.
//!
//! Linux and Windows: the library itself, renamed `<name>.clap`. macOS: a bundle directory
//! `<name>.clap/Contents/{Info.plist, PkgInfo, MacOS/<name>}`.
//!
//! A host may have a bundle loaded while it is rebuilt or reinstalled, so a bundle is never rewritten in
//! place (that would change the code under the running host): each one is written beside its destination
//! and renamed over it, which leaves the old file's bytes to whoever still maps them.

use crate::error::BundleError;
use std::fs;
use std::path::{Path, PathBuf};

/// Which platform's `.clap` layout to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// A renamed shared library (`.so` on Linux, `.dll` on Windows).
    SingleFile,
    /// A macOS bundle directory with an `Info.plist`.
    MacBundle,
}

impl Platform {
    /// The layout for the platform this code was compiled for.
    pub fn current() -> Self {
        if cfg!(target_os = "macos") { Self::MacBundle } else { Self::SingleFile }
    }
}

/// What to bundle.
#[derive(Clone, Debug)]
pub struct BundleSpec<'a> {
    /// The plugin library cargo built (e.g. `target/release/libgain_clap.so`).
    pub library: &'a Path,
    /// The bundle's file name without `.clap`, e.g. `"overdub-gain"`.
    pub name: &'a str,
    /// Reverse-domain identifier, used as the macOS bundle identifier.
    pub id: &'a str,
    /// Version written into the macOS `Info.plist`.
    pub version: &'a str,
}

/// Builds `<out_dir>/<name>.clap` from the built library, replacing an older one, and returns its path.
pub fn bundle(spec: &BundleSpec<'_>, out_dir: &Path, platform: Platform) -> Result<PathBuf, BundleError> {
    if !spec.library.is_file() {
        return Err(BundleError::MissingLibrary(spec.library.to_owned()));
    }
    create_dir(out_dir)?;
    let dest = out_dir.join(format!("{}.clap", spec.name));
    let writing = beside(&dest, "writing");
    remove(&writing)?;
    match platform {
        Platform::SingleFile => copy(spec.library, &writing)?,
        Platform::MacBundle => {
            let contents = writing.join("Contents");
            create_dir(&contents.join("MacOS"))?;
            copy(spec.library, &contents.join("MacOS").join(spec.name))?;
            write(&contents.join("Info.plist"), &info_plist(spec))?;
            write(&contents.join("PkgInfo"), "BNDL????")?;
        }
    }
    replace(&writing, &dest)?;
    Ok(dest)
}

/// The user's CLAP folder: `~/.clap` on Linux, `~/Library/Audio/Plug-Ins/CLAP` on macOS, and
/// `%LOCALAPPDATA%\Programs\Common\CLAP` on Windows.
pub fn user_clap_dir(platform: Platform) -> Result<PathBuf, BundleError> {
    if cfg!(windows) {
        let local = std::env::var_os("LOCALAPPDATA").ok_or(BundleError::NoHome)?;
        return Ok(PathBuf::from(local).join("Programs").join("Common").join("CLAP"));
    }
    let home = PathBuf::from(std::env::var_os("HOME").ok_or(BundleError::NoHome)?);
    Ok(match platform {
        Platform::MacBundle => home.join("Library").join("Audio").join("Plug-Ins").join("CLAP"),
        Platform::SingleFile => home.join(".clap"),
    })
}

/// Copies a bundle made by [`bundle`] into `clap_dir` (see [`user_clap_dir`]), replacing an older one, and
/// returns the installed path. The copy is written beside its destination and renamed over it, so a host
/// scanning meanwhile never sees half a plugin.
pub fn install(bundle_path: &Path, clap_dir: &Path) -> Result<PathBuf, BundleError> {
    let name = bundle_path.file_name().ok_or_else(|| BundleError::MissingLibrary(bundle_path.to_owned()))?;
    create_dir(clap_dir)?;
    let dest = clap_dir.join(name);
    let writing = beside(&dest, "installing");
    remove(&writing)?;
    copy_tree(bundle_path, &writing)?;
    replace(&writing, &dest)?;
    Ok(dest)
}

/// A hidden name beside `dest`, unique to this process, to write a new version under.
fn beside(dest: &Path, purpose: &str) -> PathBuf {
    let name = dest.file_name().map_or_else(Default::default, |n| n.to_string_lossy().into_owned());
    dest.with_file_name(format!(".{name}.{purpose}-{}", std::process::id()))
}

/// Puts `new` where `dest` is: a file by one rename over it (the old inode lives on for whoever maps it);
/// a macOS bundle directory, which a rename cannot replace, after removing the old one.
fn replace(new: &Path, dest: &Path) -> Result<(), BundleError> {
    if new.is_dir() {
        remove(dest)?;
    }
    fs::rename(new, dest).map_err(io("rename into place", dest))
}

fn info_plist(spec: &BundleSpec<'_>) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let (name, id, version) = (escape(spec.name), escape(spec.id), escape(spec.version));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>CFBundleDevelopmentRegion</key><string>English</string>
    <key>CFBundleExecutable</key><string>{name}</string>
    <key>CFBundleIdentifier</key><string>{id}</string>
    <key>CFBundleInfoDictionaryVersion</key><string>6.0</string>
    <key>CFBundleName</key><string>{name}</string>
    <key>CFBundlePackageType</key><string>BNDL</string>
    <key>CFBundleSignature</key><string>????</string>
    <key>CFBundleShortVersionString</key><string>{version}</string>
    <key>CFBundleVersion</key><string>{version}</string>
    <key>NSHighResolutionCapable</key><true/>
</dict>
</plist>
"#
    )
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BundleError {
    let path = path.to_owned();
    move |source| BundleError::Io { action, path, source }
}

fn create_dir(path: &Path) -> Result<(), BundleError> {
    fs::create_dir_all(path).map_err(io("create directory", path))
}

fn copy(from: &Path, to: &Path) -> Result<(), BundleError> {
    fs::copy(from, to).map(drop).map_err(io("copy to", to))
}

fn write(path: &Path, text: &str) -> Result<(), BundleError> {
    fs::write(path, text).map_err(io("write", path))
}

fn remove(path: &Path) -> Result<(), BundleError> {
    let result = match fs::symlink_metadata(path) {
        Err(_) => return Ok(()),
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
    };
    result.map_err(io("remove", path))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), BundleError> {
    if !from.is_dir() {
        return copy(from, to);
    }
    create_dir(to)?;
    for entry in fs::read_dir(from).map_err(io("read directory", from))? {
        let entry = entry.map_err(io("read directory", from))?;
        copy_tree(&entry.path(), &to.join(entry.file_name()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(library: &Path) -> BundleSpec<'_> {
        BundleSpec { library, name: "overdub-test", id: "dev.overdub.test", version: "1.2.3" }
    }

    #[test]
    fn linux_bundle_is_the_renamed_library_and_installs_over_an_old_one() {
        let dir = overdub_testkit::scratch_dir();
        let library = dir.path().join("libtest.so");
        fs::write(&library, b"ELF pretend").unwrap();
        let made = bundle(&spec(&library), &dir.path().join("bundle"), Platform::SingleFile).unwrap();
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
        let dir = overdub_testkit::scratch_dir();
        let library = dir.path().join("libtest.so");
        fs::write(&library, b"first build").unwrap();
        let out = dir.path().join("bundle");
        let made = bundle(&spec(&library), &out, Platform::SingleFile).unwrap();
        let loaded = fs::File::open(&made).unwrap();
        let inode = loaded.metadata().unwrap().ino();
        fs::write(&library, b"second build, longer").unwrap();
        bundle(&spec(&library), &out, Platform::SingleFile).unwrap();
        assert_ne!(fs::metadata(&made).unwrap().ino(), inode, "a new file took the name");
        assert_eq!(fs::read(&made).unwrap(), b"second build, longer");
        let mut kept = String::new();
        std::io::Read::read_to_string(&mut &loaded, &mut kept).unwrap();
        assert_eq!(kept, "first build", "the open bundle still holds its own bytes");
        assert_eq!(fs::read_dir(&out).unwrap().count(), 1, "nothing left beside it");
    }

    #[test]
    fn mac_bundle_has_the_executable_and_an_info_plist() {
        let dir = overdub_testkit::scratch_dir();
        let library = dir.path().join("libtest.dylib");
        fs::write(&library, b"Mach-O pretend").unwrap();
        let made = bundle(&spec(&library), dir.path(), Platform::MacBundle).unwrap();
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
        let dir = overdub_testkit::scratch_dir();
        let err = bundle(&spec(&dir.path().join("nope.so")), dir.path(), Platform::SingleFile).unwrap_err();
        assert!(matches!(err, BundleError::MissingLibrary(_)), "{err}");
    }
}
