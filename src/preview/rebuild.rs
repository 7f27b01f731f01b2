//! A site kept in memory between rebuilds (for `serve`). A rebuild loads the next version of
//! the site the way a build does (reading again only the changed files), plans its outputs
//! with the build's own plan, and produces only the files that are new or stale; the result
//! always equals a clean build. A failed rebuild changes nothing; its files are tried again
//! with the next change.

mod classify;
mod next;
mod stale;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::deps::Shape;
use crate::diag::Diagnostic;
use crate::discover;
use crate::layout_chain::LayoutFiles;
use crate::output::{Memory, Outputs};
use crate::plan::{ByOrigin, Plan};
use crate::site::Options;
use crate::{Failure, Prepared, fail_on_errors, failed, highlight, plan};
use classify::{Changes, Fact};
use stale::Version;

/// What a rebuild changed.
#[derive(Debug, Default)]
pub struct Update {
    /// Output paths added, changed or removed.
    pub changed: Vec<String>,
    /// Problems the rebuild reported that did not stop it.
    pub warnings: Vec<Diagnostic>,
    /// Whether everything was rebuilt (site.yaml, folder defaults, a layout added or removed).
    pub full: bool,
}

/// A live preview's site, kept in memory between rebuilds.
pub struct Session {
    options: Options,
    highlighter: highlight::Highlighter,
    /// The last good version of the site.
    current: Prepared,
    /// Its pages and lists, to compare the next version with.
    shape: Arc<Shape>,
    /// Its output plan, kept while no page or static file moves.
    plan: Arc<Planned>,
    /// Shared with whoever serves it, so publishing a rebuild copies nothing.
    outputs: Arc<Outputs>,
    pending: BTreeSet<PathBuf>,
}

/// An output plan, with its files by owner.
struct Planned {
    files: Plan,
    by_origin: ByOrigin,
}

impl Planned {
    fn new(files: Plan) -> Planned {
        let by_origin = ByOrigin::new(&files);
        Planned { files, by_origin }
    }
}

impl Session {
    /// A clean build, kept in memory.
    pub fn start(root: &Path, options: &Options) -> Result<(Session, Vec<Diagnostic>), Failure> {
        let highlighter = highlight::Highlighter::default();
        let (mut current, mut problems) = crate::prepare(root, options, &highlighter)?;
        let memory = Memory::reading_copies();
        current.render_all(&memory, &mut problems)?;
        // Rebuilds take milliseconds: they report no progress.
        current.progress = Default::default();
        let session = Session {
            options: Options {
                progress: Default::default(),
                ..options.clone()
            },
            highlighter,
            shape: Arc::new(stale::shape(&current.site)),
            plan: Arc::new(Planned::new(current.plan().0)),
            current,
            outputs: Arc::new(memory.into_outputs()),
            pending: BTreeSet::new(),
        };
        Ok((session, problems))
    }

    /// Every file of the last good build, by output path.
    pub fn outputs(&self) -> &Arc<Outputs> {
        &self.outputs
    }

    /// The site's folder.
    pub fn root(&self) -> &Path {
        &self.current.root
    }

    /// Applies changed files (paths relative to the root, existing or deleted). A folder
    /// stands for every file in it.
    pub fn apply(&mut self, changed: BTreeSet<PathBuf>) -> Result<Update, Failure> {
        let mut all = std::mem::take(&mut self.pending);
        for path in changed {
            if self.root().join(&path).is_dir() {
                all.extend(files_under(self.root(), &path));
            }
            all.insert(path);
        }
        let result = self.try_apply(&all);
        if result.is_err() {
            self.pending = all;
        }
        result
    }

    fn try_apply(&mut self, paths: &BTreeSet<PathBuf>) -> Result<Update, Failure> {
        let changes = classify::classify(&self.facts(paths), &self.current.inputs);
        // A Markdown body run through Tera may read any page and template: rebuild everything.
        if changes.full || self.current.site.config.markdown.templates {
            return self.rebuild_everything();
        }
        let mut problems = Vec::new();
        let Some(layout_files) = self.layout_files(&changes, &mut problems)? else {
            return self.rebuild_everything();
        };
        let (next, shape, reload) = self.load(paths, (&changes, layout_files), &mut problems)?;
        // The plan follows from URLs and static files: when none moved it is the last one.
        let same_plan = Arc::ptr_eq(&shape, &self.shape)
            && changes.statics.is_empty()
            && next.site.paged == self.current.site.paged;
        let plan = if same_plan {
            Arc::clone(&self.plan)
        } else {
            let (plan, clashes) = next.plan();
            problems.extend(clashes);
            fail_on_errors(&mut problems)?;
            Arc::new(Planned::new(plan))
        };
        let next_version = Version {
            site: &next.site,
            views: &next.views,
            layouts: &next.layouts,
            shape: &shape,
        };
        let stale = stale::stale(&self.version(), &next_version, &reload, &changes);
        // The last build holds every file of its plan: with the same plan, only stale files
        // are produced again, found by owner rather than by comparing every planned file.
        let files = if same_plan {
            plan.by_origin.stale_files(&plan.files, &stale)
        } else {
            let old = |path: &str| self.outputs.get(path).map(|o| &o.origin);
            plan::to_produce(old, &plan.files, &stale)
        };
        let memory = Memory::reading_copies();
        next.produce(files, &memory)
            .map_err(|e| failed(&mut problems, e))?;
        let (outputs, changed) = self.next_outputs(memory.into_outputs(), &plan.files, same_plan);
        self.current = next;
        self.shape = shape;
        self.plan = plan;
        self.outputs = Arc::new(outputs);
        Ok(Update {
            changed,
            warnings: problems,
            full: false,
        })
    }

    /// The layout files for the next version: the last ones, or read again when one changed;
    /// none when their front matter changed (page data and layout chains: rebuild everything).
    fn layout_files(
        &self,
        changes: &Changes,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<Option<LayoutFiles>, Failure> {
        if changes.layouts.is_empty() {
            return Ok(Some(self.current.layout_files.clone()));
        }
        let files = LayoutFiles::load(&self.current.inputs, problems);
        fail_on_errors(problems)?;
        Ok(files
            .same_front_matter(&self.current.layout_files)
            .then_some(files))
    }

    /// Every output after a rebuild that `produced` these files, and the paths that changed.
    fn next_outputs(
        &self,
        produced: Outputs,
        plan: &Plan,
        same_plan: bool,
    ) -> (Outputs, Vec<String>) {
        if same_plan {
            // The same files as the last build: only those produced again can differ.
            let changed = produced
                .iter()
                .filter(|(path, o)| {
                    self.outputs
                        .get(*path)
                        .is_none_or(|old| old.content != o.content)
                })
                .map(|(path, _)| path.clone())
                .collect();
            let mut outputs = Outputs::clone(&self.outputs);
            outputs.extend(produced);
            return (outputs, changed);
        }
        let mut outputs: Outputs = self
            .outputs
            .iter()
            .filter(|(path, o)| plan.get(*path) == Some(&o.origin))
            .map(|(path, o)| (path.clone(), Arc::clone(o)))
            .collect();
        outputs.extend(produced);
        let changed = changed_paths(&self.outputs, &outputs);
        (outputs, changed)
    }

    fn version(&self) -> Version<'_> {
        Version {
            site: &self.current.site,
            views: &self.current.views,
            layouts: &self.current.layouts,
            shape: &self.shape,
        }
    }

    /// What the file system says about each changed path, for [`classify::classify`].
    fn facts(&self, paths: &BTreeSet<PathBuf>) -> Vec<Fact> {
        let root = self.root();
        paths
            .iter()
            .map(|path| Fact {
                path: path.clone(),
                file: root.join(path).is_file(),
                dir: root.join(path).is_dir(),
                leaves_root: discover::leaves_root(root, path),
            })
            .collect()
    }

    fn rebuild_everything(&mut self) -> Result<Update, Failure> {
        let (fresh, warnings) = Session::start(self.root(), &self.options)?;
        let changed = changed_paths(&self.outputs, &fresh.outputs);
        *self = fresh;
        Ok(Update {
            changed,
            warnings,
            full: true,
        })
    }
}

fn files_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root.join(dir))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .filter(|rel| !discover::is_ignored_path(rel))
        .collect()
}

fn changed_paths(old: &Outputs, new: &Outputs) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, output)| {
            old.get(*path)
                .is_none_or(|o| !Arc::ptr_eq(o, output) && o.content != output.content)
        })
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    changed.sort();
    changed
}
