//! The site model: every page with its front matter, URL, layout and rendered Markdown, the
//! collections and tags built from them, and the data files. Pages live in one `Vec`; everything
//! else refers to them by `PageId`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::data::Data;
use crate::diag::Diagnostic;
use crate::discover::{Inputs, read_text};
use crate::figures::Figures;
use crate::frontmatter::{FrontMatter, Layer, PermalinkSpec};
use crate::highlight::Highlighter;
use crate::markdown;
use crate::page_figures::PageFigures;
use crate::permalink;

/// Index of a page in [`Site::pages`].
pub type PageId = usize;

/// How a page's body becomes HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `.md`: Markdown, rendered while loading.
    Markdown,
    /// `.html`: a Tera template, rendered with the whole site in view.
    Template,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the site root, e.g. `content/blog/posts/x.md`.
    pub source: PathBuf,
    pub kind: PageKind,
    pub fm: FrontMatter,
    /// `None` for `permalink: false`.
    pub url: Option<String>,
    /// Template name, e.g. `layouts/blog.html`; `None` writes the content as it is.
    pub layout: Option<String>,
    /// Template source of a `.html` page (empty for Markdown).
    pub template: String,
    /// File line where the page's body (after front matter) starts.
    pub template_line: usize,
    /// Rendered Markdown (for a template page: only its front matter's data is known here).
    pub markdown: markdown::Rendered,
}

/// One tag: its name, URL and pages (oldest first).
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub pages: Vec<PageId>,
}

/// What `build` may be asked to do differently.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include `draft: true` pages.
    pub drafts: bool,
    /// Overrides `site.yaml`'s `base_url`.
    pub base_url: Option<String>,
}

pub struct Site {
    pub config: SiteConfig,
    /// Sorted by source path. Shared, so a rebuild can reuse the pages that did not change.
    pub pages: Vec<Arc<Page>>,
    /// Tag name → pages, oldest first; `all` holds every page.
    pub collections: BTreeMap<String, Vec<PageId>>,
    /// Sorted by slug.
    pub tags: Vec<Tag>,
    pub data: Data,
}

/// Shared, read-only things every page load needs.
pub struct Loader<'a> {
    pub inputs: &'a Inputs,
    pub config: &'a SiteConfig,
    pub options: &'a Options,
    pub highlighter: &'a Highlighter,
    pub figures: &'a Figures,
    /// `_dir.yaml` layers by the folder they sit in (relative to the root).
    pub dir_layers: &'a HashMap<PathBuf, Layer>,
}

impl Site {
    /// Loads every page in parallel, then builds collections and tags. Problems are collected
    /// for every page; the site is still returned so the caller can report them all.
    pub fn load(loader: &Loader, data: Data, problems: &mut Vec<Diagnostic>) -> Site {
        let pages = loader.load_pages(&loader.inputs.pages, problems);
        Site::assemble(
            loader.config.clone(),
            pages.into_iter().map(Arc::new).collect(),
            data,
            problems,
        )
    }

    /// Builds collections and tags over `pages` (sorted by source) and checks their URLs.
    pub fn assemble(
        config: SiteConfig,
        pages: Vec<Arc<Page>>,
        data: Data,
        problems: &mut Vec<Diagnostic>,
    ) -> Site {
        check_unique_urls(&pages, problems);
        let collections = collections(&pages);
        let tags = tags(&collections);
        Site {
            config,
            pages,
            collections,
            tags,
            data,
        }
    }

    /// The id of the page read from `source`.
    pub fn find(&self, source: &Path) -> Option<PageId> {
        self.pages
            .binary_search_by(|p| p.source.as_path().cmp(source))
            .ok()
    }

    pub fn tag_url(slug: &str) -> String {
        format!("/tags/{slug}/")
    }

    /// A tag's slug; a tag of punctuation alone still needs a URL.
    pub fn tag_slug(name: &str) -> String {
        match permalink::slugify(name) {
            s if s.is_empty() => "tag".to_string(),
            s => s,
        }
    }
}

impl Loader<'_> {
    /// Loads `sources` in parallel; pages with errors are left out and their problems reported.
    pub fn load_pages(&self, sources: &[PathBuf], problems: &mut Vec<Diagnostic>) -> Vec<Page> {
        let results: Vec<(Option<Page>, Vec<Diagnostic>)> = sources
            .par_iter()
            .map(|rel| {
                let mut found = Vec::new();
                let page = self.load_page(rel, &mut found);
                (page, found)
            })
            .collect();
        let mut pages = Vec::new();
        for (page, found) in results {
            problems.extend(found);
            pages.extend(page);
        }
        pages
    }

    /// Reads the `_dir.yaml` folder defaults.
    pub fn load_dir_layers(
        inputs: &Inputs,
        problems: &mut Vec<Diagnostic>,
    ) -> HashMap<PathBuf, Layer> {
        let mut layers = HashMap::new();
        for rel in &inputs.dir_defaults {
            let parsed = read_text(&inputs.root, rel).and_then(|text| Layer::parse(&text, rel, 1));
            match parsed {
                Ok(layer) => {
                    layers.insert(rel.parent().unwrap_or(Path::new("")).to_path_buf(), layer);
                }
                Err(d) => problems.push(d),
            }
        }
        layers
    }

    /// The folder defaults that apply to `rel`, outermost first.
    fn layers_for(&self, rel: &Path) -> Vec<Layer> {
        let mut dirs: Vec<&Path> = rel.ancestors().skip(1).collect();
        dirs.reverse();
        dirs.iter()
            .filter_map(|d| self.dir_layers.get(*d).cloned())
            .collect()
    }

    fn load_page(&self, rel: &Path, problems: &mut Vec<Diagnostic>) -> Option<Page> {
        let text = read_text(&self.inputs.root, rel)
            .map_err(|d| problems.push(d))
            .ok()?;
        let split = crate::frontmatter::split(&text)
            .map_err(|d| problems.push(d.in_file(rel)))
            .ok()?;
        let page_layer = Layer::parse(split.yaml.unwrap_or(""), rel, split.yaml_line)
            .map_err(|d| problems.push(d))
            .ok()?;
        let mut layers = self.layers_for(rel);
        layers.push(page_layer);
        let start = problems.len();
        let mut fm = crate::frontmatter::resolve(&layers, problems)?;
        if fm.draft && !self.options.drafts {
            return None;
        }
        // A page with errors is checked to its end, so one build reports all of them; it is
        // dropped at the end.
        let mut failed = problems[start..].iter().any(Diagnostic::is_error);
        let content_rel = rel.strip_prefix("content").unwrap_or(rel);
        if fm.date.is_none() {
            fm.date = date_from_file_name(content_rel);
        }
        let line_of = |key: &str| {
            layers
                .iter()
                .rev()
                .find_map(|l| l.line_of(key).map(|n| (l.file.clone(), n)))
        };
        let at_key = |d: Diagnostic, key: &str| match line_of(key) {
            Some((file, line)) => d.in_file(file).at(line, None),
            None => d.in_file(rel),
        };
        let url = match &fm.permalink {
            PermalinkSpec::Off => None,
            PermalinkSpec::Default => Some(permalink::default_url(content_rel)),
            PermalinkSpec::Url(p) => match permalink::normalise(p) {
                Ok(url) => Some(url),
                Err(msg) => {
                    let help = "permalinks are paths inside the site, such as `/blog/my-post/`";
                    problems.push(at_key(
                        Diagnostic::error(format!("bad permalink: {msg}")).help(help),
                        "permalink",
                    ));
                    failed = true;
                    None
                }
            },
        };
        let layout = match fm
            .layout
            .clone()
            .or_else(|| self.config.default_layout.clone())
        {
            Some(name) => match self.resolve_layout(&name) {
                Ok(found) => Some(found),
                Err(d) => {
                    let d = if fm.layout.is_some() {
                        at_key(d, "layout")
                    } else {
                        d.in_file(rel)
                    };
                    problems.push(d);
                    failed = true;
                    None
                }
            },
            None => None,
        };
        let kind = if rel.extension().is_some_and(|e| e == "html") {
            PageKind::Template
        } else {
            PageKind::Markdown
        };
        let (template, markdown) = match kind {
            PageKind::Template => (split.body.to_string(), markdown::Rendered::default()),
            PageKind::Markdown => {
                let figures = PageFigures::new(
                    self.figures,
                    rel,
                    fm.scenarios.as_ref(),
                    line_of("scenarios").map(|(_, l)| l),
                )
                .map_err(|d| problems.push(d))
                .ok()?;
                let cx = markdown::Context {
                    file: rel,
                    body_line: split.body_line,
                    highlighter: self.highlighter,
                    figures: &figures,
                };
                (String::new(), markdown::render(split.body, &cx, problems))
            }
        };
        if failed {
            return None;
        }
        Some(Page {
            source: rel.to_path_buf(),
            kind,
            fm,
            url,
            layout,
            template,
            template_line: split.body_line,
            markdown,
        })
    }

    /// `layouts/blog.html`, `blog.html` and `blog` all name `layouts/blog.html`.
    fn resolve_layout(&self, name: &str) -> Result<String, Diagnostic> {
        let mut full = if name.starts_with("layouts/") {
            name.to_string()
        } else {
            format!("layouts/{name}")
        };
        if Path::new(&full).extension().is_none() {
            full.push_str(".html");
        }
        let available: Vec<String> = self
            .inputs
            .layouts
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        if available.contains(&full) {
            return Ok(full);
        }
        let names: Vec<&str> = available
            .iter()
            .filter_map(|l| l.strip_prefix("layouts/")?.strip_suffix(".html"))
            .collect();
        let help = if names.is_empty() {
            "there are no layouts: add one in `layouts/`, e.g. `layouts/blog.html`".to_string()
        } else {
            format!("available layouts: {}", names.join(", "))
        };
        Err(Diagnostic::error(format!("unknown layout `{name}` (no file `{full}`)")).help(help))
    }
}

/// `2025-03-29-title.md` → 2025-03-29, as Eleventy does when front matter has no date.
fn date_from_file_name(rel: &Path) -> Option<jiff::Timestamp> {
    let name = rel.file_name()?.to_str()?;
    crate::frontmatter::parse_date(name.get(..10)?)
}

fn check_unique_urls(pages: &[Arc<Page>], problems: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &Arc<Page>> = HashMap::new();
    for page in pages {
        let Some(url) = &page.url else { continue };
        let file = permalink::output_path(url);
        if let Some(first) = seen.insert(file.clone(), page) {
            problems.push(
                Diagnostic::error(format!(
                    "two pages have the URL `{url}`: {} and {}",
                    first.source.display(),
                    page.source.display()
                ))
                .in_file(&page.source)
                .help("give one of them another `permalink`"),
            );
        }
    }
}

/// Every tag's pages and `all`, oldest first, ties by path (Eleventy's order).
fn collections(pages: &[Arc<Page>]) -> BTreeMap<String, Vec<PageId>> {
    let mut order: Vec<PageId> = (0..pages.len())
        .filter(|&id| !pages[id].fm.exclude_from_collections)
        .collect();
    order.sort_by(|&a, &b| {
        (pages[a].fm.date, &pages[a].source).cmp(&(pages[b].fm.date, &pages[b].source))
    });
    let mut collections: BTreeMap<String, Vec<PageId>> = BTreeMap::new();
    collections.insert("all".into(), order.clone());
    for id in order {
        for tag in &pages[id].fm.tags {
            collections.entry(tag.clone()).or_default().push(id);
        }
    }
    collections
}

/// One [`Tag`] per slug (tags that differ only in case or punctuation share a page).
fn tags(collections: &BTreeMap<String, Vec<PageId>>) -> Vec<Tag> {
    let mut by_slug: BTreeMap<String, (Tag, usize)> = BTreeMap::new();
    for (name, pages) in collections.iter().filter(|(name, _)| *name != "all") {
        let slug = Site::tag_slug(name);
        let (tag, names) = by_slug.entry(slug.clone()).or_insert_with(|| {
            let tag = Tag {
                name: name.clone(),
                url: Site::tag_url(&slug),
                slug,
                pages: Vec::new(),
            };
            (tag, 0)
        });
        tag.pages.extend(pages);
        *names += 1;
    }
    let mut tags = Vec::with_capacity(by_slug.len());
    for (mut tag, names) in by_slug.into_values() {
        // Each collection is in order already; tags merged from several names need sorting.
        if names > 1 {
            let all = collections.get("all").map_or(&[][..], Vec::as_slice);
            let rank: HashMap<PageId, usize> = all
                .iter()
                .enumerate()
                .map(|(rank, &id)| (id, rank))
                .collect();
            tag.pages
                .sort_by_key(|id| rank.get(id).copied().unwrap_or(usize::MAX));
            tag.pages.dedup();
        }
        tags.push(tag);
    }
    tags
}
