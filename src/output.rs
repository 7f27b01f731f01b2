//! Output: every file a build produces, written to a staging folder that is swapped in only
//! when all of it is written, so a failed build never leaves a half-written site.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostic;

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A static file, copied when the output is written (absolute path).
    Copy(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Output {
    /// The input it came from, for messages (e.g. `content/a.md`, `static/css/site.css`).
    pub origin: String,
    pub content: Content,
}

/// Output path (relative, `/`-separated) → file. Sorted, so writing is deterministic.
pub type Outputs = BTreeMap<String, Output>;

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

/// Writes `outputs` to a staging folder beside `out`, then swaps it in.
pub fn commit(outputs: &Outputs, out: &Path) -> Result<(), Diagnostic> {
    let out = absolute(out);
    let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let io = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot {what} `{}`: {e}", path.display()))
            .help("check that the output folder's parent exists and is writable")
    };
    fs::create_dir_all(&parent).map_err(|e| io("create", &parent, e))?;
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    if let Err(e) = write_all(outputs, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        fs::rename(&out, &old).map_err(|e| io("move aside", &out, e))?;
    }
    if let Err(e) = fs::rename(&staging, &out) {
        // Put the previous site back: nothing may be lost.
        let _ = fs::rename(&old, &out);
        let _ = fs::remove_dir_all(&staging);
        return Err(io("replace", &out, e));
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

fn write_all(outputs: &Outputs, staging: &Path) -> Result<(), Diagnostic> {
    let mut dirs: Vec<PathBuf> = outputs
        .keys()
        .filter_map(|rel| Path::new(rel).parent().map(|p| staging.join(p)))
        .collect();
    dirs.push(staging.to_path_buf());
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", dir.display())))?;
    }
    outputs.par_iter().try_for_each(|(rel, output)| {
        let path = staging.join(rel);
        let result = match &output.content {
            Content::Bytes(bytes) => fs::write(&path, bytes),
            Content::Copy(from) => fs::copy(from, &path).map(|_| ()),
        };
        result.map_err(|e| {
            Diagnostic::error(format!(
                "cannot write `{rel}` (from {}): {e}",
                output.origin
            ))
        })
    })
}
