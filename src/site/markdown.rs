//! Markdown to HTML: pulldown-cmark events run through small passes (code blocks and figures,
//! heading ids and the table of contents, the `<!-- more -->` summary), then written as HTML.

#![deny(clippy::indexing_slicing)]

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::{Deserialize, Serialize};

use crate::config::MarkdownConfig;
use crate::diag::{Diagnostic, line_col};
use crate::highlight::{Highlighter, MAX_LINE_BYTES, NotHighlighted, plain};
use crate::page_figures::{PageClaim, PageFigures};
use crate::permalink::slugify;

mod template_tags;

/// Marks the end of a post's summary.
const MORE: &str = "<!-- more -->";
/// Words read per minute, for `page.reading_time`.
const WORDS_PER_MINUTE: usize = 200;

/// What a page body renders to.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    /// The body as HTML, figures and highlighted code included.
    pub html: String,
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
        html,
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

/// Replaces fenced code blocks by highlighted HTML or figures, `=…` code spans by computed
/// values, and checks `<!-- claim: … -->` comments (taking them out of the HTML). Ranges are
/// dropped afterwards: they are only needed to place diagnostics.
fn code_and_figures<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    body: &str,
    cx: &Context,
    found: &mut Found,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some((event, range)) = iter.next() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let code = inner_text(&mut iter, TagEnd::CodeBlock);
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.trim(),
                    CodeBlockKind::Indented => "",
                };
                let html = code_block(info, &code, body, range.start, cx, found, problems);
                out.push(Event::Html(html.into()));
            }
            Event::Code(code) if code.starts_with('=') => {
                let (line, col) = line_col(body, range.start);
                let expr = code.strip_prefix('=').unwrap_or_default();
                let html = match cx.figures.inline(expr, cx.body_line + line - 1, col) {
                    Ok(r) => found.figure(r),
                    Err(d) => {
                        problems.push(d);
                        format!("<code>{}</code>", crate::highlight::escape_html(&code))
                    }
                };
                out.push(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::HtmlBlock) => {
                let html = inner_text(&mut iter, TagEnd::HtmlBlock);
                let html = claims(&html, body, range.start, cx, found, problems);
                out.push(Event::Start(Tag::HtmlBlock));
                out.push(Event::Html(html.into()));
                out.push(Event::End(TagEnd::HtmlBlock));
            }
            Event::InlineHtml(t) if t.contains("<!--") => {
                let html = claims(&t, body, range.start, cx, found, problems);
                out.push(Event::InlineHtml(html.into()));
            }
            other => out.push(other),
        }
    }
    out
}

/// The text inside a block (its `Text` or `Html` pieces), consuming the events up to `end`.
fn inner_text<'a>(
    events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    end: TagEnd,
) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Html(t) => text.push_str(&t),
            Event::End(e) if e == end => break,
            _ => {}
        }
    }
    text
}

/// Indented code blocks read again as Markdown text, as with `markdown.indented_code: false`
/// (Eleventy's default markdown-it setup). Their lines keep the block's place for diagnostics.
fn indented_code_as_text<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    settings: &MarkdownConfig,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some((event, range)) = iter.next() {
        if !matches!(event, Event::Start(Tag::CodeBlock(CodeBlockKind::Indented))) {
            out.push((event, range));
            continue;
        }
        let text = inner_text(&mut iter, TagEnd::CodeBlock);
        let parsed =
            Parser::new_ext(&text, options(settings)).map(|e| (e.into_static(), range.clone()));
        out.extend(parsed.collect::<Vec<_>>());
    }
    out
}

/// Checks the claims in raw HTML that starts at `start` in `body`; returns the HTML without them.
fn claims(
    html: &str,
    body: &str,
    start: usize,
    cx: &Context,
    found: &mut Found,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let line = cx.body_line + line_col(body, start).0 - 1;
    let checked = cx
        .figures
        .claims(html, line, &body[..start.min(body.len())]);
    found.reads.extend(checked.reads);
    found.claims.extend(checked.found);
    problems.extend(checked.problems);
    checked.html
}

fn code_block(
    info: &str,
    code: &str,
    body: &str,
    start: usize,
    cx: &Context,
    found: &mut Found,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let lang = info.split([' ', ',', '{']).next().unwrap_or_default();
    if lang.is_empty() {
        return plain(None, code);
    }
    if crate::figures::Figures::is_block(lang) {
        let fence_line = cx.body_line + line_col(body, start).0 - 1;
        return match cx.figures.block(lang, code, fence_line) {
            Ok(r) => found.figure(r),
            Err(d) => {
                problems.push(d);
                plain(Some(lang), code)
            }
        };
    }
    match cx.highlighter.highlight(lang, code) {
        Ok(html) => html,
        Err(why) => {
            problems.push(cx.diagnostic(body, start, not_highlighted(lang, why)));
            plain(Some(lang), code)
        }
    }
}

/// Says that a block was cut off by the clock, not by its text.
const OVER_BUDGET: &str = "took too long to highlight";

/// Whether a problem found while rendering depends on how fast the machine was, so that the
/// rendering may differ next time (the warm-build cache does not keep such a page).
pub fn depends_on_time(d: &Diagnostic) -> bool {
    d.message.contains(OVER_BUDGET)
}

/// Why a code block is shown plain, as a warning (an error for a misspelt figure name).
fn not_highlighted(lang: &str, why: NotHighlighted) -> Diagnostic {
    let plain = "the block is shown without highlighting";
    match why {
        NotHighlighted::UnknownLanguage => {
            match crate::diag::did_you_mean(lang, crate::figures::FIGURE_NAMES) {
                Some(figure) => Diagnostic::error(format!("unknown figure `{lang}`")).help(format!(
                    "did you mean `{figure}`? figures: {}",
                    crate::figures::FIGURE_NAMES.join(", ")
                )),
                None => Diagnostic::warning(format!("unknown code language `{lang}`; {plain}"))
                    .help("use a language name such as python, typescript, yaml, json, toml, hcl, rust, go or bash"),
            }
        }
        NotHighlighted::LongLine { line } => Diagnostic::warning(format!(
            "line {line} of this `{lang}` block is longer than {MAX_LINE_BYTES} bytes; {plain}"
        ))
        .help("break the line up (pretty-print it) to have the block highlighted"),
        NotHighlighted::OverBudget { line } => Diagnostic::warning(format!(
            "this `{lang}` block {OVER_BUDGET} (stopped at its line {line}); {plain}"
        ))
        .help("shorten the block's lines, or mark it as `text`"),
    }
}

fn count_words(events: &[Event]) -> usize {
    events
        .iter()
        .map(|e| match e {
            Event::Text(t) | Event::Code(t) => t.split_whitespace().count(),
            _ => 0,
        })
        .sum()
}

/// Gives every heading a unique id (keeping `{#explicit}` ones) and an anchor link, and
/// collects the table of contents.
fn headings(events: Vec<Event<'_>>, anchors: bool) -> (Vec<Event<'_>>, Vec<TocEntry>) {
    let mut used: HashSet<String> = HashSet::new();
    // Explicit ids are reserved first so generated ones never take them.
    for e in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            used.insert(id.to_string());
        }
    }
    let mut flat = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while let Some(event) = events.get(i) {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = event
        else {
            out.push(event.clone());
            i += 1;
            continue;
        };
        let end = (i..events.len())
            .find(|&j| matches!(events.get(j), Some(Event::End(TagEnd::Heading(_)))))
            .unwrap_or(events.len());
        // The events between the heading's start and its end (`end` is past `i`).
        let inside = events.get(i + 1..end).unwrap_or_default();
        let title: String = inside
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = match id {
            Some(id) => id.to_string(),
            None => unique_id(&title, &mut used),
        };
        flat.push((*level as u8, id.clone(), title));
        out.push(Event::Start(Tag::Heading {
            level: *level,
            id: Some(CowStr::from(id.clone())),
            classes: classes.clone(),
            attrs: attrs.clone(),
        }));
        out.extend(inside.iter().cloned());
        // An explicit `{#id}` is the author's text: escaped here as pulldown-cmark escapes it
        // in the heading's own `id`.
        out.extend(anchors.then(|| {
            Event::InlineHtml(
                format!(
                    " <a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
                    crate::highlight::escape_html(&id)
                )
                .into(),
            )
        }));
        if let Some(e) = events.get(end) {
            out.push(e.clone());
        }
        i = end + 1;
    }
    (out, nest(flat))
}

/// Puts each table in a focusable, named scroller, so a table wider than a phone can be
/// scrolled from the keyboard and says what it is.
fn scrolling_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        match e {
            Event::Start(Tag::Table(_)) => {
                let open =
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table\">";
                out.push(Event::Html(CowStr::from(open)));
                out.push(e);
            }
            Event::End(TagEnd::Table) => {
                out.push(e);
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            e => out.push(e),
        }
    }
    out
}

fn unique_id(title: &str, used: &mut HashSet<String>) -> String {
    let base = match slugify(title) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

/// Turns a flat list of headings into a tree: each heading holds the deeper ones after it.
fn nest(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for (level, id, title) in flat {
        let entry = TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        };
        place(&mut roots, entry);
    }
    roots
}

/// Adds a heading under the last one that outranks it (`##` under `#`), as deep as the
/// headings nest (at most six levels).
fn place(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => place(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

/// Writes the HTML, and the summary of what comes before the first `<!-- more -->`.
fn write_html(events: Vec<Event<'_>>) -> (String, Option<String>) {
    let marker = events
        .iter()
        .position(|e| matches!(e, Event::Html(t) | Event::InlineHtml(t) if t.trim() == MORE));
    let summary = marker.and_then(|at| events.get(..at)).map(summary_html);
    let mut out = String::new();
    // The marker is left out of the page: it has done its work.
    html::push_html(
        &mut out,
        events
            .into_iter()
            .enumerate()
            .filter_map(|(i, e)| (Some(i) != marker).then_some(e)),
    );
    // Every page's HTML is held until the whole site is rendered, so it goes into a buffer of
    // its own length: the one it grew in by doubling is up to twice that, and `shrink_to_fit`
    // can keep it (mimalloc keeps a block shrunk by less than half). At 10,000 posts that
    // room was 130 MiB.
    (out.as_str().to_owned(), summary)
}

/// Words after which a summary stops at the end of its paragraph.
const SUMMARY_WORDS: usize = 70;

/// A listing's excerpt: the paragraphs before the marker, up to about `SUMMARY_WORDS` words.
/// Headings (with their anchors), figures, code and footnote marks stay on the page itself:
/// in a list of posts they would outrank the post's title or point nowhere.
fn summary_html(events: &[Event<'_>]) -> String {
    let mut kept: Vec<Event> = Vec::new();
    let (mut depth, mut words, mut in_paragraph) = (0usize, 0usize, false);
    for e in events {
        if depth == 0 && matches!(e, Event::Start(Tag::Paragraph)) {
            in_paragraph = true;
        }
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !in_paragraph || matches!(e, Event::FootnoteReference(_)) {
            continue;
        }
        if let Event::Text(t) | Event::Code(t) = e {
            words += t.split_whitespace().count();
        }
        kept.push(e.clone());
        if depth == 0 && matches!(e, Event::End(TagEnd::Paragraph)) {
            in_paragraph = false;
            if words >= SUMMARY_WORDS {
                break;
            }
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, kept.into_iter());
    out
}

/// `page.reading_time`: whole minutes, at least one.
pub fn reading_time(word_count: usize) -> usize {
    word_count.div_ceil(WORDS_PER_MINUTE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(v: &[(u8, &str)]) -> Vec<(u8, String, String)> {
        v.iter()
            .map(|(l, t)| (*l, t.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn toc_nests_deeper_headings() {
        let toc = nest(flat(&[(2, "a"), (3, "b"), (3, "c"), (2, "d"), (4, "e")]));
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[1].children[0].id, "e");
    }

    #[test]
    fn duplicate_headings_get_numbered_ids() {
        let mut used = HashSet::new();
        assert_eq!(unique_id("Cost", &mut used), "cost");
        assert_eq!(unique_id("Cost", &mut used), "cost-1");
        assert_eq!(unique_id("!!", &mut used), "section");
    }

    fn summary_of(body: &str) -> Option<String> {
        let events =
            Parser::new_ext(body, options(&crate::config::MarkdownConfig::default())).collect();
        let (events, _) = headings(events, true);
        write_html(events).1
    }

    #[test]
    fn summaries_leave_out_headings_anchors_footnotes_and_code() {
        let body = "## Big heading\n\nFirst words[^1].\n\n```\ncode\n```\n\n<!-- more -->\n\nRest.\n\n[^1]: Note.\n";
        let summary = summary_of(body).expect("has a marker");
        assert_eq!(summary, "<p>First words.</p>\n");
        assert_eq!(summary_of("No marker.\n"), None);
    }

    #[test]
    fn summaries_stop_after_the_paragraph_that_passes_the_word_limit() {
        let long = vec!["word"; SUMMARY_WORDS].join(" ");
        let body = format!("{long}\n\nSecond paragraph.\n\n<!-- more -->\n");
        let summary = summary_of(&body).expect("has a marker");
        assert!(summary.starts_with("<p>word word"), "{summary}");
        assert!(!summary.contains("Second"), "{summary}");
        let short = summary_of("One.\n\nTwo.\n\n<!-- more -->\n").expect("marker");
        assert_eq!(short, "<p>One.</p>\n<p>Two.</p>\n");
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_time(0), 1);
        assert_eq!(reading_time(201), 2);
    }
}
