//! The site model: every page with its front matter, URL, layout and rendered Markdown, the
//! collections and tags built from them, and the data files. Pages live in one `Vec`; everything
//! else refers to them by `PageId`.

pub mod computed;
mod file_dates;
pub mod highlight;
pub mod layout_chain;
mod load;
pub mod markdown;
pub mod markdown_templates;
pub mod packed;
pub mod paginate;
pub mod source_links;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::data::Data;
use crate::diag::Diagnostic;
use crate::discover::Inputs;
use crate::figures::Figures;
use crate::frontmatter::{Excluded, FrontMatter, Layer};
use crate::highlight::Highlighter;

use crate::permalink;

/// Data layers from files in `content/`, by the folder or page they apply to, in the order they
/// apply.
pub type DataLayers = HashMap<PathBuf, Vec<Layer>>;

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

/// One page file of the site, loaded: front matter resolved, URL decided, Markdown rendered.
#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the site root, e.g. `content/blog/posts/x.md`.
    pub source: PathBuf,
    /// Markdown, or a Tera template rendered with the site in view.
    pub kind: PageKind,
    /// The page's front matter, with folder and layout defaults applied.
    pub fm: FrontMatter,
    /// `None` for `permalink: false`.
    pub url: Option<String>,
    /// Template name, e.g. `layouts/blog.html`; `None` writes the content as it is.
    pub layout: Option<String>,
    /// Template source of a `.html` page, or of a Markdown page's body that runs through Tera
    /// first (`markdown: {templates: true}`); empty for other Markdown.
    pub template: String,
    /// File line where the page's body (after front matter) starts.
    pub template_line: usize,
    /// Rendered Markdown (for a template page: only its front matter's data is known here).
    pub markdown: markdown::Rendered,
}

/// One tag: its name, URL and pages (oldest first).
#[derive(Debug, Clone)]
pub struct Tag {
    /// The tag as written in front matter.
    pub name: String,
    /// The tag as it appears in its URL.
    pub slug: String,
    /// The tag page's URL, `/tags/<slug>/`.
    pub url: String,
    /// The pages tagged with it, oldest first.
    pub pages: Vec<PageId>,
}

/// What `build` may be asked to do differently.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include `draft: true` pages.
    pub drafts: bool,
    /// Overrides `site.yaml`'s `base_url`.
    pub base_url: Option<String>,
    /// Told how far the build has got (nobody by default).
    pub progress: crate::progress::Reporter,
    /// Read and write the warm-build cache in `.breakeven/` (off by default; `build` turns it
    /// on unless given `--no-cache`).
    pub cache: bool,
}

/// Everything a build renders: settings, pages, collections, tags and data.
pub struct Site {
    /// The settings from `site.yaml`.
    pub config: SiteConfig,
    /// Sorted by source path. Shared, so a rebuild can reuse the pages that did not change.
    pub pages: Vec<Arc<Page>>,
    /// Tag name → pages, oldest first; `all` holds every page.
    pub collections: BTreeMap<String, Vec<PageId>>,
    /// Sorted by slug.
    pub tags: Vec<Tag>,
    /// The data files, as templates see them under `data`.
    pub data: Data,
    /// The chunks and URLs of each paginated page.
    pub paged: BTreeMap<PageId, crate::paginate::Paged>,
}

/// Shared, read-only things every page load needs.
pub struct Loader<'a> {
    /// Every input file found, by role.
    pub inputs: &'a Inputs,
    /// The settings from `site.yaml`.
    pub config: &'a SiteConfig,
    /// What the build was asked to do differently (drafts, base URL).
    pub options: &'a Options,
    /// Colours code blocks.
    pub highlighter: &'a Highlighter,
    /// Prices, scenarios and cold starts the figures are computed from.
    pub figures: &'a Figures,
    /// Folder and page data (`_dir.yaml`, Eleventy's data files) by what they apply to.
    pub dir_layers: &'a DataLayers,
    /// The warm-build cache, when this build uses one.
    pub cache: Option<&'a crate::cache::Store>,
    /// Layouts' front matter: data under a page's own, and layout chains.
    pub layout_files: &'a crate::layout_chain::LayoutFiles,
}

impl Site {
    /// Loads every page in parallel, then builds collections and tags. Problems are collected
    /// for every page; the site is still returned so the caller can report them all.
    pub fn load(loader: &Loader, data: Data, problems: &mut Vec<Diagnostic>) -> Site {
        let mut pages = loader.load_pages(&loader.inputs.pages, problems);
        if pages.iter().any(|p| !p.markdown.source_links.is_empty()) {
            let urls = crate::source_links::urls(pages.iter());
            for page in pages.iter_mut() {
                crate::source_links::rewrite(page, &urls, problems);
            }
        }
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
        let collections = collections(&pages);
        let tags = tags(&collections);
        let mut site = Site {
            config,
            pages,
            collections,
            tags,
            data,
            paged: BTreeMap::new(),
        };
        site.paginate(problems);
        site
    }

    /// Splits the paginated pages into chunks (the lists must be known), then checks that no
    /// two outputs share a URL.
    pub fn paginate(&mut self, problems: &mut Vec<Diagnostic>) {
        self.paged = crate::paginate::paginate(self, problems);
        check_unique_urls(self, problems);
    }

    /// Paginates again a site whose every page kept its URL and lists (a rebuild's): the URL
    /// check, over every page, runs again only when a paginated page's URLs moved.
    pub fn paginate_again(&mut self, before: &Site, problems: &mut Vec<Diagnostic>) {
        self.paged = crate::paginate::paginate(self, problems);
        let urls = |site: &Site| {
            let paged = site.paged.iter();
            paged
                .map(|(&id, p)| (id, p.urls.clone()))
                .collect::<Vec<_>>()
        };
        if urls(self) != urls(before) {
            check_unique_urls(self, problems);
        }
    }

    /// Every URL page `id` is published at: one per chunk for a paginated page.
    pub fn urls(&self, id: PageId) -> Vec<&str> {
        match self.paged.get(&id) {
            Some(paged) => paged.urls.iter().map(String::as_str).collect(),
            None => self.pages[id].url.as_deref().into_iter().collect(),
        }
    }

    /// A tag page's chunks, each with its URL and pages, newest first: one chunk unless
    /// `tag_page_size` pages them.
    pub fn tag_chunks(&self, tag: &Tag) -> Vec<(String, Vec<PageId>)> {
        let newest_first: Vec<PageId> = tag.pages.iter().rev().copied().collect();
        let size = self.config.tag_page_size.map_or(usize::MAX, |n| n.get());
        if newest_first.len() <= size {
            return vec![(tag.url.clone(), newest_first)];
        }
        let base = tag.url.trim_end_matches('/');
        newest_first
            .chunks(size)
            .enumerate()
            .map(|(k, ids)| match k {
                0 => (tag.url.clone(), ids.to_vec()),
                _ => (format!("{base}/page/{}/", k + 1), ids.to_vec()),
            })
            .collect()
    }

    /// The id of the page read from `source`.
    pub fn find(&self, source: &Path) -> Option<PageId> {
        self.pages
            .binary_search_by(|p| p.source.as_path().cmp(source))
            .ok()
    }

    /// The URL of the tag page for `slug`, percent-encoded.
    pub fn tag_url(slug: &str) -> String {
        permalink::encode_path(&format!("/tags/{slug}/"))
    }

    /// A tag's slug; a tag of punctuation alone still needs a URL.
    pub fn tag_slug(name: &str) -> String {
        match permalink::slugify(name) {
            s if s.is_empty() => "tag".to_string(),
            s => s,
        }
    }
}

fn check_unique_urls(site: &Site, problems: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    for (id, page) in site.pages.iter().enumerate() {
        for url in site.urls(id) {
            let file = permalink::output_path(url);
            if let Some(first) = seen.insert(file, &page.source) {
                problems.push(
                    Diagnostic::error(format!(
                        "two pages have the URL `{url}`: {} and {}",
                        first.display(),
                        page.source.display()
                    ))
                    .in_file(&page.source)
                    .help("give one of them another `permalink`"),
                );
            }
        }
    }
}

/// The collection of every page; no tag may take its name.
const ALL: &str = "all";

fn reserved_tag() -> Diagnostic {
    Diagnostic::error("`all` cannot be a tag: `collections.all` already holds every page")
        .help("rename the tag, e.g. to `everything`, or remove it")
}

/// Every tag's pages and `all`, oldest first, ties by path (Eleventy's order).
fn collections(pages: &[Arc<Page>]) -> BTreeMap<String, Vec<PageId>> {
    let mut order: Vec<PageId> = (0..pages.len())
        .filter(|&id| pages[id].fm.exclude_from_collections != Excluded::Everywhere)
        .collect();
    order.sort_by(|&a, &b| {
        (pages[a].fm.date, &pages[a].source).cmp(&(pages[b].fm.date, &pages[b].source))
    });
    let mut collections: BTreeMap<String, Vec<PageId>> = BTreeMap::new();
    let excluded = |id: PageId, name: &str| pages[id].fm.exclude_from_collections.from(name);
    let all = order.iter().copied().filter(|&id| !excluded(id, "all"));
    collections.insert("all".into(), all.collect());
    for id in order {
        for tag in pages[id].fm.tags.iter().filter(|t| !excluded(id, t)) {
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
