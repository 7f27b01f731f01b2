//! Watching the site's inputs: `content/`, `layouts/`, `static/`, `data/` and `site.yaml`, with
//! bursts of events (a `git checkout`, an editor's save-by-rename) debounced into one batch.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::diag::Diagnostic;

/// How long a path must stay quiet before its events are delivered, together with every other
/// path that went quiet by then. An editor's save (a write, or a temporary file renamed over the
/// original) fits well inside it; a large checkout may arrive as a few batches, each of which
/// the rebuild handles like any other change.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// The folders whose files are inputs.
const INPUT_DIRS: &[&str] = &["content", "layouts", "static", "data", "_data"];

/// A running watcher and the batches of changed input paths (relative to the root) it sends.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    root: PathBuf,
}

impl Watcher {
    /// Starts watching the site at `root`: its input folders, and the root itself for `site.yaml`.
    pub fn start(root: &Path) -> Result<Watcher, Diagnostic> {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let (tx, events) = channel();
        let fail = |e: notify_debouncer_full::notify::Error| {
            Diagnostic::error(format!(
                "cannot watch `{}` for changes: {e}",
                root.display()
            ))
            .help("on Linux, raise fs.inotify.max_user_watches")
        };
        let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(fail)?;
        // The root itself is watched alone: it holds the output folder and `.git`, whose
        // churn must not cost a watch per file.
        debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(fail)?;
        for dir in INPUT_DIRS {
            let path = root.join(dir);
            if path.is_dir() {
                debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(fail)?;
            }
        }
        Ok(Watcher {
            debouncer,
            events,
            root,
        })
    }

    /// Blocks until the next batch that touches an input; `None` when the watcher stopped.
    pub fn next_batch(&mut self) -> Option<BTreeSet<PathBuf>> {
        loop {
            let batch = self.events.recv().ok()?;
            let Ok(events) = batch else { continue };
            let paths: BTreeSet<PathBuf> = events
                .iter()
                // Reading a file is an event too (the rebuild reads every file it loads).
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.paths.iter())
                .filter_map(|p| input_path(&self.root, p))
                .collect();
            for dir in paths.iter().filter(|p| is_input_dir(p)) {
                self.rewatch(dir);
            }
            if !paths.is_empty() {
                return Some(paths);
            }
        }
    }

    /// Watches an input folder again: a folder deleted and created anew (`rm -rf content &&
    /// cp -r backup content`, a `git checkout`), or one created after the start, is a new
    /// folder the system's watch never covered. Files that arrived before the watch are found
    /// by the full rebuild such a change causes.
    fn rewatch(&mut self, dir: &Path) {
        let path = self.root.join(dir);
        let _ = self.debouncer.unwatch(&path);
        if path.is_dir() {
            let _ = self.debouncer.watch(&path, RecursiveMode::Recursive);
        }
    }
}

/// Whether `rel` is one of the input folders itself (`content`, not `content/a.md`).
pub fn is_input_dir(rel: &Path) -> bool {
    rel.components().count() == 1 && rel.to_str().is_some_and(|r| INPUT_DIRS.contains(&r))
}

/// The root-relative path of an input file, or `None` for anything else (the output folder,
/// `.git`, editors' swap and backup files).
pub fn input_path(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let is_input = rel == Path::new(crate::config::FILE) || INPUT_DIRS.contains(&first);
    let ignored = rel
        .components()
        .any(|c| crate::discover::is_ignored(c.as_os_str().to_str()));
    (is_input && !ignored).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_pass() {
        let root = Path::new("/site");
        let ok = |p: &str| input_path(root, Path::new(p)).map(|p| p.to_string_lossy().into_owned());
        assert_eq!(ok("/site/content/a.md").as_deref(), Some("content/a.md"));
        assert_eq!(ok("/site/site.yaml").as_deref(), Some("site.yaml"));
        assert_eq!(ok("/site/public/index.html"), None);
        assert_eq!(ok("/site/.git/index"), None);
        assert_eq!(ok("/site/content/.a.md.swp"), None);
        assert_eq!(ok("/site/content/a.md~"), None);
        assert_eq!(ok("/site/content/4913.tmp"), None);
        assert_eq!(ok("/elsewhere/content/a.md"), None);
    }
}
