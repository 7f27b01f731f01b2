//! A site kept in memory between rebuilds (for `serve`). A rebuild loads the next version of
//! the site the way a build does (reading again only the changed files), plans its outputs
//! with the build's own plan, and produces only the files that are new or stale; the result
//! always equals a clean build. A failed rebuild changes nothing; its files are tried again
//! with the next change.

mod classify;
mod stale;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::deps::Shape;
use crate::diag::Diagnostic;
use crate::discover::{self, Inputs};
use crate::figures::Figures;
use crate::layout_chain::LayoutFiles;
use crate::output::{Memory, Outputs};
use crate::plan::Plan;
use crate::render::{Layouts, Views};
use crate::site::{Loader, Options, Page, Site};
use crate::{Failure, Prepared, data, fail_on_errors, failed, highlight, plan};
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
    plan: Arc<Plan>,
    /// Shared with whoever serves it, so publishing a rebuild copies nothing.
    outputs: Arc<Outputs>,
    pending: BTreeSet<PathBuf>,
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
            plan: Arc::new(current.plan().0),
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
        let layout_files = if changes.layouts.is_empty() {
            self.current.layout_files.clone()
        } else {
            let files = LayoutFiles::load(&self.current.inputs, &mut problems);
            fail_on_errors(&mut problems)?;
            // Layout front matter is page data and chains layouts: rare edits, rebuild all.
            if !files.same_front_matter(&self.current.layout_files) {
                return self.rebuild_everything();
            }
            files
        };
        let (next, shape, reload) = self.load(paths, (&changes, layout_files), &mut problems)?;
        // The plan follows from URLs and static files: when none moved it is the last one.
        let same_urls = Arc::ptr_eq(&shape, &self.shape)
            && changes.statics.is_empty()
            && next.site.paged == self.current.site.paged;
        let plan = if same_urls {
            Arc::clone(&self.plan)
        } else {
            let (plan, clashes) = next.plan();
            problems.extend(clashes);
            fail_on_errors(&mut problems)?;
            Arc::new(plan)
        };
        let stale = stale::stale(
            &self.version(),
            &Version {
                site: &next.site,
                views: &next.views,
                layouts: &next.layouts,
                shape: &shape,
            },
            &reload,
            &changes,
        );
        let old = |path: &str| self.outputs.get(path).map(|o| &o.origin);
        let memory = Memory::reading_copies();
        next.produce(plan::to_produce(old, &plan, &stale), &memory)
            .map_err(|e| failed(&mut problems, e))?;
        let mut outputs: Outputs = self
            .outputs
            .iter()
            .filter(|(path, o)| plan.get(*path) == Some(&o.origin))
            .map(|(path, o)| (path.clone(), Arc::clone(o)))
            .collect();
        outputs.extend(memory.into_outputs());
        let changed = changed_paths(&self.outputs, &outputs);
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

    /// The next version of the site: changed inputs, data and figures, the changed pages loaded
    /// again (and those whose figures read a changed data file), the templates if any changed.
    fn load(
        &self,
        paths: &BTreeSet<PathBuf>,
        (changes, layout_files): (&Changes, LayoutFiles),
        problems: &mut Vec<Diagnostic>,
    ) -> Result<(Prepared, Arc<Shape>, BTreeSet<PathBuf>), Failure> {
        let current = &self.current;
        let inputs = self.updated_inputs(paths);
        let (data, figures) = if changes.top_data {
            let files = data::load(&inputs, problems);
            let figures = crate::load_figures(self.root(), &files, problems)?;
            (files.data, Arc::new(figures))
        } else {
            (current.site.data.clone(), Arc::clone(&current.figures))
        };
        let mut reload: BTreeSet<PathBuf> = changes.pages.clone();
        for page in &current.site.pages {
            // A page edit may move the page a link to a source file names, or add or remove it.
            let links_moved = !changes.pages.is_empty() && !page.markdown.source_links.is_empty();
            if links_moved || page.markdown.reads.iter().any(|r| changes.data.contains(r)) {
                reload.insert(page.source.clone());
            }
        }
        let (site, views, same_lists) =
            self.updated_site(&inputs, &figures, &reload, data, problems)?;
        // Template pages are Tera templates too: reloading one reloads the templates.
        let templates_changed = !changes.layouts.is_empty()
            || reload
                .iter()
                .any(|r| r.extension().is_some_and(|e| e == "html"));
        let layouts = if templates_changed {
            Arc::new(Layouts::load(&layout_files, &site).map_err(|e| failed(problems, e))?)
        } else {
            Arc::clone(&current.layouts)
        };
        // A template that starts (or stops) listing other pages' content changes what views hold.
        let views = views.embedding(&site, layouts.show_others_content());
        let shape = if same_lists {
            Arc::clone(&self.shape)
        } else {
            Arc::new(stale::shape(&site))
        };
        let next = Prepared {
            root: current.root.clone(),
            inputs,
            dir_layers: Arc::clone(&current.dir_layers),
            layout_files,
            figures,
            site,
            views,
            layouts,
            progress: Default::default(),
            cache: None,
        };
        Ok((next, shape, reload))
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

    /// The inputs with added and removed pages and static files.
    fn updated_inputs(&self, paths: &BTreeSet<PathBuf>) -> Inputs {
        let mut inputs = self.current.inputs.clone();
        // As in a full build's scan: a page added to a folder `.eleventyignore` names stays out.
        let eleventy_ignores = crate::input::ignore::load(self.root());
        for path in paths {
            let exists = self.root().join(path).is_file()
                && !discover::is_ignored_path(path)
                && !(path.starts_with("content")
                    && crate::input::ignore::is_ignored(&eleventy_ignores, path));
            let list = if path.starts_with("static") {
                &mut inputs.statics
            } else if classify::is_page(path) {
                &mut inputs.pages
            } else {
                continue;
            };
            match (list.binary_search(path), exists) {
                (Err(at), true) => list.insert(at, path.clone()),
                (Ok(at), false) => {
                    list.remove(at);
                }
                _ => {}
            }
        }
        inputs
    }

    /// The site with `reload` read again; unchanged pages (and their views) are shared. The flag
    /// says whether every page kept its place, so the lists were kept too.
    #[allow(clippy::too_many_lines)] // 67 lines; split into steps on the serve branch being merged
    fn updated_site(
        &self,
        inputs: &Inputs,
        figures: &Figures,
        reload: &BTreeSet<PathBuf>,
        data: data::Data,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<(Site, Views, bool), Failure> {
        let loader = Loader {
            inputs,
            config: &self.current.site.config,
            options: &self.options,
            highlighter: &self.highlighter,
            figures,
            dir_layers: &self.current.dir_layers,
            cache: None,
            // Layout front matter is the same (a change to it rebuilds everything).
            layout_files: &self.current.layout_files,
        };
        let to_load: Vec<PathBuf> = reload
            .iter()
            .filter(|p| inputs.pages.binary_search(p).is_ok())
            .cloned()
            .collect();
        let mut loaded: HashMap<PathBuf, Page> = loader
            .load_pages(&to_load, problems)
            .into_iter()
            .map(|p| (p.source.clone(), p))
            .collect();
        self.rewrite_source_links(inputs, &mut loaded, problems);
        fail_on_errors(problems)?;
        let mut pages = Vec::new();
        let mut views = Views::empty(self.current.views.embedded());
        // Old pages and inputs are both sorted by source: walk them side by side.
        let mut old = self.current.site.pages.iter().enumerate().peekable();
        for source in &inputs.pages {
            while old.next_if(|(_, p)| p.source < *source).is_some() {}
            let unchanged = old.next_if(|(_, p)| p.source == *source);
            if reload.contains(source) {
                if let Some(page) = loaded.remove(source) {
                    let page = Arc::new(page);
                    views.push(&page);
                    pages.push(page);
                }
            } else if let Some((id, page)) = unchanged {
                pages.push(Arc::clone(page));
                views.reuse(&self.current.views, id);
            }
        }
        // When no page appeared, vanished or changed what the lists are built from, the lists
        // (and the URL check) stay as they were: on a large site that is most of a rebuild.
        let same_lists = pages.len() == self.current.site.pages.len()
            && pages
                .iter()
                .zip(&self.current.site.pages)
                .all(|(new, old)| Arc::ptr_eq(new, old) || stale::same_place(new, old));
        let site = if same_lists {
            let mut site = Site {
                config: self.current.site.config.clone(),
                pages,
                collections: self.current.site.collections.clone(),
                tags: self.current.site.tags.clone(),
                data,
                paged: Default::default(),
            };
            // Every URL stayed, but a paginated page's chunks may have (its data changed).
            if site.pages.iter().any(|p| p.fm.pagination.is_some()) {
                site.paginate(problems);
            }
            site
        } else {
            Site::assemble(self.current.site.config.clone(), pages, data, problems)
        };
        fail_on_errors(problems)?;
        // Views of reloaded paginated pages were made before their URL was known.
        for (&id, paged) in &site.paged {
            if let Some(url) = paged.urls.first() {
                views.set_url(id, url);
            }
        }
        Ok((site, views, same_lists))
    }

    /// Rewrites the reloaded pages' links to source files, against the URLs of the pages
    /// they will sit among.
    fn rewrite_source_links(
        &self,
        inputs: &Inputs,
        loaded: &mut HashMap<PathBuf, Page>,
        problems: &mut Vec<Diagnostic>,
    ) {
        if loaded.values().all(|p| p.markdown.source_links.is_empty()) {
            return;
        }
        let kept = self.current.site.pages.iter().filter(|p| {
            !loaded.contains_key(&p.source) && inputs.pages.binary_search(&p.source).is_ok()
        });
        let urls = crate::source_links::urls(kept.map(|p| &**p).chain(loaded.values()));
        for page in loaded.values_mut() {
            crate::source_links::rewrite(page, &urls, problems);
        }
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
