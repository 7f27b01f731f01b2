//! Output: every file a build produces, kept in memory or written to a staging folder that is
//! swapped in only when all of it is written, so a failed build never leaves a half-written site.

pub mod cache;
pub mod outdir;
pub mod plan;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::diag::Diagnostic;
use crate::plan::Origin;
use outdir::OutDir;

/// Where a file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Bytes produced by the build (a rendered page, the feed), written as they are.
    Bytes(Vec<u8>),
    /// A static file, copied when the output is written (absolute path).
    Copy(PathBuf),
}

/// One file of the built site: what produced it and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Where it came from (a page, a static file…), to tell apart and to name in messages.
    pub origin: Origin,
    /// The file's bytes, or the static file to copy them from.
    pub content: Content,
}

/// Output path (relative, `/`-separated) → file. Sorted, so writing is deterministic; shared,
/// so a rebuild can keep the files it did not change.
pub type Outputs = BTreeMap<String, Arc<Output>>;

/// Refuses an output folder that is the site root, holds it, or lies inside its sources.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out_abs = absolute(out);
    let help = "choose an output folder of its own, such as `public/` (the default)";
    if root.starts_with(&out_abs) {
        return Err(Diagnostic::error(format!(
            "refusing to write to `{}`: it is or holds the site's sources, which a build would replace",
            out.display()
        ))
        .help(help));
    }
    for source in ["content", "layouts", "static", "data", ".git"] {
        if out_abs.starts_with(root.join(source)) {
            return Err(Diagnostic::error(format!(
                "refusing to write to `{}`: it is inside the site's `{source}/` folder",
                out.display()
            ))
            .help(help));
        }
    }
    Ok(())
}

/// An absolute, normalised path, resolving symlinks of the part that exists.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            absolute(parent).join(name)
        }
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}

/// Where a build puts its files: in memory (`check`, `serve`) or straight into a staging folder
/// (`build`), so a large site is never held in memory whole.
pub trait Sink: Sync {
    /// Takes one file for `path` (relative to the output folder, `/`-separated).
    fn put(&self, path: &str, output: Output) -> Result<(), Diagnostic>;
}

/// Keeps every file in memory.
#[derive(Default)]
pub struct Memory {
    files: Mutex<Outputs>,
    /// Read static files now instead of keeping their paths (a live preview serves from memory).
    read_copies: bool,
}

impl Memory {
    /// A sink that also reads static files into memory.
    pub fn reading_copies() -> Memory {
        Memory {
            read_copies: true,
            ..Memory::default()
        }
    }

    /// Every file put so far, by output path.
    pub fn into_outputs(self) -> Outputs {
        self.files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sink for Memory {
    fn put(&self, path: &str, mut output: Output) -> Result<(), Diagnostic> {
        if self.read_copies
            && let Content::Copy(from) = &output.content
        {
            let bytes = fs::read(from).map_err(|e| io_error("read", from, e))?;
            output.content = Content::Bytes(bytes);
        }
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.insert(path.to_string(), Arc::new(output));
        Ok(())
    }
}

/// A folder beside the output folder that becomes it on [`Staging::commit`]. Dropped without
/// a commit, it is removed and the previous output stays as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
    /// Files written so far (for the `write` fail point: a build stopped half-way).
    written: AtomicUsize,
    /// The first file that could not be written (a full disk): an I/O problem, not the site's.
    write_failure: Mutex<Option<Diagnostic>>,
}

impl Staging {
    /// Checks that `out` may be replaced, repairs what interrupted builds left beside it, and
    /// creates this build's staging folder, marked as breakeven's.
    pub fn new(out: &OutDir) -> Result<Staging, Diagnostic> {
        out.check_replaceable()?;
        let path = absolute(&out.path);
        let parent = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = path
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        fs::create_dir_all(&parent).map_err(|e| io_error("create", &parent, e))?;
        outdir::repair(&parent, &name, &path);
        let dir = parent.join(outdir::staging_name(&name));
        fs::create_dir_all(&dir).map_err(|e| io_error("create", &dir, e))?;
        let staging = Staging {
            dir,
            out: path,
            committed: false,
            written: AtomicUsize::new(0),
            write_failure: Mutex::new(None),
        };
        outdir::mark(&staging.dir).map_err(|e| io_error("write into", &staging.dir, e))?;
        outdir::fail_point("staging");
        Ok(staging)
    }

    /// Swaps the staging folder in for the output folder: in one step where the system can
    /// exchange two folders, so no moment passes without an output folder.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        outdir::fail_point("before-swap");
        if self.out.exists() && exchange(&self.dir, &self.out).is_ok() {
            self.committed = true;
            outdir::fail_point("after-swap");
            // The staging folder now holds the previous output.
            let _ = fs::remove_dir_all(&self.dir);
            return Ok(());
        }
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        if self.out.exists() {
            fs::rename(&self.out, &old).map_err(|e| io_error("move aside", &self.out, e))?;
        }
        outdir::fail_point("mid-swap");
        if let Err(e) = fs::rename(&self.dir, &self.out) {
            // Put the previous site back: nothing may be lost.
            if old.exists() && fs::rename(&old, &self.out).is_err() {
                return Err(io_error("replace", &self.out, e).help(format!(
                    "the previous output is kept in `{}`",
                    old.display()
                )));
            }
            return Err(io_error("replace", &self.out, e));
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&old);
        Ok(())
    }
}

/// Exchanges two folders atomically (Linux's `renameat2`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Elsewhere the swap takes two renames; a build interrupted between them is repaired by the
/// next one (see [`outdir::repair`]).
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

impl Staging {
    /// Why the build could not write its files, if it could not.
    pub fn write_failure(&self) -> Option<Diagnostic> {
        self.write_failure
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }

    fn write(&self, rel: &str, content: &Content) -> std::io::Result<()> {
        if std::env::var("BREAKEVEN_FAILPOINT").is_ok_and(|v| v == "disk-full") {
            // ENOSPC, as a full disk gives it.
            return Err(std::io::Error::from_raw_os_error(28));
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        match content {
            Content::Bytes(bytes) => fs::write(&path, bytes),
            Content::Copy(from) => fs::copy(from, &path).map(|_| ()),
        }
    }
}

impl Sink for Staging {
    fn put(&self, rel: &str, output: Output) -> Result<(), Diagnostic> {
        if let Err(e) = self.write(rel, &output.content) {
            let folder = self.out.parent().unwrap_or(Path::new("/"));
            let d = Diagnostic::error(format!(
                "cannot write `{rel}` (from {}) into `{}`: {e}",
                output.origin,
                folder.display()
            ))
            .help("free space on that disk (or make the folder writable) and build again; the previous output is untouched");
            let mut first = self
                .write_failure
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            first.get_or_insert_with(|| d.clone());
            return Err(d);
        }
        if self.written.fetch_add(1, Ordering::Relaxed) == 2 {
            outdir::fail_point("write");
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} `{}`: {e}", path.display()))
        .help("check that the output folder's parent exists and is writable")
}
