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
use crate::discover::{self, DataScope, Inputs, read_text};
use crate::figures::Figures;
use crate::frontmatter::{Excluded, FileDate, FrontMatter, Layer, PermalinkSpec};
use crate::highlight::Highlighter;
use crate::markdown;
use crate::page_figures::PageFigures;
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
    /// Told how far the build has got (nobody by default).
    pub progress: crate::progress::Reporter,
    /// Read and write the warm-build cache in `.breakeven/` (off by default; `build` turns it
    /// on unless given `--no-cache`).
    pub cache: bool,
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

impl Loader<'_> {
    /// Loads `sources` in parallel; pages with errors are left out and their problems reported.
    pub fn load_pages(&self, sources: &[PathBuf], problems: &mut Vec<Diagnostic>) -> Vec<Page> {
        let results: Vec<(Option<Page>, Vec<Diagnostic>)> = sources
            .par_iter()
            .map(|rel| {
                let mut found = Vec::new();
                let page = self.load_page(rel, &mut found);
                self.options.progress.advance(1);
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

    /// Reads the folder and page data files: `_dir.yaml`, Eleventy's `<dir>/<dir>.json|yaml`,
    /// `<dir>/<dir>.11tydata.json|yaml` and `<page>.json|yaml` beside a page.
    pub fn load_dir_layers(inputs: &Inputs, problems: &mut Vec<Diagnostic>) -> DataLayers {
        let mut layers = DataLayers::new();
        let mut files: Vec<&PathBuf> = inputs.dir_defaults.iter().collect();
        // Within one folder, Eleventy's plain data file applies first, then `.11tydata`, then
        // breakeven's own `_dir.yaml`.
        files.sort_by_key(|rel| (rel.parent().map(Path::to_path_buf), data_rank(rel)));
        for rel in files {
            let Some(scope) = discover::data_scope(rel, &inputs.pages) else {
                continue;
            };
            let key = match scope {
                DataScope::Folder(dir) | DataScope::Page(dir) => dir,
            };
            let parsed =
                read_text(&inputs.root, rel).and_then(|text| Layer::parse_file(&text, rel));
            match parsed {
                Ok(layer) => layers.entry(key).or_default().push(layer),
                Err(d) => problems.push(d),
            }
        }
        layers
    }

    /// The data layers that apply to `rel`: its folders' outermost first, then its own.
    fn layers_for(&self, rel: &Path) -> Vec<Layer> {
        let mut scopes: Vec<&Path> = rel.ancestors().collect();
        scopes.reverse();
        scopes
            .iter()
            .filter_map(|d| self.dir_layers.get(*d))
            .flatten()
            .cloned()
            .collect()
    }

    /// A page's Markdown rendered, or given back by the warm-build cache with the problems
    /// found when it was rendered.
    fn render_markdown(
        &self,
        rel: &Path,
        text: &str,
        split: &crate::frontmatter::Split,
        cx: &markdown::Context,
        problems: &mut Vec<Diagnostic>,
    ) -> markdown::Rendered {
        let key = self.cache.map(|c| c.key(rel, text));
        if let (Some(cache), Some(key)) = (self.cache, key)
            && let Some(cached) = cache.take(key)
        {
            problems.extend(cached.found.iter().cloned());
            return cached;
        }
        let mut found = Vec::new();
        let mut rendered = markdown::render(split.body, cx, &mut found);
        problems.extend(found.iter().cloned());
        if key.is_some() {
            rendered.cache_key = key;
            rendered.found = found;
        }
        rendered
    }

    fn load_page(&self, rel: &Path, problems: &mut Vec<Diagnostic>) -> Option<Page> {
        let text = read_text(&self.inputs.root, rel)
            .map_err(|d| problems.push(d))
            .ok()?;
        let text = crate::discover::drop_control_chars(text, rel, problems);
        let split = crate::frontmatter::split(&text)
            .map_err(|d| problems.push(d.in_file(rel)))
            .ok()?;
        let page_layer = Layer::parse(split.yaml.unwrap_or(""), rel, split.yaml_line)
            .map_err(|d| problems.push(d))
            .ok()?;
        let mut layers = self.layers_for(rel);
        layers.push(page_layer);
        // Eleventy's cascade (since 1.0) puts layouts' front matter under every data file:
        // https://www.11ty.dev/docs/data-cascade/ (checked with Eleventy 3.1.8).
        let from_layouts = self.layout_layers(&layers);
        layers.splice(0..0, from_layouts);
        let start = problems.len();
        let mut fm = crate::frontmatter::resolve(&layers, problems)?;
        if fm.draft && !self.options.drafts {
            return None;
        }
        // A page with errors is checked to its end, so one build reports all of them; it is
        // dropped at the end.
        let mut failed = problems[start..].iter().any(Diagnostic::is_error);
        let content_rel = rel.strip_prefix("content").unwrap_or(rel);
        if let Some(which) = fm.file_date {
            fm.date = file_date(&self.inputs.root, rel, which);
        }
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
            PermalinkSpec::Default => {
                Some(permalink::encode_path(&permalink::default_url(content_rel)))
            }
            PermalinkSpec::Url(p) => match self
                .permalink(p, &fm, rel)
                .and_then(|p| permalink::normalise(&p))
            {
                Ok(url) => Some(permalink::encode_path(&url)),
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
        if fm.tags.iter().any(|t| t == ALL) {
            problems.push(at_key(reserved_tag(), "tags"));
            return None;
        }
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
                if self.config.markdown.templates
                    && crate::markdown_templates::has_syntax(split.body)
                {
                    // Rendered once every page is loaded: the body may read collections.
                    (split.body.to_string(), markdown::Rendered::default())
                } else {
                    let cx = markdown::Context {
                        file: rel,
                        body_line: split.body_line,
                        highlighter: self.highlighter,
                        figures: &figures,
                        settings: &self.config.markdown,
                    };
                    (
                        String::new(),
                        self.render_markdown(rel, &text, &split, &cx, problems),
                    )
                }
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

    /// The permalink as written, or rendered with Tera when it is a template, against the page's
    /// data and Eleventy's `page` variables (`fileSlug`, `filePathStem`, `inputPath`, `date`).
    fn permalink(&self, written: &str, fm: &FrontMatter, rel: &Path) -> Result<String, String> {
        if !permalink::is_template(written) {
            return Ok(written.to_string());
        }
        let content_rel = rel.strip_prefix("content").unwrap_or(rel);
        let mut vars = serde_json::to_value(&fm.data).map_err(|e| e.to_string())?;
        let page = serde_json::json!({
            "fileSlug": permalink::file_slug(content_rel),
            "filePathStem": permalink::file_path_stem(content_rel),
            "inputPath": format!("./{}", rel.display()),
            "date": fm.date.map(|d| d.to_string()),
        });
        if let Some(map) = vars.as_object_mut() {
            map.insert("title".into(), fm.title.clone().into());
            map.insert("page".into(), page);
        }
        permalink::render_template(written, &vars, self.config)
            .map_err(|e| format!("the permalink template `{written}` failed: {e}"))
    }

    /// `layouts/blog.html`, `blog.html` and `blog` all name `layouts/blog.html`.
    fn resolve_layout(&self, name: &str) -> Result<String, Diagnostic> {
        crate::layout_chain::resolve_layout(name, &self.inputs.layouts)
    }

    /// The front matter of the layouts the page renders in, outermost first: data under the
    /// data files and the page's own. The layout is the one the page's data names (or the site's default).
    fn layout_layers(&self, layers: &[Layer]) -> Vec<Layer> {
        let named = layers
            .iter()
            .rev()
            .find_map(|l| l.map.get("layout"))
            .and_then(yaml_serde::Value::as_str)
            .map(str::to_string)
            .or_else(|| self.config.default_layout.clone());
        named
            .and_then(|name| self.resolve_layout(&name).ok())
            .map(|first| self.layout_files.layers(&first))
            .unwrap_or_default()
    }
}

/// Where a data file comes in its folder's order: `blog.json`, `blog.11tydata.json`, `_dir.yaml`.
fn data_rank(rel: &Path) -> u8 {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if name.starts_with("_dir.") {
        2
    } else if name.contains(".11tydata.") {
        1
    } else {
        0
    }
}

/// `date: Last Modified` / `Created`: the file's last or first commit when the site is in a git
/// repository, else its modification time (which makes the build depend on the checkout).
fn file_date(root: &Path, rel: &Path, which: FileDate) -> Option<jiff::Timestamp> {
    let args: &[&str] = match which {
        FileDate::LastModified => &["log", "-1", "--format=%cI"],
        FileDate::Created => &["log", "--diff-filter=A", "--follow", "--format=%cI"],
    };
    let git = std::process::Command::new("git")
        .current_dir(root)
        .args(args)
        .arg("--")
        .arg(rel)
        .output()
        .ok()
        .filter(|out| out.status.success());
    let from_git = git.and_then(|out| {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines().last().and_then(crate::frontmatter::parse_date)
    });
    from_git.or_else(|| {
        let modified = std::fs::metadata(root.join(rel)).ok()?.modified().ok()?;
        jiff::Timestamp::try_from(modified).ok()
    })
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
