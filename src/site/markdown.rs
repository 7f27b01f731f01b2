//! Markdown to HTML: pulldown-cmark events run through small passes (code blocks and figures,
//! heading ids and the table of contents, the `<!-- more -->` summary), then written as HTML.
//!
//! This file holds what a rendering gives and the order of the passes; each pass lives in its
//! own module: `code` (code blocks, figures, inline values and claims), `headings` (ids, anchors
//! and the table of contents), `write` (scrolling tables, the HTML and the summary).

#![deny(clippy::indexing_slicing)]

use crate::site::packed::Packed;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser};
use serde::{Deserialize, Serialize};

use crate::config::MarkdownConfig;
use crate::diag::{Diagnostic, line_col};
use crate::highlight::Highlighter;
use crate::page_figures::{PageClaim, PageFigures};

mod code;
mod headings;
mod template_tags;
mod write;

pub use code::depends_on_time;
use code::{code_and_figures, indented_code_as_text};
use headings::headings;
use write::{scrolling_tables, write_html};

/// Words read per minute, for `page.reading_time`.
const WORDS_PER_MINUTE: usize = 200;

/// What a page body renders to.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    /// The body as HTML, figures and highlighted code included; packed as soon as it is
    /// written, since a build holds every page's at once (see `site::packed`).
    pub html: Packed,
    /// The HTML before `<!-- more -->`, if the page has the marker.
    pub summary: Option<String>,
    /// The page's headings, nested, for a table of contents.
    pub toc: Vec<TocEntry>,
    /// Words in the body's text and inline code, for `page.reading_time`.
    pub word_count: usize,
    /// Data files that the page's figures read, relative to the site root.
    pub reads: Vec<PathBuf>,
    /// The page's claims (`<!-- claim: … -->`), every one of which held.
    pub claims: Vec<PageClaim>,
    /// The latest `as_of` date of the prices its figures show.
    pub prices_as_of: Option<String>,
    /// Where this rendering is kept in the warm-build cache, when the build uses one.
    pub cache_key: Option<crate::cache::Key>,
    /// The problems found while rendering, reported again when the cache gives the page back.
    pub found: Vec<Diagnostic>,
    /// Links to source files (`other.md`), rewritten to URLs once every page's URL is known.
    pub source_links: Vec<crate::source_links::SourceLink>,
}

/// A heading in the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    /// The heading's rank, 1 for `#` to 6 for `######`.
    pub level: u8,
    /// The heading's anchor, unique in the page (`#id`).
    pub id: String,
    /// The heading's text.
    pub title: String,
    /// The deeper headings that follow it, up to the next one of its rank or higher.
    pub children: Vec<TocEntry>,
}

/// What a page's passes need to know.
pub struct Context<'a> {
    /// The page's path relative to the site root, for diagnostics.
    pub file: &'a Path,
    /// The file line of the body's first line (after the front matter).
    pub body_line: usize,
    /// Colours the code blocks.
    pub highlighter: &'a Highlighter,
    /// Computes the page's figures and inline values.
    pub figures: &'a PageFigures<'a>,
    /// The site's Markdown extensions.
    pub settings: &'a MarkdownConfig,
}

impl Context<'_> {
    fn diagnostic(&self, body: &str, offset: usize, d: Diagnostic) -> Diagnostic {
        let (line, col) = line_col(body, offset);
        d.in_file(self.file)
            .at(self.body_line + line - 1, Some(col))
    }
}

fn options(settings: &MarkdownConfig) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    options.set(
        Options::ENABLE_SMART_PUNCTUATION,
        settings.smart_punctuation,
    );
    options
}

/// Renders `body`. Problems (a broken figure, an unknown code language) go to `problems`.
pub fn render(body: &str, cx: &Context, problems: &mut Vec<Diagnostic>) -> Rendered {
    let mut found = Found::default();
    // A body run through Tera first had its `{% raw %}` blocks and tags dealt with there.
    let (body, raw) = match cx.settings.templates {
        true => (body.to_string(), Vec::new()),
        false => template_tags::strip_raw(body),
    };
    let body = body.as_str();
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options(cx.settings))
        .into_offset_iter()
        .collect();
    let events = match cx.settings.indented_code {
        true => events,
        false => indented_code_as_text(events, cx.settings),
    };
    if !cx.settings.templates {
        problems.extend(template_tags::warn_unrendered(
            &events,
            body,
            &raw,
            |d, line| d.in_file(cx.file).at(cx.body_line + line - 1, None),
        ));
    }
    let source_links = crate::source_links::collect(&events, body, cx.body_line);
    let events = code_and_figures(events, body, cx, &mut found, problems);
    let Found {
        mut reads,
        claims,
        prices_as_of,
    } = found;
    let word_count = count_words(&events);
    let (events, toc) = headings(events, cx.settings.heading_anchors);
    let (html, summary) = write_html(scrolling_tables(events));
    reads.sort();
    reads.dedup();
    Rendered {
        html: Packed::new(&html),
        summary,
        toc,
        word_count,
        reads,
        claims,
        prices_as_of,
        cache_key: None,
        found: Vec::new(),
        source_links,
    }
}

/// What the figure passes found besides HTML.
#[derive(Default)]
struct Found {
    reads: Vec<PathBuf>,
    claims: Vec<PageClaim>,
    prices_as_of: Option<String>,
}

impl Found {
    fn figure(&mut self, rendered: crate::figures::Rendered) -> String {
        self.reads.extend(rendered.reads);
        let latest = rendered.prices_as_of.into_iter().max();
        self.prices_as_of = self.prices_as_of.take().max(latest);
        rendered.html
    }
}

/// Words in the text and inline code, for `page.reading_time`.
fn count_words(events: &[Event]) -> usize {
    events
        .iter()
        .map(|e| match e {
            Event::Text(t) | Event::Code(t) => t.split_whitespace().count(),
            _ => 0,
        })
        .sum()
}

/// `page.reading_time`: whole minutes, at least one.
pub fn reading_time(word_count: usize) -> usize {
    word_count.div_ceil(WORDS_PER_MINUTE).max(1)
}

#[cfg(test)]
mod tests;
