//! Opening a staged library file and verifying it before any of its Rust-ABI code runs.

use crate::cost::LoadCost;
use crate::error::LoadError;
use crate::instance::Instance;
use crate::staging::Image;
use overdub_abi::export::{AdoptFn, CanaryFn, CreateFn, EditorFn, FingerprintFn, ProbeFn, symbols};
use overdub_abi::{EditorEntry, Fault, LogicInfo, Message, canary, probe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Instant;

/// A verified logic library, mapped while anything of it is alive.
///
/// It is unloaded (`dlclose`, and its private image closed) when the last `Arc` goes, which is sound because
/// everything that points into it holds one: each [`Instance`] (its vtable and code), each engine's
/// identity and parameter list (strings in the library's data) through the instance or the candidate that
/// carries it, the worker's current build. What leaves the reload machinery copies out (the controls intern
/// the names they serve to hosts; fault messages are copied into fixed storage). A library whose code
/// registered a thread-local destructor on a thread still alive is kept mapped by the system's loader
/// until that thread exits, which is safe; overdub's own code in a logic library registers none.
pub struct LoadedLibrary {
    source: PathBuf,
    hash: u64,
    create: CreateFn,
    adopt: AdoptFn,
    fingerprint: u64,
    editor: Option<EditorEntry>,
    info: OnceLock<LogicInfo>,
    cost: LoadCost,
    /// Dropped first: unmapped before its image is closed.
    _library: libloading::Library,
    /// The private image the library was mapped from, open while it is mapped (on Linux its descriptor
    /// number names the library to the system's loader, so it must not be reused before the unmapping).
    _image: Image,
}

impl std::fmt::Debug for LoadedLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedLibrary")
            .field("source", &self.source)
            .field("hash", &format_args!("{:016x}", self.hash))
            .field("cost", &self.cost)
            .finish()
    }
}

impl LoadedLibrary {
    /// The file it was loaded from.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// Content hash of the file.
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// What loading it cost.
    pub fn cost(&self) -> &LoadCost {
        &self.cost
    }

    /// The state layout fingerprint (0: this build's instances are never adopted).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The adopt export.
    pub(crate) fn adopt_fn(&self) -> AdoptFn {
        self.adopt
    }

    /// Whether a running instance of `running` may be adopted by this build's code.
    pub fn can_adopt_from(&self, running: &LoadedLibrary) -> bool {
        self.fingerprint != 0 && self.fingerprint == running.fingerprint
    }

    /// How this build makes its editor (`None`: the logic has none). Whatever it makes runs this library's
    /// code, so its holder keeps this library alive beside it.
    pub fn editor(&self) -> Option<EditorEntry> {
        self.editor
    }

    /// Identity and parameters, once an instance has reported them.
    pub fn info(&self) -> Option<LogicInfo> {
        self.info.get().copied()
    }

    /// Records identity and parameters from an instance of this build.
    pub(crate) fn remember_info(&self, info: LogicInfo) {
        let _ = self.info.set(info);
    }

    /// A new instance of the logic, keeping this library mapped while it lives; a panic in the author's
    /// `create` is an error, not a crash.
    pub fn create(self: &Arc<Self>) -> Result<Instance, LoadError> {
        (self.create)().map(|object| Instance::new(object, Arc::clone(self))).map_err(|fault| {
            LoadError::Panicked { path: self.source.clone(), call: "create", message: fault_message(fault) }
        })
    }
}

pub(crate) fn fault_message(fault: Fault) -> Message {
    match fault {
        Fault::Panic(message) => message,
        Fault::Probe(_) => Message::from("answered as a vtable probe instead of running"),
    }
}

/// Every library version this process has mapped and still holds, by content hash: each version is mapped
/// once however many instances and shells use it.
static LOADED: Mutex<Vec<Weak<LoadedLibrary>>> = Mutex::new(Vec::new());

/// The live libraries, forgetting the unloaded ones.
fn live() -> Vec<Arc<LoadedLibrary>> {
    let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
    loaded.retain(|library| library.strong_count() > 0);
    loaded.iter().filter_map(Weak::upgrade).collect()
}

/// The already-mapped library with this content, if any.
pub fn find_loaded(hash: u64) -> Option<Arc<LoadedLibrary>> {
    live().into_iter().find(|l| l.hash == hash)
}

/// What the library versions this process holds occupy, for long-session accounting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    /// Library versions mapped.
    pub libraries: usize,
    /// Memory their segments occupy.
    pub mapped_bytes: u64,
    /// Bytes of their private images (in memory on Linux, on disk elsewhere).
    pub image_bytes: u64,
}

/// What the library versions this process holds occupy.
pub fn held() -> Held {
    let loaded = live();
    Held {
        libraries: loaded.len(),
        mapped_bytes: loaded.iter().map(|l| l.cost.mapped_bytes).sum(),
        image_bytes: loaded.iter().map(|l| l.cost.image_bytes).sum(),
    }
}

/// Maps and verifies a private image; `source` is the path the user knows, for messages.
pub fn open(
    source: &Path,
    image: Image,
    stage_cost: std::time::Duration,
) -> Result<Arc<LoadedLibrary>, LoadError> {
    let started = Instant::now();
    let library = map(source, image.path())?;
    let opened = Instant::now();
    let exports = verify(source, &library)?;
    let verified = Instant::now();
    let loaded = Arc::new(LoadedLibrary {
        source: source.to_owned(),
        hash: image.hash,
        create: exports.create,
        adopt: exports.adopt,
        fingerprint: (exports.fingerprint)(),
        editor: (exports.editor)(),
        info: OnceLock::new(),
        cost: LoadCost {
            stage: stage_cost,
            open: opened - started,
            verify: verified - opened,
            file_bytes: image.file_bytes,
            image_bytes: image.image_bytes,
            mapped_bytes: image.shape.mapped_bytes,
        },
        _library: library,
        _image: image,
    });
    LOADED.lock().unwrap_or_else(|p| p.into_inner()).push(Arc::downgrade(&loaded));
    Ok(loaded)
}

fn map(source: &Path, image: &Path) -> Result<libloading::Library, LoadError> {
    let refused = |e: libloading::Error| LoadError::Open { path: source.to_owned(), message: e.to_string() };
    #[cfg(unix)]
    {
        use libloading::os::unix::{Library, RTLD_LOCAL, RTLD_NOW};
        // SAFETY: running a library's initialisers is inherent to loading it; the image is a private, sealed
        // copy whose structure was checked while it was made, and RTLD_NOW resolves every symbol now rather
        // than failing later mid-call. RTLD_LOCAL keeps two versions of the same logic from resolving to each
        // other's symbols.
        unsafe { Library::open(Some(image), RTLD_NOW | RTLD_LOCAL) }.map(Into::into).map_err(refused)
    }
    #[cfg(not(unix))]
    {
        // SAFETY: as above; the platform loader resolves imports at load time.
        unsafe { libloading::Library::new(image) }.map_err(refused)
    }
}

/// The Rust-ABI exports a verified library offers.
struct Exports {
    create: CreateFn,
    fingerprint: FingerprintFn,
    adopt: AdoptFn,
    editor: EditorFn,
}

/// Compares canaries first (a library of another overdub may lack or mistype any other export, and the
/// canary says why), then looks up every export and runs the vtable probe.
fn verify(source: &Path, library: &libloading::Library) -> Result<Exports, LoadError> {
    let missing = |symbol: &'static str| LoadError::MissingExport { path: source.to_owned(), symbol };
    // SAFETY: the canary export is `extern "C"` with this signature in every overdub version; the pointer stays
    // valid because the library outlives this call.
    let canary_fn = unsafe { library.get::<CanaryFn>(symbols::CANARY.as_bytes()).map(|s| *s) }
        .map_err(|_| missing(symbols::CANARY))?;
    let mut len = 0usize;
    // SAFETY: the canary export takes a valid `&mut usize` and returns a pointer to `len` bytes of static text
    // inside the library, which stays mapped while it is loaded.
    let text = unsafe {
        let ptr = canary_fn(&mut len);
        std::slice::from_raw_parts(ptr, len)
    };
    let text = String::from_utf8_lossy(text);
    canary::compare(canary::canary_text(), &text)
        .map_err(|diff| LoadError::AbiMismatch { path: source.to_owned(), diff })?;

    // SAFETY: each type is the one the export macro gives the symbol of that name (`overdub_abi::export`), and
    // the canary has just proven the same compiler, target and ABI crate built both sides. The pointers stay
    // valid because the library outlives every use of them.
    let (probe_fn, exports) = unsafe {
        let probe_fn = library.get::<ProbeFn>(symbols::PROBE.as_bytes()).map(|s| *s);
        let create_fn = library.get::<CreateFn>(symbols::CREATE.as_bytes()).map(|s| *s);
        let fingerprint_fn = library.get::<FingerprintFn>(symbols::FINGERPRINT.as_bytes()).map(|s| *s);
        let adopt_fn = library.get::<AdoptFn>(symbols::ADOPT.as_bytes()).map(|s| *s);
        let editor_fn = library.get::<EditorFn>(symbols::EDITOR.as_bytes()).map(|s| *s);
        (
            probe_fn.map_err(|_| missing(symbols::PROBE))?,
            Exports {
                create: create_fn.map_err(|_| missing(symbols::CREATE))?,
                fingerprint: fingerprint_fn.map_err(|_| missing(symbols::FINGERPRINT))?,
                adopt: adopt_fn.map_err(|_| missing(symbols::ADOPT))?,
                editor: editor_fn.map_err(|_| missing(symbols::EDITOR))?,
            },
        )
    };

    probe::verify_probe(probe_fn())
        .map_err(|mismatch| LoadError::ProbeMismatch { path: source.to_owned(), mismatch })?;
    Ok(exports)
}
