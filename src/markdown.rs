//! Markdown to HTML: pulldown-cmark events run through small passes (code blocks and figures,
//! heading ids and the table of contents, the `<!-- more -->` summary), then written as HTML.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::diag::{Diagnostic, line_col};
use crate::highlight::{Highlighter, plain};
use crate::page_figures::PageFigures;
use crate::permalink::slugify;

/// Marks the end of a post's summary.
const MORE: &str = "<!-- more -->";
/// Words read per minute, for `page.reading_time`.
const WORDS_PER_MINUTE: usize = 200;

/// What a page body renders to.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    /// The HTML before `<!-- more -->`, if the page has the marker.
    pub summary: Option<String>,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    /// Data files that the page's figures read, relative to the site root.
    pub reads: Vec<PathBuf>,
}

/// A heading in the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// What a page's passes need to know.
pub struct Context<'a> {
    /// The page's path relative to the site root, for diagnostics.
    pub file: &'a Path,
    /// The file line of the body's first line (after the front matter).
    pub body_line: usize,
    pub highlighter: &'a Highlighter,
    pub figures: &'a PageFigures<'a>,
}

impl Context<'_> {
    fn diagnostic(&self, body: &str, offset: usize, d: Diagnostic) -> Diagnostic {
        let (line, col) = line_col(body, offset);
        d.in_file(self.file)
            .at(self.body_line + line - 1, Some(col))
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`. Problems (a broken figure, an unknown code language) go to `problems`.
pub fn render(body: &str, cx: &Context, problems: &mut Vec<Diagnostic>) -> Rendered {
    let mut reads = Vec::new();
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let events = code_and_figures(events, body, cx, &mut reads, problems);
    let word_count = count_words(&events);
    let (events, toc) = headings(events);
    let (html, summary) = write_html(scrolling_tables(events));
    reads.sort();
    reads.dedup();
    Rendered {
        html,
        summary,
        toc,
        word_count,
        reads,
    }
}

/// Replaces fenced code blocks by highlighted HTML or figures, and `=…` code spans by computed
/// values. Ranges are dropped afterwards: they are only needed to place diagnostics.
fn code_and_figures<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    body: &str,
    cx: &Context,
    reads: &mut Vec<PathBuf>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some((event, range)) = iter.next() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut code = String::new();
                for (e, _) in iter.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.trim(),
                    CodeBlockKind::Indented => "",
                };
                let html = code_block(info, &code, body, range.start, cx, reads, problems);
                out.push(Event::Html(html.into()));
            }
            Event::Code(code) if code.starts_with('=') => {
                let (line, col) = line_col(body, range.start);
                let html = match cx.figures.inline(&code[1..], cx.body_line + line - 1, col) {
                    Ok(r) => {
                        reads.extend(r.reads);
                        r.html
                    }
                    Err(d) => {
                        problems.push(d);
                        format!("<code>{}</code>", crate::highlight::escape_html(&code))
                    }
                };
                out.push(Event::InlineHtml(html.into()));
            }
            other => out.push(other),
        }
    }
    out
}

fn code_block(
    info: &str,
    code: &str,
    body: &str,
    start: usize,
    cx: &Context,
    reads: &mut Vec<PathBuf>,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let lang = info.split([' ', ',', '{']).next().unwrap_or_default();
    if lang.is_empty() {
        return plain(None, code);
    }
    if crate::figures::Figures::is_block(lang) {
        let fence_line = cx.body_line + line_col(body, start).0 - 1;
        return match cx.figures.block(lang, code, fence_line) {
            Ok(r) => {
                reads.extend(r.reads);
                r.html
            }
            Err(d) => {
                problems.push(d);
                plain(Some(lang), code)
            }
        };
    }
    match cx.highlighter.highlight(lang, code) {
        Some(html) => html,
        None => {
            let mut d = Diagnostic::warning(format!(
                "unknown code language `{lang}`; the block is shown without highlighting"
            ));
            d = match crate::diag::did_you_mean(lang, crate::figures::FIGURE_NAMES) {
                Some(figure) => Diagnostic::error(format!("unknown figure `{lang}`"))
                    .help(format!("did you mean `{figure}`? figures: {}", crate::figures::FIGURE_NAMES.join(", "))),
                None => d.help("use a language name such as python, typescript, yaml, json, toml, hcl, rust, go or bash"),
            };
            problems.push(cx.diagnostic(body, start, d));
            plain(Some(lang), code)
        }
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
fn headings(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<TocEntry>) {
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
    while i < events.len() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[i]
        else {
            out.push(events[i].clone());
            i += 1;
            continue;
        };
        let end = (i..events.len())
            .find(|&j| matches!(events[j], Event::End(TagEnd::Heading(_))))
            .unwrap_or(events.len());
        let title: String = events[i + 1..end]
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
        out.extend(events[i + 1..end].iter().cloned());
        out.push(Event::InlineHtml(
            format!(
                " <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a>"
            )
            .into(),
        ));
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
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < level) {
            siblings = &mut siblings.last_mut().expect("checked above").children;
        }
        siblings.push(entry);
    }
    roots
}

/// Writes the HTML, and the summary of what comes before the first `<!-- more -->`.
fn write_html(events: Vec<Event<'_>>) -> (String, Option<String>) {
    let marker = events
        .iter()
        .position(|e| matches!(e, Event::Html(t) | Event::InlineHtml(t) if t.trim() == MORE));
    let summary = marker.map(|at| summary_html(&events[..at]));
    let mut out = String::new();
    // The marker is left out of the page: it has done its work.
    html::push_html(
        &mut out,
        events
            .into_iter()
            .enumerate()
            .filter_map(|(i, e)| (Some(i) != marker).then_some(e)),
    );
    (out, summary)
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
        let events = Parser::new_ext(body, options()).collect();
        let (events, _) = headings(events);
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
