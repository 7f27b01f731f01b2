//! The layouts: every template parsed once into one Tera, with what each reads from the site
//! (for the live preview) and errors mapped to the template's file and line.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Context, Tera, Value};

use super::deps::{self, SiteUse};
use super::{PageError, filters};
use crate::diag::Diagnostic;
use crate::layout_chain::LayoutFiles;
use rayon::prelude::*;

use super::views::{Shared, Views};
use crate::site::{Page, PageId, PageKind, Site};

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
    /// The layout each layout renders into (`layout:` in its front matter).
    parents: HashMap<String, String>,
    /// How long one page may take to render.
    time_limit: std::time::Duration,
    /// Whether some template may show another page's content (see `content_use`).
    shows_others_content: bool,
}

impl Layouts {
    /// Parses every layout and template page, reporting every syntax error.
    pub fn load(layout_files: &LayoutFiles, site: &Site) -> Result<Layouts, Vec<Diagnostic>> {
        let mut templates = Vec::new();
        let mut sources = HashMap::new();
        let mut parents = HashMap::new();
        for (name, file) in layout_files.iter() {
            sources.insert(name.clone(), (PathBuf::from(name), file.body_line));
            templates.push((name.clone(), file.body.clone()));
            if let Some(parent) = &file.parent {
                parents.insert(name.clone(), parent.clone());
            }
        }
        // Template pages, and Markdown bodies that run through Tera before Markdown.
        let has_template = |p: &&Arc<Page>| p.kind == PageKind::Template || !p.template.is_empty();
        for page in site.pages.iter().filter(has_template) {
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
        // A layout renders into its parent: an edit to the parent re-renders the layout's users.
        for (name, parent) in &parents {
            if let Some(scan) = scans.get_mut(name) {
                scan.pulls.insert(parent.clone());
            }
        }
        let shows_others_content = templates
            .iter()
            .any(|(_, text)| super::content_use::shows_others_content(text));
        let layouts_only = Layouts {
            tera: Tera::new(),
            shows_others_content,
            sources,
            parents,
            closures: deps::closures(&scans),
            time_limit: site
                .config
                .template_time_limit()
                .unwrap_or(crate::deadline::DEFAULT_LIMIT),
        };
        let problems = parse_all(&mut tera, templates, &layouts_only);
        if problems.is_empty() {
            Ok(Layouts {
                tera,
                ..layouts_only
            })
        } else {
            Err(problems)
        }
    }

    /// Whether some template may show another page's content (`p.content` in a listing): the
    /// page views must then hold every page's content.
    pub fn show_others_content(&self) -> bool {
        self.shows_others_content
    }

    /// Whether a template of that name (e.g. `layouts/tag.html`) was loaded.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// What rendering `page` reads from the site: its layout's and its own template's closure.
    pub fn page_use(&self, page: &Page) -> SiteUse {
        let mut uses = self.template_use(page);
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

    /// What a page's templates read from the site, by their text alone.
    pub fn template_use(&self, page: &Page) -> SiteUse {
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

    /// Renders the Markdown bodies of pages `ids` as templates (`markdown: {templates: true}`),
    /// with the whole site in view and each page's data as variables too (`{{ title }}`), as
    /// Eleventy runs Markdown through its template engine.
    pub fn render_bodies(
        &self,
        site: &Site,
        views: &Views,
        ids: &[PageId],
    ) -> Vec<Result<String, Diagnostic>> {
        let shared = Shared::new(site, views, (&[], &[]));
        ids.par_iter()
            .map(|&id| {
                let page = &site.pages[id];
                let mut cx = shared.context(views.get(id));
                for (key, value) in &page.fm.data {
                    if let Some(key) = key.as_str().filter(|k| !cx.contains_key(k)) {
                        cx.insert(key.to_string(), value);
                    }
                }
                let name = template_name(page);
                self.render(&name, &cx, &name).map_err(|e| e.0)
            })
            .collect()
    }

    /// Whether tag pages use any of `templates`.
    pub fn tags_use_any(&self, templates: &BTreeSet<String>) -> bool {
        self.closures
            .get(TAG_LAYOUT)
            .is_some_and(|(_, members)| members.iter().any(|m| templates.contains(m)))
    }

    /// Renders `name` for the page (or tag page) `shown`. A failure carries the page it was
    /// found on, unless the message names it already, so repeats can be merged.
    pub(super) fn render(
        &self,
        name: &str,
        context: &Context,
        shown: &str,
    ) -> Result<String, PageError> {
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

    /// Renders `content` in `layout`, then the result in the layout that one names in its
    /// front matter, and so on (Eleventy's layout chaining).
    pub(super) fn render_chain(
        &self,
        layout: &str,
        mut cx: Context,
        content: Value,
        shown: &str,
    ) -> Result<String, PageError> {
        cx.insert_value("content", content);
        let mut html = self.render(layout, &cx, shown)?;
        let mut at = layout;
        // Cycles were refused when the layouts were loaded; the bound is only a guard.
        for _ in 0..self.parents.len() {
            let Some(parent) = self.parents.get(at) else {
                break;
            };
            cx.insert_value("content", Value::from(html));
            html = self.render(parent, &cx, shown)?;
            at = parent;
        }
        Ok(html)
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
        let mut d = Diagnostic::error(format!("template error: {}", messages.join(": ")));
        if let Some(help) = messages.iter().find_map(|m| crate::data_template::help(m)) {
            d = d.help(help);
        }
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

/// The name a `.html` page's own template is known by in Tera: its source path, `/`-separated.
pub fn template_name(page: &Page) -> String {
    page.source.to_string_lossy().replace('\\', "/")
}
