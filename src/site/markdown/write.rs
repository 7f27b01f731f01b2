//! The last steps: tables wrapped in scrollers, the events written as HTML, and a listing's
//! summary cut from what comes before `<!-- more -->`.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};

/// Marks the end of a post's summary.
const MORE: &str = "<!-- more -->";

/// Puts each table in a focusable, named scroller, so a table wider than a phone can be
/// scrolled from the keyboard and says what it is.
pub(super) fn scrolling_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
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

/// Writes the HTML, and the summary of what comes before the first `<!-- more -->`.
pub(super) fn write_html(events: Vec<Event<'_>>) -> (String, Option<String>) {
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
    // No need to trim the buffer: the caller packs it (`Packed`) and drops it.
    (out, summary)
}

/// Words after which a summary stops at the end of its paragraph.
pub(super) const SUMMARY_WORDS: usize = 70;

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
