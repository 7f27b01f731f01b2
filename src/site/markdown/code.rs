//! The pass that computes: fenced code blocks become highlighted HTML or figures, `=…` code
//! spans become values, and `<!-- claim: … -->` comments are checked and taken out. It is the
//! only pass that reads data or can fail, so its diagnostics are placed from the event ranges
//! here, before the later passes drop them.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::{Context, Found, options};
use crate::config::MarkdownConfig;
use crate::diag::{Diagnostic, line_col};
use crate::highlight::{MAX_LINE_BYTES, NotHighlighted, plain};

/// Replaces fenced code blocks by highlighted HTML or figures, `=…` code spans by computed
/// values, and checks `<!-- claim: … -->` comments (taking them out of the HTML). Ranges are
/// dropped afterwards: they are only needed to place diagnostics.
pub(super) fn code_and_figures<'a>(
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
            Event::Code(code) if crate::figures::asks_for_value(&code) => {
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
pub(super) fn indented_code_as_text<'a>(
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

/// One fenced block as HTML: a figure, highlighted code, or plain code with a diagnostic.
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
