//! What goes inside a bundle, per format and platform.

use crate::files::{copy, create_dir};
use crate::{BundleError, BundleSpec};
use std::path::Path;

/// A plugin format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CLAP: a renamed library, or a macOS bundle.
    Clap,
    /// VST3: a bundle directory on every platform.
    Vst3,
}

impl Format {
    /// The bundle's file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Clap => "clap",
            Self::Vst3 => "vst3",
        }
    }

    /// The name of the user's plugin folder on macOS and Windows.
    pub(crate) fn folder_name(self) -> &'static str {
        match self {
            Self::Clap => "CLAP",
            Self::Vst3 => "VST3",
        }
    }
}

/// Which platform's layout to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Linux (and other ELF systems): `.so` libraries.
    Linux,
    /// macOS: bundle directories with an `Info.plist`.
    MacOs,
    /// Windows: DLLs.
    Windows,
}

impl Platform {
    /// The platform this code was compiled for.
    pub fn current() -> Self {
        if cfg!(target_os = "macos") {
            Self::MacOs
        } else if cfg!(windows) {
            Self::Windows
        } else {
            Self::Linux
        }
    }

    /// The VST3 bundle's architecture folder under `Contents/` for the CPU this code was compiled for.
    fn vst3_arch_dir(self) -> String {
        let arch = match (self, std::env::consts::ARCH) {
            (Self::Windows, "aarch64") => "arm64",
            (Self::Windows, "x86") => "x86",
            (Self::Linux, "x86") => "i386",
            (_, arch) => arch,
        };
        match self {
            Self::Windows => format!("{arch}-win"),
            _ => format!("{arch}-linux"),
        }
    }
}

/// Writes the bundle's contents at `root` (a file or a directory, as the layout has it).
pub(crate) fn write(
    spec: &BundleSpec<'_>,
    format: Format,
    platform: Platform,
    root: &Path,
) -> Result<(), BundleError> {
    match (format, platform) {
        (_, Platform::MacOs) => {
            let contents = root.join("Contents");
            create_dir(&contents.join("MacOS"))?;
            copy(spec.library, &contents.join("MacOS").join(spec.name))?;
            crate::files::write(&contents.join("Info.plist"), &info_plist(spec))?;
            crate::files::write(&contents.join("PkgInfo"), "BNDL????")
        }
        (Format::Clap, _) => copy(spec.library, root),
        (Format::Vst3, _) => {
            let binary_dir = root.join("Contents").join(platform.vst3_arch_dir());
            create_dir(&binary_dir)?;
            let extension = if platform == Platform::Windows { "vst3" } else { "so" };
            copy(spec.library, &binary_dir.join(format!("{}.{extension}", spec.name)))
        }
    }
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
