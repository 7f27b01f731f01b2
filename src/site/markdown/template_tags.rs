//! Template syntax that Eleventy runs inside Markdown and breakeven does not: `{% raw %}` …
//! `{% endraw %}` markers are taken out (their content kept as written, as Eleventy shows it),
//! and any other `{{ … }}` or `{% … %}` outside code (in text or raw HTML) gets a warning, since
//! it is shown as text.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diag::{Diagnostic, line_col};

/// The body without `{% raw %}` / `{% endraw %}` markers, and the ranges (in the new text) that
/// were between them. A marker on a line of its own leaves the line empty, so lines keep
/// their numbers.
pub fn strip_raw(body: &str) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(body.len());
    let mut raw = Vec::new();
    let mut rest = body;
    let mut open: Option<usize> = None;
    while let Some((start, end, closing)) = next_marker(rest) {
        out.push_str(&rest[..start]);
        match (closing, open) {
            (false, None) => open = Some(out.len()),
            (true, Some(from)) => {
                raw.push(from..out.len());
                open = None;
            }
            // An unmatched marker is kept as text: the warning below then points at it.
            _ => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    if let Some(from) = open {
        raw.push(from..out.len());
    }
    (out, raw)
}

/// The next `{% raw %}` or `{% endraw %}` (also with `-` whitespace control) in `text`:
/// (start, end, whether it closes).
fn next_marker(text: &str) -> Option<(usize, usize, bool)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("{%") {
        let start = from + i;
        let end = text[start..].find("%}").map(|e| start + e + 2)?;
        let word = text[start + 2..end - 2].trim_matches(['-', ' ', '\t']);
        match word {
            "raw" => return Some((start, end, false)),
            "endraw" => return Some((start, end, true)),
            _ => from = end,
        }
    }
    None
}

/// One warning per line with `{{` or `{%` in text outside code and outside raw ranges.
pub fn warn_unrendered(
    events: &[(Event, Range<usize>)],
    body: &str,
    raw: &[Range<usize>],
    at: impl Fn(Diagnostic, usize) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut lines = Vec::new();
    let mut in_code = false;
    for (event, range) in events {
        let text = match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                continue;
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                continue;
            }
            // Raw HTML too: shortcodes sit in attributes (`<img src="{% src 'a.jpg' %}">`).
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) if !in_code => text,
            _ => continue,
        };
        let Some(i) = text.find("{{").or_else(|| text.find("{%")) else {
            continue;
        };
        if raw
            .iter()
            .any(|r| r.start <= range.start && range.end <= r.end)
        {
            continue;
        }
        // The text of an event is the source range for plain text; fall back to its start.
        let offset = body[range.clone()]
            .find(&text[i..i + 2])
            .map_or(range.start, |j| range.start + j);
        let (line, _) = line_col(body, offset);
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines
        .into_iter()
        .map(|line| {
            let d = Diagnostic::warning(
                "breakeven does not run templates inside Markdown: this tag is shown as text",
            )
            .help("wrap it in `{% raw %}` … `{% endraw %}` to show it on purpose, or put code in backticks");
            at(d, line)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_markers_go_and_their_content_stays() {
        let (text, raw) =
            strip_raw("a {% raw %}{{ x }}{% endraw %} b\n{%- raw -%}\n{% y %}\n{% endraw %}\n");
        assert_eq!(text, "a {{ x }} b\n\n{% y %}\n\n");
        assert_eq!(raw, [2..9, 12..21]);
        assert_eq!(&text[2..9], "{{ x }}");
    }

    #[test]
    fn other_tags_are_left_alone() {
        let (text, raw) = strip_raw("{% codepen 'x' %} and {{ y }}");
        assert_eq!(text, "{% codepen 'x' %} and {{ y }}");
        assert!(raw.is_empty());
    }
}
