//! Rendering: Tera over `layouts/` and `.html` pages, with the site's views (page, site,
//! collections, tags, data) built once and shared by every page rendered in parallel.

mod content_use;
pub mod deadline;
pub mod deps;
pub mod feed;
pub mod filters;

mod layouts;
mod views;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::diag::Diagnostic;
use crate::output::{Content, Output, Sink};
use crate::permalink;
use crate::plan::Origin;
use crate::site::{PageId, PageKind, Site, Tag};
pub use layouts::{Layouts, TAG_LAYOUT, template_name};
pub use views::Views;
use views::{PageView, Shared, ids_to_value, page_view, pagination_map};
/// A rendering error and the page it was found on (see [`Layouts::render`]); boxed, as the
/// error side of every page's result.
type PageError = Box<(Diagnostic, Option<String>)>;

/// A page or tag page and which chunk of it to render (0 when it is not paged).
pub type Chunk<T> = (T, usize);

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
    (pages, tags): (&[Chunk<PageId>], &[Chunk<&Tag>]),
    sink: &dyn Sink,
) -> Result<(), Vec<Diagnostic>> {
    // Each paged page or tag once, however many of its chunks are rendered.
    let mut paged: Vec<PageId> = pages.iter().map(|&(id, _)| id).collect();
    paged.sort_unstable();
    paged.dedup();
    let mut tagged: Vec<&Tag> = tags.iter().map(|&(tag, _)| tag).collect();
    tagged.sort_by(|a, b| a.slug.cmp(&b.slug));
    tagged.dedup_by(|a, b| a.slug == b.slug);
    let shared = Shared::new(site, views, (&paged, &tagged));
    let pages = pages
        .par_iter()
        .map(|&(id, chunk)| render_page(site, (id, chunk), views, layouts, &shared));
    let tags = tags
        .par_iter()
        .map(|&(tag, chunk)| render_tag((tag, chunk), layouts, &shared, views));
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
    // A Markdown page's content is unpacked for its own render only (see `Views`).
    let (mut view, content) = match page.kind {
        PageKind::Markdown => views.with_content(id, page),
        PageKind::Template => (views.get(id), Value::none()),
    };
    // Worked out once per chunk, for the page's own view and the one its layout sees.
    let computed = pagination
        .as_ref()
        .map(|vars| chunk_values(page, vars, &url, &site.config));
    let chunk_view = |view: Value| match &computed {
        Some(values) => with_values(with_url(view, &url), values),
        None => view,
    };
    view = chunk_view(view);
    let (view, content) = match page.kind {
        PageKind::Markdown => (view, content),
        PageKind::Template => {
            let content = layouts.render(&shown, &context(view.clone()), &shown)?;
            (
                chunk_view(page_view(page, Some(&content))),
                Value::from(content),
            )
        }
    };
    let html = match &page.layout {
        Some(layout) => layouts.render_chain(layout, context(view), content, &shown)?,
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

/// The `eleventyComputed` values of one chunk of a paginated page that read its `pagination` or
/// alias (see `computed::for_chunk`); none when the page computes nothing.
fn chunk_values(
    page: &crate::site::Page,
    pagination: &[(String, Value)],
    url: &str,
    config: &crate::config::SiteConfig,
) -> serde_json::Map<String, serde_json::Value> {
    if !page.fm.data.contains_key(crate::computed::KEY) {
        return serde_json::Map::new();
    }
    let chunk = pagination
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), serde_json::to_value(v).ok()?)))
        .collect();
    crate::computed::for_chunk(page, (chunk, url), config)
}

/// A chunk's view with its computed values: `title` and `description` as the page's own, every
/// one under `data`.
fn with_values(view: Value, values: &serde_json::Map<String, serde_json::Value>) -> Value {
    if values.is_empty() {
        return view;
    }
    let mut map = view.into_map().unwrap_or_default();
    let data = map.get(&tera::value::Key::from("data")).cloned();
    let mut data = data.and_then(Value::into_map).unwrap_or_default();
    for (key, value) in values {
        let value = Value::from_serializable(value);
        if key == "title" || key == "description" {
            map.insert(key.clone().into(), value.clone());
        }
        data.insert(key.clone().into(), value);
    }
    map.insert("data".into(), Value::from(data));
    Value::from(map)
}

#[derive(Serialize)]
struct TagPageView<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    /// How many pages have the tag: a paged tag page shows it without reading `tag.pages`,
    /// so an edit re-renders only the chunk that shows the edited page.
    count: usize,
}

fn render_tag(
    (tag, chunk): (&Tag, usize),
    layouts: &Layouts,
    shared: &Shared,
    views: &Views,
) -> Result<Option<File>, PageError> {
    if !layouts.has(TAG_LAYOUT) {
        return Ok(None);
    }
    let Some((chunks, hrefs)) = shared.tag_chunks.get(&tag.slug) else {
        return Ok(None);
    };
    let Some((url, ids)) = chunks.get(chunk) else {
        return Ok(None);
    };
    let mut view = Value::from_serializable(&TagPageView {
        name: &tag.name,
        slug: &tag.slug,
        url: &tag.url,
        count: tag.pages.len(),
    })
    .into_map()
    .unwrap_or_default();
    let all = shared.tag_pages.get(&tag.slug).cloned();
    view.insert(
        "pages".into(),
        all.unwrap_or_else(|| ids_to_value(&tag.pages, views)),
    );
    let page = Value::from_serializable(&PageView::listing(&tag.name, url));
    let mut cx = shared.context(page);
    cx.insert_value("tag", Value::from(view));
    let urls: Vec<&str> = chunks.iter().map(|(u, _)| u.as_str()).collect();
    let mut pagination = pagination_map(ids_to_value(ids, views), chunk, &urls);
    pagination.insert("hrefs".into(), hrefs.clone());
    cx.insert_value("pagination", Value::from(pagination));
    let html = layouts.render_chain(TAG_LAYOUT, cx, Value::from(""), url)?;
    Ok(Some(File {
        path: permalink::output_path(url),
        origin: Origin::Tag {
            slug: tag.slug.clone(),
            chunk,
        },
        bytes: html.into_bytes(),
    }))
}
