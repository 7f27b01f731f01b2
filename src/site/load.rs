//! Loading pages: each page's front matter layers (data files, layouts, its own), dates, URL,
//! layout and body (Markdown rendered with its figures, or a `.html` template kept for later).

#![deny(clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{ALL, DataLayers, Loader, Page, PageKind, markdown, reserved_tag};
use crate::diag::Diagnostic;
use crate::discover::{self, DataScope, Inputs, read_text};
use crate::frontmatter::{FrontMatter, Layer, PermalinkSpec, Split};
use crate::page_figures::PageFigures;
use crate::permalink;

/// Where each front matter key of a page was written, to point messages at that line.
struct KeyLines<'a> {
    layers: &'a [Layer],
    rel: &'a Path,
}

impl KeyLines<'_> {
    /// The innermost layer's file and line for `key`.
    fn line_of(&self, key: &str) -> Option<(PathBuf, usize)> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| l.line_of(key).map(|n| (l.file.clone(), n)))
    }

    fn at(&self, d: Diagnostic, key: &str) -> Diagnostic {
        match self.line_of(key) {
            Some((file, line)) => d.in_file(file).at(line, None),
            None => d.in_file(self.rel),
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
        let mut layers = self.layers(rel, &split, problems)?;
        let start = problems.len();
        let fm = self.front_matter(&mut layers, rel, problems)?;
        if fm.draft && !self.options.drafts {
            return None;
        }
        let keys = KeyLines {
            layers: &layers,
            rel,
        };
        if fm.tags.iter().any(|t| t == ALL) {
            problems.push(keys.at(reserved_tag(), "tags"));
            return None;
        }
        let url = self.url(&fm, rel, &keys, problems);
        let layout = self.layout(&fm, rel, &keys, problems);
        // A page with errors is checked to its end, so one build reports all of them; it is
        // dropped at the end.
        let failed = problems.iter().skip(start).any(Diagnostic::is_error);
        let (kind, template, markdown) = self.body(rel, (&text, &split), &fm, &keys, problems)?;
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

    /// Every layer of front matter that applies to `rel`, outermost first: folder and page data
    /// files, the layouts' own front matter, then the page's.
    fn layers(
        &self,
        rel: &Path,
        split: &Split,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Vec<Layer>> {
        let page_layer = Layer::parse(split.yaml.unwrap_or(""), rel, split.yaml_line)
            .map_err(|d| problems.push(d))
            .ok()?;
        let mut layers = self.layers_for(rel);
        layers.push(page_layer);
        // Eleventy's cascade (since 1.0) puts layouts' front matter under every data file:
        // https://www.11ty.dev/docs/data-cascade/ (checked with Eleventy 3.1.8).
        let from_layouts = self.layout_layers(&layers);
        layers.splice(0..0, from_layouts);
        Some(layers)
    }

    /// The page's front matter, dated, with `eleventyComputed` values worked out when a layer
    /// has them (then pushed onto `layers` as the innermost layer).
    fn front_matter(
        &self,
        layers: &mut Vec<Layer>,
        rel: &Path,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<FrontMatter> {
        if crate::computed::any(layers) {
            // The data the computed templates see. Its problems are found again below, with
            // the computed values in place.
            let mut first = crate::frontmatter::resolve(layers, &mut Vec::new())?;
            self.date(&mut first, rel);
            let mut vars = permalink::page_vars(&first, rel);
            let keys = KeyLines { layers, rel };
            let url = self.url(&first, rel, &keys, &mut Vec::new());
            if let (Some(url), Some(page)) = (url, vars.get_mut("page")) {
                page["url"] = url.into();
            }
            let alias = first.pagination.as_ref().map(|p| p.alias.as_deref());
            let computed = crate::computed::layer(layers, vars, (self.config, alias), problems)?;
            layers.push(computed);
        }
        let mut fm = crate::frontmatter::resolve(layers, problems)?;
        self.date(&mut fm, rel);
        if self.config.lowercase_tags {
            let mut seen = std::collections::HashSet::new();
            fm.tags = std::mem::take(&mut fm.tags)
                .into_iter()
                .map(|t| t.to_lowercase())
                .filter(|t| seen.insert(t.clone()))
                .collect();
        }
        Some(fm)
    }

    /// `date: Last Modified` / `Created` from the file's history; else a date in the file name.
    fn date(&self, fm: &mut FrontMatter, rel: &Path) {
        if let Some(which) = fm.file_date {
            fm.date = super::file_dates::file_date(&self.inputs.root, rel, which);
        }
        if fm.date.is_none() {
            fm.date = super::file_dates::from_file_name(rel.strip_prefix("content").unwrap_or(rel));
        }
    }

    fn url(
        &self,
        fm: &FrontMatter,
        rel: &Path,
        keys: &KeyLines,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let written = match &fm.permalink {
            PermalinkSpec::Off => return None,
            PermalinkSpec::Default => {
                let content_rel = rel.strip_prefix("content").unwrap_or(rel);
                return Some(permalink::encode_path(&permalink::default_url(content_rel)));
            }
            PermalinkSpec::Url(written) => written,
        };
        match self
            .permalink(written, fm, rel)
            .and_then(|p| permalink::normalise(&p))
        {
            Ok(url) => Some(permalink::encode_path(&url)),
            Err(mut d) => {
                // Written in a data file or a layout: say which page it failed for.
                if keys
                    .line_of("permalink")
                    .is_some_and(|(file, _)| file != rel)
                {
                    d.message = format!("{} (for {})", d.message, rel.display());
                }
                if fm.date.is_none() && written.contains("page.date") {
                    d = d.help("this page has no date, so `page.date` is empty: give it a `date:`");
                }
                problems.push(keys.at(d, "permalink"));
                None
            }
        }
    }

    fn layout(
        &self,
        fm: &FrontMatter,
        rel: &Path,
        keys: &KeyLines,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let name = fm
            .layout
            .clone()
            .or_else(|| self.config.default_layout.clone())?;
        match self.resolve_layout(&name) {
            Ok(found) => Some(found),
            Err(d) if fm.layout.is_some() => {
                problems.push(keys.at(d, "layout"));
                None
            }
            Err(d) => {
                problems.push(d.in_file(rel));
                None
            }
        }
    }

    /// A `.html` page's template, or a Markdown page's rendered body with its figures.
    fn body(
        &self,
        rel: &Path,
        (text, split): (&str, &Split),
        fm: &FrontMatter,
        keys: &KeyLines,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<(PageKind, String, markdown::Rendered)> {
        if rel.extension().is_some_and(|e| e == "html") {
            let template = split.body.to_string();
            return Some((PageKind::Template, template, markdown::Rendered::default()));
        }
        let figures = PageFigures::new(
            self.figures,
            rel,
            fm.scenarios.as_ref(),
            keys.line_of("scenarios").map(|(_, l)| l),
        )
        .map_err(|d| problems.push(d))
        .ok()?;
        if self.config.markdown.templates && crate::markdown_templates::has_syntax(split.body) {
            // Rendered once every page is loaded: the body may read collections.
            let body = split.body.to_string();
            return Some((PageKind::Markdown, body, markdown::Rendered::default()));
        }
        let cx = markdown::Context {
            file: rel,
            body_line: split.body_line,
            highlighter: self.highlighter,
            figures: &figures,
            settings: &self.config.markdown,
        };
        let rendered = self.render_markdown(rel, text, split, &cx, problems);
        Some((PageKind::Markdown, String::new(), rendered))
    }

    /// The permalink as written, or rendered with Tera when it is a template, against the page's
    /// data and Eleventy's `page` variables (`fileSlug`, `filePathStem`, `inputPath`, `date`).
    fn permalink(&self, written: &str, fm: &FrontMatter, rel: &Path) -> Result<String, Diagnostic> {
        if !permalink::is_template(written) {
            return Ok(written.to_string());
        }
        // A paginated page's permalink names its chunk: it is rendered per chunk, once the
        // lists are known (see `paginate`). Until then the page has its default URL.
        if fm.pagination.is_some() {
            let content_rel = rel.strip_prefix("content").unwrap_or(rel);
            return Ok(permalink::default_url(content_rel));
        }
        let vars = permalink::page_vars(fm, rel);
        permalink::render_template(written, &vars, self.config)
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
