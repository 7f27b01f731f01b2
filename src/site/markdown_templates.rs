//! `markdown: {templates: true}` in site.yaml: a Markdown page's body with template syntax runs
//! through Tera (its data, `page`, `collections`, `data`, `site`), then through Markdown, as
//! Eleventy's `markdownTemplateEngine` does. Takes the loaded site, its views and templates
//! (the bodies were loaded as templates, so they may include layouts' partials); gives the
//! pages their rendered Markdown.

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::markdown;
use crate::page_figures::PageFigures;
use crate::render::{Layouts, Views};
use crate::site::{Loader, Page, PageId, PageKind, Site};

/// Whether `body` holds template syntax (other bodies render as plain Markdown, and may be
/// kept in the warm-build cache).
pub fn has_syntax(body: &str) -> bool {
    body.contains("{{") || body.contains("{%") || body.contains("{#")
}

/// Whether `page`'s Markdown waits for its body to run through Tera.
pub fn is_templated(page: &Page) -> bool {
    page.kind == PageKind::Markdown && !page.template.is_empty()
}

/// Renders every templated Markdown page's body: Tera, then Markdown, then its links to
/// source files; each page's view is updated. Errors name the page's file and line.
pub fn render_all(
    loader: &Loader,
    site: &mut Site,
    views: &mut Views,
    layouts: &Layouts,
    problems: &mut Vec<Diagnostic>,
) {
    let ids: Vec<PageId> = (0..site.pages.len())
        .filter(|&id| is_templated(&site.pages[id]))
        .collect();
    if ids.is_empty() {
        return;
    }
    let bodies = layouts.render_bodies(site, views, &ids);
    let urls = crate::source_links::urls(site.pages.iter().map(|p| &**p));
    for (id, body) in ids.into_iter().zip(bodies) {
        let body = match body {
            Ok(body) => body,
            Err(d) => {
                let help = "this body runs through Tera first (`markdown: templates: true` in site.yaml): fix the tag, or wrap text meant as written in `{% raw %}`…`{% endraw %}`";
                problems.push(match d.help {
                    Some(_) => d,
                    None => d.help(help),
                });
                continue;
            }
        };
        let page = Arc::make_mut(&mut site.pages[id]);
        let Some(rendered) = markdown_of(loader, page, &body, problems) else {
            continue;
        };
        page.markdown = rendered;
        crate::source_links::rewrite(page, &urls, problems);
        views.replace(id, &site.pages[id]);
    }
}

/// The Markdown of a body that came out of Tera.
fn markdown_of(
    loader: &Loader,
    page: &Page,
    body: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<markdown::Rendered> {
    let figures = PageFigures::new(
        loader.figures,
        &page.source,
        page.fm.scenarios.as_ref(),
        None,
    )
    .map_err(|d| problems.push(d))
    .ok()?;
    let cx = markdown::Context {
        file: &page.source,
        body_line: page.template_line,
        highlighter: loader.highlighter,
        figures: &figures,
        settings: &loader.config.markdown,
    };
    Some(markdown::render(body, &cx, problems))
}
