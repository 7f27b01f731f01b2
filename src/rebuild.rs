//! A site kept in memory between rebuilds (for `serve`): a set of changed files re-loads and
//! re-renders only what it affects, as `deps::plan` decides, and the result always equals a
//! clean build. A failed rebuild changes nothing; its files are tried again with the next change.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::deps::{self, PageShape, Shape};
use crate::diag::Diagnostic;
use crate::discover::{self, Inputs};
use crate::figures::Figures;
use crate::layout_chain::LayoutFiles;
use crate::output::{Content, Memory, Output, Outputs};
use crate::render::{self, Layouts, Views};
use crate::site::{Loader, Options, Page, PageId, PageKind, Site, Tag};
use crate::{Failure, GENERATED, data, fail_on_errors, failed, feed, highlight, permalink};

/// What a rebuild changed.
#[derive(Debug, Default)]
pub struct Update {
    /// Output paths added, changed or removed.
    pub changed: Vec<String>,
    pub warnings: Vec<Diagnostic>,
    /// Whether everything was rebuilt (site.yaml, folder defaults, a layout added or removed).
    pub full: bool,
}

/// A rebuild's new state, kept apart until the whole rebuild has succeeded.
struct Next {
    inputs: Inputs,
    figures: Arc<Figures>,
    site: Site,
    views: Views,
    layouts: Arc<Layouts>,
    shape: Shape,
}

/// The changed files of one rebuild, by role.
#[derive(Default)]
struct Changes {
    pages: BTreeSet<PathBuf>,
    layouts: BTreeSet<String>,
    statics: BTreeSet<PathBuf>,
    /// Any file under `data/`.
    data: BTreeSet<PathBuf>,
    /// `data/*.yaml|json`: template data and figure prices.
    top_data: bool,
    full: bool,
}

pub struct Session {
    root: PathBuf,
    options: Options,
    highlighter: highlight::Highlighter,
    inputs: Inputs,
    dir_layers: crate::site::DataLayers,
    layout_files: LayoutFiles,
    figures: Arc<Figures>,
    site: Site,
    views: Views,
    layouts: Arc<Layouts>,
    /// Shared with whoever serves it, so publishing a rebuild copies nothing.
    outputs: Arc<Outputs>,
    /// The site's pages and lists as of the last good build, to compare the next one with.
    shape: Shape,
    /// The generated highlight stylesheet (it changes only with site.yaml: a full rebuild).
    stylesheet: String,
    pending: BTreeSet<PathBuf>,
}

impl Session {
    /// A clean build, kept in memory.
    pub fn start(root: &Path, options: &Options) -> Result<(Session, Vec<Diagnostic>), Failure> {
        let highlighter = highlight::Highlighter::default();
        let (prepared, mut problems) = crate::prepare(root, options, &highlighter)?;
        let memory = Memory::reading_copies();
        prepared.render_all(&memory, &mut problems)?;
        let shape = shape(&prepared.site);
        let stylesheet = highlight::stylesheet(&prepared.site.config.highlight).unwrap_or_default();
        let session = Session {
            root: root.to_path_buf(),
            // Rebuilds take milliseconds: they report no progress.
            options: Options {
                progress: Default::default(),
                ..options.clone()
            },
            highlighter,
            inputs: prepared.inputs,
            dir_layers: prepared.dir_layers,
            layout_files: prepared.layout_files,
            figures: Arc::new(prepared.figures),
            site: prepared.site,
            views: prepared.views,
            layouts: Arc::new(prepared.layouts),
            outputs: Arc::new(memory.into_outputs()),
            shape,
            stylesheet,
            pending: BTreeSet::new(),
        };
        Ok((session, problems))
    }

    pub fn outputs(&self) -> &Arc<Outputs> {
        &self.outputs
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Applies changed files (paths relative to the root, existing or deleted). A folder
    /// stands for every file in it.
    pub fn apply(&mut self, changed: BTreeSet<PathBuf>) -> Result<Update, Failure> {
        let mut all = std::mem::take(&mut self.pending);
        for path in changed {
            if self.root.join(&path).is_dir() {
                all.extend(files_under(&self.root, &path));
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
        let changes = self.classify(paths);
        // A Markdown body run through Tera may read any page and template: rebuild everything.
        if changes.full || self.site.config.markdown.templates {
            return self.rebuild_everything();
        }
        let mut problems = Vec::new();
        let layout_files = if changes.layouts.is_empty() {
            self.layout_files.clone()
        } else {
            let files = LayoutFiles::load(&self.inputs, &mut problems);
            fail_on_errors(&mut problems)?;
            // Layout front matter is page data and chains layouts: rare edits, rebuild all.
            if !files.same_front_matter(&self.layout_files) {
                return self.rebuild_everything();
            }
            files
        };
        let (next, reload) = self.load(paths, (&changes, &layout_files), &mut problems)?;
        let edit = self.edit(&next, &reload);
        let (ids, tags) = to_render(
            (&self.shape, &next.shape, &edit),
            &next.site,
            &next.layouts,
            &reload,
            &changes,
        );
        let memory = Memory::reading_copies();
        let tag_refs: Vec<&Tag> = tags.iter().map(|&i| &next.site.tags[i]).collect();
        render::some(
            &next.site,
            &next.views,
            &next.layouts,
            (&ids, &tag_refs),
            &memory,
        )
        .map_err(|e| failed(&mut problems, e))?;
        let outputs = self.outputs_with(
            &next,
            memory.into_outputs(),
            (&changes, &reload),
            &mut problems,
        );
        fail_on_errors(&mut problems)?;
        let changed = changed_paths(&self.outputs, &outputs);
        self.inputs = next.inputs;
        self.figures = next.figures;
        self.site = next.site;
        self.views = next.views;
        self.layouts = next.layouts;
        self.layout_files = layout_files;
        self.shape = next.shape;
        self.outputs = Arc::new(outputs);
        Ok(Update {
            changed,
            warnings: problems,
            full: false,
        })
    }

    /// The next site: changed inputs, data and figures, the changed pages loaded again (and
    /// those whose figures read a changed data file), and the templates if any changed.
    fn load(
        &self,
        paths: &BTreeSet<PathBuf>,
        (changes, layout_files): (&Changes, &LayoutFiles),
        problems: &mut Vec<Diagnostic>,
    ) -> Result<(Next, BTreeSet<PathBuf>), Failure> {
        let inputs = self.updated_inputs(paths);
        let (data, figures) = if changes.top_data {
            let data = data::load(&inputs, problems);
            (data, Arc::new(crate::load_figures(&self.root, problems)?))
        } else {
            (self.site.data.clone(), Arc::clone(&self.figures))
        };
        let mut reload: BTreeSet<PathBuf> = changes.pages.clone();
        for page in &self.site.pages {
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
            Arc::new(Layouts::load(layout_files, &site).map_err(|e| failed(problems, e))?)
        } else {
            Arc::clone(&self.layouts)
        };
        let shape = if same_lists {
            self.shape.clone()
        } else {
            shape(&site)
        };
        let next = Next {
            inputs,
            figures,
            site,
            views,
            layouts,
            shape,
        };
        Ok((next, reload))
    }

    /// How the reloaded pages changed: structurally (added, removed, moved, retagged, reordered),
    /// or only in the fields of their views.
    fn edit(&self, next: &Next, reload: &BTreeSet<PathBuf>) -> deps::Edit {
        let mut edit = deps::Edit {
            structural: next.shape.collections != self.shape.collections
                || next.shape.tags != self.shape.tags,
            fields: BTreeSet::new(),
        };
        for source in reload {
            let (Some(old), Some(new)) = (self.site.find(source), next.site.find(source)) else {
                edit.structural = true;
                continue;
            };
            let (old_view, new_view) = (self.views.get(old), next.views.get(new));
            let (Some(old_map), Some(new_map)) = (old_view.as_map(), new_view.as_map()) else {
                edit.structural = true;
                continue;
            };
            for (key, value) in new_map {
                if old_map.get(key) != Some(value) {
                    edit.fields.insert(key.to_string());
                }
            }
            edit.structural |= self.site.pages[old].url != next.site.pages[new].url;
        }
        edit
    }

    /// The current outputs with the rendered files, static files and generated files updated.
    fn outputs_with(
        &self,
        next: &Next,
        rendered: Outputs,
        (changes, reload): (&Changes, &BTreeSet<PathBuf>),
        problems: &mut Vec<Diagnostic>,
    ) -> Outputs {
        let mut outputs = Outputs::clone(&self.outputs);
        remove_stale(&self.site, &next.site, &mut outputs);
        for (path, output) in rendered {
            let tag_page = |path: &str| {
                next.site
                    .tags
                    .iter()
                    .any(|t| permalink::output_path(&t.url) == path)
            };
            if let Some(owner) = outputs.get(&path).map(|o| o.origin.clone())
                && owner != output.origin
                && (owner.starts_with("static") || (owner == render::TAG_LAYOUT && tag_page(&path)))
            {
                problems.push(crate::clash(&path, &owner, Path::new(&output.origin)));
            }
            outputs.insert(path, output);
        }
        self.update_statics(&changes.statics, &mut outputs, problems);
        // The sitemap lists URLs and dates: on a large site it is worth keeping when those stay.
        let sitemap_stays = next.shape.pages == self.shape.pages
            && next.shape.tags.keys().eq(self.shape.tags.keys())
            && !dates_changed(&self.site, &next.site, reload)
            && outputs.contains_key(feed::SITEMAP_PATH);
        let tag_pages = next.layouts.has(render::TAG_LAYOUT);
        let css = highlight::STYLESHEET_URL.trim_start_matches('/');
        let generated = [
            (feed::FEED_PATH, Some(feed::atom(&next.site, &next.views))),
            (
                feed::SITEMAP_PATH,
                (!sitemap_stays).then(|| feed::sitemap(&next.site, tag_pages)),
            ),
            (
                css,
                (!outputs.contains_key(css)).then(|| self.stylesheet.clone()),
            ),
        ];
        for (path, text) in generated {
            if let Some(text) = text {
                regenerate(&mut outputs, path, text);
            }
        }
        outputs
    }

    fn rebuild_everything(&mut self) -> Result<Update, Failure> {
        let (fresh, warnings) = Session::start(&self.root, &self.options)?;
        let changed = changed_paths(&self.outputs, &fresh.outputs);
        *self = fresh;
        Ok(Update {
            changed,
            warnings,
            full: true,
        })
    }

    fn classify(&self, paths: &BTreeSet<PathBuf>) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let exists = self.root.join(path).is_file();
            let top = path
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .unwrap_or_default();
            match top {
                _ if path == Path::new(crate::config::FILE) => changes.full = true,
                // A link out of the site: a full build reports it, as `build` does.
                _ if discover::leaves_root(&self.root, path) => changes.full = true,
                // An input folder itself came or went: its files are unknown here.
                _ if crate::watch::is_input_dir(path) => changes.full = true,
                // A folder that vanished (or was renamed away): its files are unknown here.
                _ if !exists && self.known_folder(path) => changes.full = true,
                _ if self.root.join(path).is_dir() => {}
                "content"
                    if matches!(
                        path.extension().and_then(|e| e.to_str()),
                        Some("md" | "html")
                    ) =>
                {
                    changes.pages.insert(path.clone());
                }
                // Folder and page data, Eleventy's global data and files published beside pages
                // are rare edits: rebuild everything.
                "content" | "_data" => changes.full = true,
                "layouts" => {
                    // A layout added or removed changes which layout names resolve: rebuild all.
                    changes.full |= exists != self.inputs.layouts.contains(path);
                    changes
                        .layouts
                        .insert(path.to_string_lossy().replace('\\', "/"));
                }
                "static" => {
                    changes.statics.insert(path.clone());
                }
                "data" => {
                    let is_top = path.components().count() == 2
                        && matches!(
                            path.extension().and_then(|e| e.to_str()),
                            Some("yaml" | "yml" | "json")
                        );
                    changes.top_data |= is_top;
                    changes.full |= is_top && exists != self.inputs.data.contains(path);
                    changes.data.insert(path.clone());
                }
                _ => {}
            }
        }
        changes
    }

    /// Whether any known input lies under `path`.
    fn known_folder(&self, path: &Path) -> bool {
        let i = &self.inputs;
        i.pages
            .iter()
            .chain(&i.statics)
            .chain(&i.layouts)
            .chain(&i.data)
            .chain(&i.dir_defaults)
            .any(|p| p.starts_with(path) && p != path)
    }

    /// The inputs with added and removed pages and static files.
    fn updated_inputs(&self, paths: &BTreeSet<PathBuf>) -> Inputs {
        let mut inputs = self.inputs.clone();
        for path in paths {
            let exists = self.root.join(path).is_file() && !discover::is_ignored_path(path);
            let list = if path.starts_with("static") {
                &mut inputs.statics
            } else if path.starts_with("content")
                && matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("md" | "html")
                )
            {
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
            config: &self.site.config,
            options: &self.options,
            highlighter: &self.highlighter,
            figures,
            dir_layers: &self.dir_layers,
            cache: None,
            layout_files: &self.layout_files,
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
        let mut views = Vec::new();
        // Old pages and inputs are both sorted by source: walk them side by side.
        let mut old = self.site.pages.iter().enumerate().peekable();
        for source in &inputs.pages {
            while old.next_if(|(_, p)| p.source < *source).is_some() {}
            let unchanged = old.next_if(|(_, p)| p.source == *source);
            if reload.contains(source) {
                if let Some(page) = loaded.remove(source) {
                    let mut page = Arc::new(page);
                    views.push(render::view_of(&mut page));
                    pages.push(page);
                }
            } else if let Some((id, page)) = unchanged {
                pages.push(Arc::clone(page));
                views.push(self.views.get(id));
            }
        }
        // When no page appeared, vanished or changed what the lists are built from, the lists
        // (and the URL check) stay as they were: on a large site that is most of a rebuild.
        let same_lists = pages.len() == self.site.pages.len()
            && pages
                .iter()
                .zip(&self.site.pages)
                .all(|(new, old)| Arc::ptr_eq(new, old) || same_place(new, old));
        let site = if same_lists {
            Site {
                config: self.site.config.clone(),
                pages,
                collections: self.site.collections.clone(),
                tags: self.site.tags.clone(),
                data,
            }
        } else {
            Site::assemble(self.site.config.clone(), pages, data, problems)
        };
        fail_on_errors(problems)?;
        Ok((site, Views::from_values(views), same_lists))
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
        let kept = self.site.pages.iter().filter(|p| {
            !loaded.contains_key(&p.source) && inputs.pages.binary_search(&p.source).is_ok()
        });
        let urls = crate::source_links::urls(kept.map(|p| &**p).chain(loaded.values()));
        for page in loaded.values_mut() {
            crate::source_links::rewrite(page, &urls, problems);
        }
    }

    fn update_statics(
        &self,
        statics: &BTreeSet<PathBuf>,
        outputs: &mut Outputs,
        problems: &mut Vec<Diagnostic>,
    ) {
        for rel in statics.iter().filter(|rel| !discover::is_ignored_path(rel)) {
            let path = crate::static_output_path(rel);
            let owner = outputs.get(&path).map(|o| o.origin.clone());
            // Generated files give way to the site's own, as in a clean build.
            let replaceable = owner
                .as_deref()
                .is_none_or(|o| o.starts_with("static") || o == GENERATED);
            if !self.root.join(rel).is_file() {
                if owner.as_deref().is_some_and(|o| o.starts_with("static")) {
                    outputs.remove(&path);
                }
                continue;
            }
            if !replaceable {
                problems.push(crate::clash(&path, &owner.unwrap_or_default(), rel));
                continue;
            }
            match std::fs::read(self.root.join(rel)) {
                Ok(bytes) => {
                    let origin = rel.to_string_lossy().into_owned();
                    outputs.insert(
                        path,
                        Arc::new(Output {
                            origin,
                            content: Content::Bytes(bytes),
                        }),
                    );
                }
                Err(e) => problems
                    .push(Diagnostic::error(format!("cannot read this file: {e}")).in_file(rel)),
            }
        }
    }
}

/// The pages and tag pages a rebuild renders: what `deps::plan` finds, plus every user of a
/// changed template, and the users of `data` when data files changed.
fn to_render(
    (old, new_shape, edit): (&Shape, &Shape, &deps::Edit),
    new: &Site,
    layouts: &Layouts,
    reload: &BTreeSet<PathBuf>,
    changes: &Changes,
) -> (Vec<PageId>, Vec<usize>) {
    // A removed page is a changed file too, so `reload` names every page that changed.
    // Pages share a handful of layouts: work out each combination's use once.
    let keys: Vec<(Option<&str>, Option<String>)> = new
        .pages
        .iter()
        .map(|p| {
            (
                p.layout.as_deref(),
                (p.kind == PageKind::Template).then(|| render::template_name(p)),
            )
        })
        .collect();
    let mut by_templates: HashMap<&(Option<&str>, Option<String>), deps::SiteUse> = HashMap::new();
    for (page, key) in new.pages.iter().zip(&keys) {
        by_templates
            .entry(key)
            .or_insert_with(|| layouts.page_use(page));
    }
    // Pages are sorted by source, as the shape's keys are: the two line up.
    let page_uses: Vec<Option<&deps::SiteUse>> = keys.iter().map(|k| by_templates.get(k)).collect();
    let tag_use = layouts.tag_use();
    let changed: BTreeSet<deps::Source> = reload.iter().map(|p| source_key(p)).collect();
    let plan = deps::plan(old, new_shape, &changed, &page_uses, &tag_use, edit);
    let ids = (0..new.pages.len())
        .filter(|&id| {
            let page = &new.pages[id];
            plan.pages.contains(&new_shape.pages[id].0)
                || (!changes.layouts.is_empty() && layouts.page_uses_any(page, &changes.layouts))
                || (changes.top_data && page_uses[id].is_some_and(|u| u.data))
        })
        .collect();
    let all_tags = layouts.tags_use_any(&changes.layouts) || (changes.top_data && tag_use.data);
    let tags = (0..new.tags.len())
        .filter(|&i| all_tags || plan.tags.contains(&new.tags[i].slug))
        .collect();
    (ids, tags)
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

/// Where each page is and which lists hold it.
fn shape(site: &Site) -> Shape {
    let keys: Vec<deps::Source> = site.pages.iter().map(|p| source_key(&p.source)).collect();
    let members = |ids: &[PageId]| ids.iter().map(|&id| keys[id].clone()).collect();
    Shape {
        pages: site
            .pages
            .iter()
            .zip(&keys)
            .map(|(p, key)| {
                let shape = PageShape {
                    url: p.url.clone(),
                    tags: p.fm.tags.clone(),
                    listed: p.fm.exclude_from_collections
                        != crate::frontmatter::Excluded::Everywhere,
                };
                (key.clone(), shape)
            })
            .collect(),
        collections: site
            .collections
            .iter()
            .map(|(name, ids)| (name.clone(), members(ids)))
            .collect(),
        tags: site
            .tags
            .iter()
            .map(|t| (t.slug.clone(), members(&t.pages)))
            .collect(),
        tag_names: site
            .tags
            .iter()
            .map(|t| (t.slug.clone(), t.name.clone()))
            .collect(),
    }
}

fn source_key(source: &Path) -> deps::Source {
    Arc::from(source.to_string_lossy().as_ref())
}

/// Whether two versions of a page sit in the same place: same source, URL and lists.
fn same_place(new: &Page, old: &Page) -> bool {
    new.source == old.source
        && new.url == old.url
        && new.fm.date == old.fm.date
        && new.fm.tags == old.fm.tags
        && new.fm.exclude_from_collections == old.fm.exclude_from_collections
}

fn dates_changed(old: &Site, new: &Site, reload: &BTreeSet<PathBuf>) -> bool {
    reload.iter().any(|source| {
        let dates = |site: &Site| {
            site.find(source)
                .map(|id| (site.pages[id].fm.date, site.pages[id].fm.updated))
        };
        dates(old) != dates(new)
    })
}

/// Removes the outputs of pages and tags that are gone or have moved (never a static file's or
/// a generated one that happens to sit at an old URL).
fn remove_stale(old: &Site, new: &Site, outputs: &mut Outputs) {
    let new_urls: BTreeSet<&str> = new
        .pages
        .iter()
        .filter_map(|p| p.url.as_deref())
        .chain(new.tags.iter().map(|t| t.url.as_str()))
        .collect();
    let old_urls = old
        .pages
        .iter()
        .filter_map(|p| p.url.as_deref())
        .chain(old.tags.iter().map(|t| t.url.as_str()));
    for url in old_urls.filter(|url| !new_urls.contains(url)) {
        let path = permalink::output_path(url);
        let rendered = outputs
            .get(&path)
            .is_some_and(|o| o.origin.starts_with("content") || o.origin == render::TAG_LAYOUT);
        if rendered {
            outputs.remove(&path);
        }
    }
}

/// Replaces a generated file unless a page or static file of the site's own has its path.
fn regenerate(outputs: &mut Outputs, path: &str, text: String) {
    if outputs.get(path).is_some_and(|o| o.origin != GENERATED) {
        return;
    }
    let output = Output {
        origin: GENERATED.into(),
        content: Content::Bytes(text.into_bytes()),
    };
    outputs.insert(path.to_string(), Arc::new(output));
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
