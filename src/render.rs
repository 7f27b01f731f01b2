//! Rendering: Tera over `layouts/` and `.html` pages, with the site's views (page, site,
//! collections, tags, data) built once and shared by every page rendered in parallel.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::deps::{self, SiteUse};
use crate::diag::Diagnostic;
use crate::discover::{Inputs, read_text};
use crate::markdown::{TocEntry, reading_time};
use crate::output::{Content, Output, Sink};
use crate::paginate::{self, Item, Paged};
use crate::plan::Origin;
use crate::site::{Page, PageId, PageKind, Site, Tag};
use crate::{filters, permalink};

/// The template that renders one page per tag, when the site has it.
pub const TAG_LAYOUT: &str = "layouts/tag.html";

/// Where layouts live: a template name without it is looked up there too.
const LAYOUTS_PREFIX: &str = "layouts/";

/// How Tera starts its message about an `include` of a template it does not have.
const UNKNOWN_TEMPLATE: &str = "Unknown template `";

/// Adds every template to `tera`. Each is parsed alone first, so every broken file is
/// reported, not just the first; a missing parent only shows once all are loaded together.
fn parse_all(
    tera: &mut Tera,
    templates: Vec<(String, String)>,
    layouts: &Layouts,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (name, text) in &templates {
        let mut probe = Tera::new();
        probe.register_from(tera);
        // Other templates it includes are not there yet either.
        if let Err(e) = probe.add_raw_template(name, text)
            && !matches!(e.kind(), tera::ErrorKind::MissingParent { .. })
            && !e.to_string().contains(UNKNOWN_TEMPLATE)
        {
            problems.push(layouts.diagnostic(&e, None));
        }
    }
    if problems.is_empty()
        && let Err(e) = tera.add_raw_templates(templates)
    {
        let mut d = layouts.diagnostic(&e, None);
        if d.message.contains(UNKNOWN_TEMPLATE) {
            d = d
                .help("templates are named by their path: `layouts/b.html`, or `b.html` for short");
        }
        problems.push(d);
    }
    problems
}

/// Short names in `include`/`extends` (`b.html`) as the template names they resolve to
/// (`layouts/b.html`), so a change to that layout re-renders its users.
fn resolve_short_names(scans: &mut BTreeMap<String, deps::TemplateScan>) {
    let names: BTreeSet<String> = scans.keys().cloned().collect();
    for scan in scans.values_mut() {
        scan.pulls = std::mem::take(&mut scan.pulls)
            .into_iter()
            .map(|pull| {
                let long = format!("{LAYOUTS_PREFIX}{pull}");
                if !names.contains(&pull) && names.contains(&long) {
                    long
                } else {
                    pull
                }
            })
            .collect();
    }
}

/// Tera with every layout and `.html` page loaded. Template names are paths from the site root.
pub struct Layouts {
    tera: Tera,
    /// Where each template's source starts in its file (front matter comes before a page body).
    sources: HashMap<String, (PathBuf, usize)>,
    /// What each template, with everything it pulls in, reads from the site; and that closure.
    closures: BTreeMap<String, (SiteUse, BTreeSet<String>)>,
    /// How long one page may take to render.
    time_limit: std::time::Duration,
}

impl Layouts {
    /// Parses every layout and template page, reporting every syntax error.
    pub fn load(inputs: &Inputs, site: &Site) -> Result<Layouts, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut templates = Vec::new();
        let mut sources = HashMap::new();
        for rel in &inputs.layouts {
            match read_text(&inputs.root, rel) {
                Ok(text) => {
                    let name = rel.to_string_lossy().replace('\\', "/");
                    sources.insert(name.clone(), (rel.clone(), 1));
                    templates.push((name, text));
                }
                Err(d) => problems.push(d),
            }
        }
        for page in site.pages.iter().filter(|p| p.kind == PageKind::Template) {
            let name = template_name(page);
            sources.insert(name.clone(), (page.source.clone(), page.template_line));
            templates.push((name, page.template.clone()));
        }
        let mut tera = Tera::new();
        // `{% include "b.html" %}` finds `layouts/b.html`, as a page's `layout: b.html` does.
        let _ = tera.set_fallback_prefixes([LAYOUTS_PREFIX]);
        filters::register(&mut tera, &site.config);
        crate::deadline::register(&mut tera);
        let mut scans = templates
            .iter()
            .map(|(name, text)| (name.clone(), deps::scan(text)))
            .collect();
        resolve_short_names(&mut scans);
        let layouts_only = Layouts {
            tera: Tera::new(),
            sources,
            closures: deps::closures(&scans),
            time_limit: site
                .config
                .template_time_limit()
                .unwrap_or(crate::deadline::DEFAULT_LIMIT),
        };
        problems.extend(parse_all(&mut tera, templates, &layouts_only));
        if problems.is_empty() {
            Ok(Layouts {
                tera,
                ..layouts_only
            })
        } else {
            Err(problems)
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// What rendering `page` reads from the site: its layout's and its own template's closure,
    /// and the list it is paginated over.
    pub fn page_use(&self, page: &Page) -> SiteUse {
        let mut uses = self.templates_use(page);
        // A paginated page shows the list it is paginated over, whatever its templates call it.
        if let Some(spec) = &page.fm.pagination {
            match spec.data.strip_prefix("collections.") {
                Some(name) => {
                    uses.collections.insert(name.to_string());
                }
                None if spec.data == "collections" => uses.every_collection = true,
                None => uses.data = true,
            }
        }
        uses
    }

    /// What `page`'s layout and own template read from the site, with what they pull in: for a
    /// paginated page, what every chunk shows besides its own items.
    pub fn templates_use(&self, page: &Page) -> SiteUse {
        let mut uses = SiteUse::default();
        for name in page
            .layout
            .iter()
            .cloned()
            .chain((page.kind == PageKind::Template).then(|| template_name(page)))
        {
            if let Some((u, _)) = self.closures.get(&name) {
                uses.merge(u);
            }
        }
        uses
    }

    /// What `layouts/tag.html` reads from the site.
    pub fn tag_use(&self) -> SiteUse {
        self.closures
            .get(TAG_LAYOUT)
            .map(|(u, _)| u.clone())
            .unwrap_or_default()
    }

    /// Whether rendering `page` uses any of `templates`.
    pub fn page_uses_any(&self, page: &Page, templates: &BTreeSet<String>) -> bool {
        page.layout
            .iter()
            .cloned()
            .chain((page.kind == PageKind::Template).then(|| template_name(page)))
            .any(|name| {
                self.closures
                    .get(&name)
                    .is_some_and(|(_, members)| members.iter().any(|m| templates.contains(m)))
            })
    }

    /// Whether tag pages use any of `templates`.
    pub fn tags_use_any(&self, templates: &BTreeSet<String>) -> bool {
        self.closures
            .get(TAG_LAYOUT)
            .is_some_and(|(_, members)| members.iter().any(|m| templates.contains(m)))
    }

    /// Renders `name` for the page (or tag page) `shown`. A failure carries the page it was
    /// found on, unless the message names it already, so repeats can be merged.
    fn render(&self, name: &str, context: &Context, shown: &str) -> Result<String, PageError> {
        let mut out = crate::deadline::Output::default();
        match crate::deadline::within(self.time_limit, || {
            self.tera.render_to(name, context, &mut out)
        }) {
            Ok(Ok(())) => Ok(without_control_chars(
                String::from_utf8(out.bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            )),
            Ok(Err(e)) => {
                let fallback = self.sources.get(name).map(|(file, _)| file.as_path());
                let d = self.diagnostic(&e, fallback);
                let own_file = d.file.as_deref() == Some(Path::new(shown));
                let page = (!own_file).then(|| shown.to_string());
                Err(Box::new((d, page)))
            }
            Err(crate::deadline::TimedOut) => Err(Box::new((self.too_slow(name, shown), None))),
        }
    }

    /// A page stopped at its time limit, named with its template.
    fn too_slow(&self, name: &str, shown: &str) -> Diagnostic {
        let file = self
            .sources
            .get(name)
            .map_or(Path::new(name), |(f, _)| f.as_path());
        Diagnostic::error(format!(
            "`{name}` took longer than {} s to render {shown} and was stopped",
            self.time_limit.as_secs_f64()
        ))
        .in_file(file)
        .help("look for loops that run far longer than needed, or raise `template_time_limit_s` in site.yaml")
    }

    /// A Tera error at the template's real file and line. Tera wraps the located error (a
    /// syntax or rendering error with a span) in messages: walk the chain to find it. Without
    /// a location the error is put in `fallback`, the template being rendered.
    fn diagnostic(&self, e: &tera::Error, fallback: Option<&Path>) -> Diagnostic {
        let mut messages = Vec::new();
        let mut located = None;
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(err) = current {
            match err.downcast_ref::<tera::Error>().map(tera::Error::kind) {
                Some(tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r)) => {
                    messages.push(r.message().to_string());
                    located.get_or_insert(r);
                }
                Some(kind) => messages.push(kind.to_string()),
                None => messages.push(err.to_string()),
            }
            current = err.source();
        }
        messages.dedup();
        // Some checks (unknown filters, tests, functions) come as ready-made reports: read
        // their `--> name:line:col` line.
        let reported = messages.iter().find_map(|m| report_location(m));
        let messages: Vec<&str> = messages.iter().map(|m| report_headline(m)).collect();
        let d = Diagnostic::error(format!("template error: {}", messages.join(": ")));
        let location = located
            .map(|r| {
                (
                    r.filename().to_string(),
                    r.span().start_line,
                    r.span().start_col + 1,
                )
            })
            .or(reported);
        if let Some((name, line, col)) = location
            && let Some((file, first_line)) = self.sources.get(&name)
        {
            d.in_file(file).at(first_line + line - 1, Some(col))
        } else if let Some(file) = fallback {
            d.in_file(file)
        } else {
            d
        }
    }
}

/// A page without the control characters HTML forbids: front matter and data can still spell
/// them in YAML escapes (`"\a"`); the page's own text was cleaned, with a warning, on loading.
fn without_control_chars(html: String) -> String {
    use crate::discover::is_forbidden_control;
    if html.contains(is_forbidden_control) {
        html.chars().filter(|&c| !is_forbidden_control(c)).collect()
    } else {
        html
    }
}

/// `name`, line and column from a Tera report's ` --> name:line:col` line.
fn report_location(report: &str) -> Option<(String, usize, usize)> {
    let arrow = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = arrow.trim().rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), line, col))
}

/// The first line of a Tera report, without its `error: ` label.
fn report_headline(report: &str) -> &str {
    let first = report.lines().next().unwrap_or(report);
    first.strip_prefix("error: ").unwrap_or(first)
}

pub fn template_name(page: &Page) -> String {
    page.source.to_string_lossy().replace('\\', "/")
}

/// A page as templates see it.
#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    url: Option<&'a str>,
    date: Option<String>,
    updated: Option<String>,
    description: Option<&'a str>,
    tags: &'a [String],
    content: &'a str,
    summary: Option<&'a str>,
    toc: &'a [TocEntry],
    reading_time: usize,
    word_count: usize,
    /// The latest `as_of` date of the prices the page's figures show, when it is later than
    /// the page's date (the figures then show prices the post was not written with).
    prices_as_of: Option<&'a str>,
    draft: bool,
    /// Source path relative to `content/`.
    path: String,
    data: Option<&'a yaml_serde::Mapping>,
}

impl<'a> PageView<'a> {
    /// `page` for generated listings (tag pages), which have no source file.
    fn listing(title: &'a str, url: &'a str) -> Self {
        PageView {
            title,
            url: Some(url),
            date: None,
            updated: None,
            description: None,
            tags: &[],
            content: "",
            summary: None,
            toc: &[],
            reading_time: 0,
            word_count: 0,
            prices_as_of: None,
            draft: false,
            path: String::new(),
            data: None,
        }
    }
}

/// The page's latest price date, if it is after the page's own date (or the page has none).
fn prices_after(page: &Page) -> Option<&str> {
    let as_of = page.markdown.prices_as_of.as_deref()?;
    match page.fm.date {
        Some(date) if date.to_string().get(..10).is_some_and(|d| d >= as_of) => None,
        _ => Some(as_of),
    }
}

fn page_view(page: &Page, content: &str) -> Value {
    let view = PageView {
        title: &page.fm.title,
        url: page.url.as_deref(),
        date: page.fm.date.map(|d| d.to_string()),
        updated: page.fm.updated.map(|d| d.to_string()),
        description: page.fm.description.as_deref(),
        tags: &page.fm.tags,
        content,
        summary: page.markdown.summary.as_deref(),
        toc: &page.markdown.toc,
        reading_time: reading_time(page.markdown.word_count),
        word_count: page.markdown.word_count,
        prices_as_of: prices_after(page),
        draft: page.fm.draft,
        path: page
            .source
            .strip_prefix("content")
            .unwrap_or(&page.source)
            .to_string_lossy()
            .replace('\\', "/"),
        data: Some(&page.fm.data),
    };
    Value::from_serializable(&view)
}

#[derive(Serialize)]
struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

/// The values every template sees, built once: cloning a Tera value shares it.
struct Shared {
    site: Value,
    collections: Value,
    tags: Value,
    data: Value,
    /// Where each page sits in each collection, for `previous_item` / `next_item`.
    positions: Value,
    /// Each paginated page's chunks and their URLs (`pagination.pages`, `.hrefs`), built once.
    paged: HashMap<PageId, (Value, Value)>,
}

impl Shared {
    fn new(site: &Site, views: &Views) -> Shared {
        let collections: BTreeMap<String, Value> = site
            .collections
            .iter()
            .map(|(name, ids)| (name.clone(), ids_to_value(ids, views)))
            .collect();
        let tags: Vec<TagView> = site
            .tags
            .iter()
            .map(|t| TagView {
                name: &t.name,
                slug: &t.slug,
                url: &t.url,
                count: t.pages.len(),
            })
            .collect();
        let positions = filters::positions(collections.values().cloned().collect());
        let paged = site
            .paged
            .iter()
            .map(|(&id, paged)| {
                let chunks = paged.chunks.iter().map(|c| items_value(c, views));
                let hrefs = paged.urls.iter().map(|u| Value::from(u.as_str()));
                let lists = (
                    Value::from(chunks.collect::<Vec<_>>()),
                    Value::from(hrefs.collect::<Vec<_>>()),
                );
                (id, lists)
            })
            .collect();
        Shared {
            site: Value::from_serializable(&site.config),
            collections: Value::from(collections),
            positions,
            tags: Value::from_serializable(&tags),
            data: Value::from_serializable(&site.data),
            paged,
        }
    }

    /// The variables chunk `chunk` of paginated page `id` adds: Eleventy's `pagination`
    /// (`items`, `pageNumber`, `pages`, `hrefs`, `href.previous|next|first|last`) and the alias.
    fn pagination(
        &self,
        id: PageId,
        chunk: usize,
        (paged, spec): (&Paged, &paginate::Spec),
        views: &Views,
    ) -> Vec<(String, Value)> {
        let (pages, hrefs) = self
            .paged
            .get(&id)
            .cloned()
            .unwrap_or_else(|| (Value::none(), Value::none()));
        let items = paged.chunks.get(chunk).map_or(&[][..], Vec::as_slice);
        let items = items_value(items, views);
        let href = |k: Option<usize>| {
            k.and_then(|k| paged.urls.get(k))
                .map_or(Value::none(), |u| Value::from(u.as_str()))
        };
        let last = paged.urls.len().saturating_sub(1);
        let links = PaginationHref {
            previous: href(chunk.checked_sub(1)),
            next: href(Some(chunk + 1)),
            first: href(Some(0)),
            last: href(Some(last)),
        };
        let mut map = tera::Map::new();
        map.insert("items".into(), items.clone());
        map.insert("pageNumber".into(), Value::from(chunk));
        map.insert("pages".into(), pages);
        map.insert("hrefs".into(), hrefs);
        map.insert("href".into(), Value::from_serializable(&links));
        map.insert("size".into(), Value::from(spec.size));
        let mut vars = vec![("pagination".to_string(), Value::from(map))];
        if let Some(alias) = &spec.alias {
            let aliased = match spec.size {
                1 => items
                    .as_array()
                    .and_then(|v| v.first().cloned())
                    .unwrap_or(Value::none()),
                _ => items,
            };
            vars.push((alias.clone(), aliased));
        }
        vars
    }

    fn context(&self, page: Value) -> Context {
        let mut cx = Context::new();
        cx.insert_value("site", self.site.clone());
        cx.insert_value("collections", self.collections.clone());
        cx.insert_value("tags", self.tags.clone());
        cx.insert_value("data", self.data.clone());
        cx.insert_value("page", page);
        cx.insert_value(filters::POSITIONS_VAR, self.positions.clone());
        cx
    }
}

#[derive(Serialize)]
struct PaginationHref {
    previous: Value,
    next: Value,
    first: Value,
    last: Value,
}

fn items_value(items: &[Item], views: &Views) -> Value {
    let values = items.iter().map(|item| match item {
        Item::Page(id) => views.pages[*id].clone(),
        Item::Value(json) => Value::from_serializable(json),
    });
    Value::from(values.collect::<Vec<Value>>())
}

fn ids_to_value(ids: &[PageId], views: &Views) -> Value {
    Value::from(
        ids.iter()
            .map(|&id| views.pages[id].clone())
            .collect::<Vec<Value>>(),
    )
}

/// A freshly loaded page's view; its rendered Markdown moves into the view.
pub fn view_of(page: &mut std::sync::Arc<Page>) -> Value {
    match std::sync::Arc::get_mut(page) {
        Some(page) => {
            let html = std::mem::take(&mut page.markdown.html);
            page_view(page, &html)
        }
        None => page_view(page, &page.markdown.html),
    }
}

/// Every page as templates see it, indexed by [`PageId`]. Each view holds the only copy of its
/// page's HTML: on a large site that copy is most of the memory a build uses.
pub struct Views {
    pages: Vec<Value>,
}

impl Views {
    /// Moves each page's rendered Markdown into its view.
    pub fn new(site: &mut Site) -> Views {
        let pages = site.pages.iter_mut().map(view_of).collect();
        Views { pages }
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The view of page `id`, to reuse in a rebuild where the page did not change.
    pub fn get(&self, id: PageId) -> Value {
        self.pages[id].clone()
    }

    /// Views from already-built values, in page order.
    pub fn from_values(pages: Vec<Value>) -> Views {
        Views { pages }
    }

    /// A page's HTML content (empty for template pages, which render theirs with the site).
    pub fn content(&self, id: PageId) -> &str {
        self.content_ref(id)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    fn content_value(&self, id: PageId) -> Value {
        self.content_ref(id)
            .cloned()
            .unwrap_or_else(|| Value::from(""))
    }

    fn content_ref(&self, id: PageId) -> Option<&Value> {
        self.pages[id]
            .as_map()?
            .get(&tera::value::Key::Str("content"))
    }
}

/// A rendering error and the page it was found on (see [`Layouts::render`]); boxed, as the
/// error side of every page's result.
type PageError = Box<(Diagnostic, Option<String>)>;

/// One rendered file.
struct File {
    path: String,
    origin: Origin,
    bytes: Vec<u8>,
}

/// Renders the given pages (those with a URL) and tag pages, handing each file to `sink` as
/// soon as it is rendered. Which files exist, and who wins a path, the output plan decides.
pub fn some(
    site: &Site,
    views: &Views,
    layouts: &Layouts,
    (pages, tags): (&[(PageId, usize)], &[&Tag]),
    sink: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    let shared = Shared::new(site, views);
    let pages = pages
        .par_iter()
        .map(|&(id, chunk)| render_page(site, (id, chunk), views, layouts, &shared));
    let tags = tags
        .par_iter()
        .map(|tag| render_tag(tag, layouts, &shared, views));
    let problems: Vec<(Diagnostic, Option<String>)> = pages
        .chain(tags)
        .filter_map(|rendered| {
            let file = match rendered {
                Ok(file) => file?,
                Err(found) => return Some(*found),
            };
            let output = Output {
                origin: file.origin,
                content: Content::Bytes(file.bytes),
            };
            sink.put(&file.path, output).err().map(|d| (d, None))
        })
        .collect();
    let problems = crate::diag::merge_repeats(problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn render_page(
    site: &Site,
    (id, chunk): (PageId, usize),
    views: &Views,
    layouts: &Layouts,
    shared: &Shared,
) -> Result<Option<File>, PageError> {
    let page = &site.pages[id];
    let Some(url) = site.urls(id).get(chunk).map(|u| u.to_string()) else {
        return Ok(None);
    };
    let shown = template_name(page);
    let pagination = site
        .paged
        .get(&id)
        .zip(page.fm.pagination.as_ref())
        .map(|(paged, spec)| shared.pagination(id, chunk, (paged, spec), views));
    let context = |view: Value| {
        let mut cx = shared.context(view);
        for (name, value) in pagination.iter().flatten() {
            cx.insert_value(name.clone(), value.clone());
        }
        cx
    };
    // The content is shared with the page's view, never copied: on a large site these strings
    // are most of the memory.
    let mut view = views.pages[id].clone();
    if pagination.is_some() {
        view = with_url(view, &url);
    }
    let (view, content) = match page.kind {
        PageKind::Markdown => (view, views.content_value(id)),
        PageKind::Template => {
            let content = layouts.render(&shown, &context(view.clone()), &shown)?;
            (
                with_url(page_view(page, &content), &url),
                Value::from(content),
            )
        }
    };
    let html = match &page.layout {
        Some(layout) => {
            let mut cx = context(view);
            cx.insert_value("content", content);
            layouts.render(layout, &cx, &shown)?
        }
        None => content.as_str().unwrap_or_default().to_string(),
    };
    Ok(Some(File {
        path: permalink::output_path(&url),
        origin: Origin::Page {
            source: page.source.clone(),
            chunk,
        },
        bytes: html.into_bytes(),
    }))
}

/// A page's view with another URL: each chunk of a paginated page has its own.
pub fn with_url(view: Value, url: &str) -> Value {
    let mut map = view.into_map().unwrap_or_default();
    map.insert("url".into(), Value::from(url));
    Value::from(map)
}

#[derive(Serialize)]
struct TagPageView<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
}

fn render_tag(
    tag: &Tag,
    layouts: &Layouts,
    shared: &Shared,
    views: &Views,
) -> Result<Option<File>, PageError> {
    if !layouts.has(TAG_LAYOUT) {
        return Ok(None);
    }
    let mut view = Value::from_serializable(&TagPageView {
        name: &tag.name,
        slug: &tag.slug,
        url: &tag.url,
    })
    .into_map()
    .unwrap_or_default();
    view.insert("pages".into(), ids_to_value(&tag.pages, views));
    let page = Value::from_serializable(&PageView::listing(&tag.name, &tag.url));
    let mut cx = shared.context(page);
    cx.insert_value("tag", Value::from(view));
    let html = layouts.render(TAG_LAYOUT, &cx, &tag.url)?;
    Ok(Some(File {
        path: permalink::output_path(&tag.url),
        origin: Origin::Tag(tag.slug.clone()),
        bytes: html.into_bytes(),
    }))
}
