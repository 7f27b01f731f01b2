//! Headings: a unique id for each (explicit `{#id}`s kept), an optional anchor link, and the
//! nested table of contents. Separate from the other passes because it is the one that needs
//! the whole event list (ids are reserved page-wide before any is generated).

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::TocEntry;
use crate::permalink::slugify;

/// Gives every heading a unique id (keeping `{#explicit}` ones) and an anchor link, and
/// collects the table of contents.
pub(super) fn headings(events: Vec<Event<'_>>, anchors: bool) -> (Vec<Event<'_>>, Vec<TocEntry>) {
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

/// `title` as a slug not yet in `used` (`-1`, `-2`… on repeats), then marked used.
pub(super) fn unique_id(title: &str, used: &mut HashSet<String>) -> String {
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
pub(super) fn nest(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
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
