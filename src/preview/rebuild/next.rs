//! The next version of a live site: the changed inputs, data and figures, the changed pages
//! read again (unchanged pages and their views shared with the last version), the lists kept
//! when no page moved, the templates loaded again when one changed.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::classify::{self, Changes};
use super::{Session, stale};
use crate::deps::Shape;
use crate::diag::Diagnostic;
use crate::discover::{self, Inputs};
use crate::figures::Figures;
use crate::layout_chain::LayoutFiles;
use crate::render::{self, Layouts, Views};
use crate::site::{Loader, Page, Site};
use crate::{Failure, Prepared, data, fail_on_errors, failed};

/// Every page of a version, and its view, in page order.
type PagesAndViews = (Vec<Arc<Page>>, Vec<tera::Value>);

impl Session {
    /// The next version of the site: changed inputs, data and figures, the changed pages loaded
    /// again (and those whose figures read a changed data file), the templates if any changed.
    pub(super) fn load(
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
    fn updated_site(
        &self,
        inputs: &Inputs,
        figures: &Figures,
        reload: &BTreeSet<PathBuf>,
        data: data::Data,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<(Site, Views, bool), Failure> {
        let loaded = self.reloaded_pages(inputs, figures, reload, problems)?;
        let (pages, views) = match self.pages_in_place(reload, loaded) {
            Ok(in_place) => in_place,
            Err(loaded) => self.merged_pages(inputs, reload, loaded),
        };
        // When no page appeared, vanished or changed what the lists are built from, the lists
        // (and the URL check) stay as they were: on a large site that is most of a rebuild.
        let same_lists = pages.len() == self.current.site.pages.len()
            && pages
                .iter()
                .zip(&self.current.site.pages)
                .all(|(new, old)| Arc::ptr_eq(new, old) || stale::same_place(new, old));
        let site = if same_lists {
            let current = &self.current.site;
            let mut site = Site {
                config: current.config.clone(),
                pages,
                collections: current.collections.clone(),
                tags: current.tags.clone(),
                data,
                paged: Default::default(),
            };
            // Every URL stayed, but a paginated page's chunks may have (its data changed).
            if site.pages.iter().any(|p| p.fm.pagination.is_some()) {
                site.paginate_again(current, problems);
            }
            site
        } else {
            Site::assemble(self.current.site.config.clone(), pages, data, problems)
        };
        fail_on_errors(problems)?;
        let views = self.next_views(&site, views, same_lists);
        Ok((site, views, same_lists))
    }

    /// The pages of `reload` that still exist, read again, their links to source files
    /// rewritten.
    fn reloaded_pages(
        &self,
        inputs: &Inputs,
        figures: &Figures,
        reload: &BTreeSet<PathBuf>,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<HashMap<PathBuf, Page>, Failure> {
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
        Ok(loaded)
    }

    /// The last version's pages and views with those `loaded` again in their places, when
    /// every page kept its place; else `loaded` is given back.
    fn pages_in_place(
        &self,
        reload: &BTreeSet<PathBuf>,
        loaded: HashMap<PathBuf, Page>,
    ) -> Result<PagesAndViews, HashMap<PathBuf, Page>> {
        let current = &self.current;
        // Inputs change only at changed paths, all in `reload`: when each of those that was a
        // page still is one (and each that was not still is not), no page came or went.
        let same_pages = reload
            .iter()
            .all(|s| current.site.find(s).is_some() == loaded.contains_key(s));
        if !same_pages {
            return Err(loaded);
        }
        let mut pages = current.site.pages.clone();
        let mut views: Vec<tera::Value> =
            (0..pages.len()).map(|id| current.views.get(id)).collect();
        for (source, page) in loaded {
            if let Some(id) = current.site.find(&source) {
                let page = Arc::new(page);
                views[id] = current.views.view_of(&page);
                pages[id] = page;
            }
        }
        Ok((pages, views))
    }

    /// Every page of `inputs` and its view, in order: those `loaded` again, the others shared
    /// with the last version.
    fn merged_pages(
        &self,
        inputs: &Inputs,
        reload: &BTreeSet<PathBuf>,
        mut loaded: HashMap<PathBuf, Page>,
    ) -> PagesAndViews {
        let mut pages = Vec::new();
        let mut views = Vec::new();
        // Old pages and inputs are both sorted by source: walk them side by side.
        let mut old = self.current.site.pages.iter().enumerate().peekable();
        for source in &inputs.pages {
            while old.next_if(|(_, p)| p.source < *source).is_some() {}
            let unchanged = old.next_if(|(_, p)| p.source == *source);
            if reload.contains(source) {
                if let Some(page) = loaded.remove(source) {
                    let page = Arc::new(page);
                    views.push(self.current.views.view_of(&page));
                    pages.push(page);
                }
            } else if let Some((id, page)) = unchanged {
                pages.push(Arc::clone(page));
                views.push(self.current.views.get(id));
            }
        }
        (pages, views)
    }

    /// The views of the next version, given each page's: paginated pages get the URL of their
    /// first chunk (a reloaded one's view was made before its URL was known).
    fn next_views(&self, site: &Site, mut views: Vec<tera::Value>, same_lists: bool) -> Views {
        for (&id, paged) in &site.paged {
            if let (Some(view), Some(url)) = (views.get_mut(id), paged.urls.first()) {
                *view = render::with_url(std::mem::replace(view, tera::Value::none()), url);
            }
        }
        let views = Views::from_values(views, self.current.views.embedded());
        let first_urls = |site: &Site| {
            let paged = site.paged.iter();
            paged
                .map(|(&id, p)| (id, p.urls.first().cloned()))
                .collect::<Vec<_>>()
        };
        // Every page kept its URL and its place in the lists, so every URL kept its positions.
        if same_lists && first_urls(site) == first_urls(&self.current.site) {
            views.keeping_positions_of(&self.current.views)
        } else {
            views
        }
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
