//! The output folder: which folders a build may replace (its own, marked with a file), and the
//! repair of what an interrupted build left beside it (a missing output, staging folders).

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// Written into every output folder, so a later build knows the folder is its own to replace.
pub const MARKER: &str = ".breakeven-output";

const MARKER_TEXT: &str =
    "This folder is written by breakeven; `breakeven build` replaces all of it.\n";

/// Where a build writes, and what the user allowed.
#[derive(Debug, Clone)]
pub struct OutDir {
    /// The output folder (`public/` in the site unless `--out` names another).
    pub path: PathBuf,
    /// Given with `--out`: the default `public/` is the site's own and needs no marker.
    pub chosen: bool,
    /// `--force`: replace a non-empty folder breakeven did not write.
    pub force: bool,
}

impl OutDir {
    /// Refuses to replace a file, or a folder that holds files breakeven did not write.
    pub fn check_replaceable(&self) -> Result<(), Diagnostic> {
        let shown = self.path.display();
        let Ok(meta) = fs::metadata(&self.path) else {
            return Ok(());
        };
        if !meta.is_dir() {
            return Err(Diagnostic::error(format!(
                "refusing to write to `{shown}`: it is a file, and a build would replace it with a folder; \
                 choose a folder for `--out`"
            )));
        }
        if !self.chosen || self.force || is_ours_or_empty(&self.path) {
            return Ok(());
        }
        Err(Diagnostic::error(format!(
            "refusing to write to `{shown}`: it is not empty and was not written by breakeven \
             (no `{MARKER}` file), so a build would delete its files; \
             pass `--force` to replace it, or choose an empty or new folder"
        )))
    }
}

fn is_ours_or_empty(dir: &Path) -> bool {
    if dir.join(MARKER).is_file() {
        return true;
    }
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Marks a staging folder as breakeven's output.
pub fn mark(dir: &Path) -> std::io::Result<()> {
    fs::write(dir.join(MARKER), MARKER_TEXT)
}

/// The name of this process's staging folder for the output folder named `name`.
pub fn staging_name(name: &str) -> String {
    format!(".{name}.staging-{}", std::process::id())
}

/// Repairs what interrupted builds left beside `out` (named `name`, in `parent`): a swap
/// stopped half-way leaves no output but the previous one set aside, which is put back; then
/// staging folders of builds no longer running are removed. Only breakeven's own names match.
pub fn repair(parent: &Path, name: &str, out: &Path) {
    let leftovers = leftovers(parent, name);
    if fs::symlink_metadata(out).is_err()
        && let Some((_, set_aside)) = leftovers
            .iter()
            .filter(|(_, path)| path.extension().is_some_and(|e| e == "old"))
            .max_by_key(|(_, path)| modified(path))
    {
        let _ = fs::rename(set_aside, out);
    }
    for (pid, path) in leftovers {
        if (pid == std::process::id() || !running(pid)) && path.is_dir() {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// `.public.staging-<pid>` and `.public.staging-<pid>.old` beside the output, with their pid.
fn leftovers(parent: &Path, name: &str) -> Vec<(u32, PathBuf)> {
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let file_name = entry.file_name();
            let rest = file_name.to_str()?.strip_prefix(&prefix)?;
            let digits = rest.strip_suffix(".old").unwrap_or(rest);
            let pid = digits.parse().ok().filter(|_| !digits.starts_with('+'))?;
            Some((pid, entry.path()))
        })
        .collect()
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Whether a process with this id still runs (it may be a build writing its staging folder).
/// Where `/proc` is missing, every other build is taken as finished.
fn running(pid: u32) -> bool {
    Path::new("/proc/self").exists() && Path::new("/proc").join(pid.to_string()).exists()
}

/// Stops the process here when `BREAKEVEN_FAILPOINT` names this point: the tests use it to
/// interrupt a build exactly where a kill would hurt most. Aborting runs no clean-up code,
/// just as SIGKILL would.
pub fn fail_point(name: &str) {
    if std::env::var("BREAKEVEN_FAILPOINT").is_ok_and(|v| v == name) {
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_breakeven_staging_names_are_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            ".public.staging-12",
            ".public.staging-13.old",
            ".public.staging-x",
            ".public.staging-+1",
            "public.staging-14",
            ".other.staging-15",
        ] {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        let mut found: Vec<u32> = leftovers(dir.path(), "public")
            .into_iter()
            .map(|(pid, _)| pid)
            .collect();
        found.sort();
        assert_eq!(found, [12, 13]);
    }
}
