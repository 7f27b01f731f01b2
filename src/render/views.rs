//! What templates see: each page's view (built once, its HTML held only there), and the values
//! every page shares (site, collections, tags, data, neighbour positions, paged lists).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Value};

use super::filters;
use crate::markdown::{TocEntry, reading_time};
use crate::paginate::{self, Item, Paged};
use crate::site::{Page, PageId, Site, Tag};

/// A page as templates see it.
#[derive(Serialize)]
pub(super) struct PageView<'a> {
    title: &'a str,
    url: Option<&'a str>,
    date: Option<String>,
    updated: Option<String>,
    description: Option<&'a str>,
    tags: &'a [String],
    content: &'a str,
    summary: Option<&'a str>,
    toc: &'a [TocEntry],
    reading_time: usize,
    word_count: usize,
    /// The latest `as_of` date of the prices the page's figures show, when it is later than
    /// the page's date (the figures then show prices the post was not written with).
    prices_as_of: Option<&'a str>,
    draft: bool,
    /// Source path relative to `content/`.
    path: String,
    data: Option<&'a yaml_serde::Mapping>,
}

impl<'a> PageView<'a> {
    /// `page` for generated listings (tag pages), which have no source file.
    pub(super) fn listing(title: &'a str, url: &'a str) -> Self {
        PageView {
            title,
            url: Some(url),
            date: None,
            updated: None,
            description: None,
            tags: &[],
            content: "",
            summary: None,
            toc: &[],
            reading_time: 0,
            word_count: 0,
            prices_as_of: None,
            draft: false,
            path: String::new(),
            data: None,
        }
    }
}

/// The page's latest price date, if it is after the page's own date (or the page has none).
fn prices_after(page: &Page) -> Option<&str> {
    let as_of = page.markdown.prices_as_of.as_deref()?;
    match page.fm.date {
        Some(date) if date.to_string().get(..10).is_some_and(|d| d >= as_of) => None,
        _ => Some(as_of),
    }
}

/// Page `page`'s view; with `own` (its content), also the fields only its own render shows
/// unless a template shows them on other pages (see `content_use`).
pub(super) fn page_view(page: &Page, own: Option<&str>) -> Value {
    let view = PageView {
        title: &page.fm.title,
        url: page.url.as_deref(),
        date: page.fm.date.map(|d| d.to_string()),
        updated: page.fm.updated.map(|d| d.to_string()),
        description: page.fm.description.as_deref(),
        tags: &page.fm.tags,
        content: own.unwrap_or_default(),
        summary: page.markdown.summary.as_deref(),
        toc: own.map_or(&[], |_| &page.markdown.toc),
        reading_time: reading_time(page.markdown.word_count),
        word_count: page.markdown.word_count,
        prices_as_of: prices_after(page),
        draft: page.fm.draft,
        path: page
            .source
            .strip_prefix("content")
            .unwrap_or(&page.source)
            .to_string_lossy()
            .replace('\\', "/"),
        data: Some(&page.fm.data),
    };
    Value::from_serializable(&view)
}

#[derive(Serialize)]
pub(super) struct TagView<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

/// The values every template sees, built once: cloning a Tera value shares it.
/// One page of a tag's listing: its URL and the pages it shows.
pub(super) type TagChunk = (String, Vec<PageId>);

pub(super) struct Shared {
    pub(super) site: Value,
    pub(super) collections: Value,
    pub(super) tags: Value,
    pub(super) data: Value,
    /// Where each page sits in each collection, for `previous_item` / `next_item`.
    pub(super) positions: Value,
    /// Each paginated page's chunks and their URLs (`pagination.pages`, `.hrefs`), built once.
    pub(super) paged: HashMap<PageId, (Value, Value)>,
    /// Each tag's pages (`tag.pages`), built once for all the chunks of its page.
    pub(super) tag_pages: HashMap<String, Value>,
    /// Each tag page's chunks (URL and pages) and their URLs as a value (`pagination.hrefs`),
    /// worked out once rather than for every chunk of a tag with thousands of posts.
    pub(super) tag_chunks: HashMap<String, (Vec<TagChunk>, Value)>,
}

impl Shared {
    /// The values every page shares, with the paged lists of the pages and tags in `rendering`
    /// (a rebuild renders a few: their lists alone are built).
    pub(super) fn new(site: &Site, views: &Views, rendering: (&[PageId], &[&Tag])) -> Shared {
        let (pages, tags_rendered) = rendering;
        let collections: BTreeMap<String, Value> = site
            .collections
            .iter()
            .map(|(name, ids)| (name.clone(), ids_to_value(ids, views)))
            .collect();
        let tags: Vec<TagView> = site
            .tags
            .iter()
            .map(|t| TagView {
                name: &t.name,
                slug: &t.slug,
                url: &t.url,
                count: t.pages.len(),
            })
            .collect();
        let lists: Vec<Value> = collections.values().cloned().collect();
        let urls = views
            .url_positions
            .get_or_init(|| filters::url_positions(&lists));
        let positions = filters::with_positions(urls.clone(), lists);
        let paged = pages
            .iter()
            .filter_map(|id| site.paged.get_key_value(id))
            .map(|(&id, paged)| {
                let chunks = paged.chunks.iter().map(|c| items_value(c, views));
                let hrefs = paged.urls.iter().map(|u| Value::from(u.as_str()));
                let lists = (
                    Value::from(chunks.collect::<Vec<_>>()),
                    Value::from(hrefs.collect::<Vec<_>>()),
                );
                (id, lists)
            })
            .collect();
        Shared {
            site: Value::from_serializable(&site.config),
            collections: Value::from(collections),
            positions,
            tags: Value::from_serializable(&tags),
            data: Value::from_serializable(&site.data),
            paged,
            tag_pages: tags_rendered
                .iter()
                .map(|t| (t.slug.clone(), ids_to_value(&t.pages, views)))
                .collect(),
            tag_chunks: tags_rendered
                .iter()
                .map(|t| {
                    let chunks = site.tag_chunks(t);
                    let hrefs = chunks.iter().map(|(url, _)| Value::from(url.as_str()));
                    let hrefs = Value::from(hrefs.collect::<Vec<_>>());
                    (t.slug.clone(), (chunks, hrefs))
                })
                .collect(),
        }
    }

    /// The variables chunk `chunk` of paginated page `id` adds: Eleventy's `pagination`
    /// (`items`, `pageNumber`, `pages`, `hrefs`, `href.previous|next|first|last`) and the alias.
    pub(super) fn pagination(
        &self,
        id: PageId,
        chunk: usize,
        (paged, spec): (&Paged, &paginate::Spec),
        views: &Views,
    ) -> Vec<(String, Value)> {
        let (pages, hrefs) = self
            .paged
            .get(&id)
            .cloned()
            .unwrap_or_else(|| (Value::none(), Value::none()));
        let items = paged.chunks.get(chunk).map_or(&[][..], Vec::as_slice);
        let items = items_value(items, views);
        let mut map = pagination_map(items.clone(), chunk, &paged.urls);
        map.insert("pages".into(), pages);
        map.insert("hrefs".into(), hrefs);
        map.insert("size".into(), Value::from(spec.size));
        let mut vars = vec![("pagination".to_string(), Value::from(map))];
        if let Some(alias) = &spec.alias {
            let aliased = match spec.size {
                1 => items
                    .as_array()
                    .and_then(|v| v.first().cloned())
                    .unwrap_or(Value::none()),
                _ => items,
            };
            vars.push((alias.clone(), aliased));
        }
        vars
    }

    pub(super) fn context(&self, page: Value) -> Context {
        let mut cx = Context::new();
        cx.insert_value("site", self.site.clone());
        cx.insert_value("collections", self.collections.clone());
        cx.insert_value("tags", self.tags.clone());
        cx.insert_value("data", self.data.clone());
        cx.insert_value("page", page);
        cx.insert_value(filters::POSITIONS_VAR, self.positions.clone());
        cx
    }
}

/// Eleventy's `pagination` for chunk `chunk` of a list shown at `urls`, without `pages`.
pub(super) fn pagination_map(items: Value, chunk: usize, urls: &[impl AsRef<str>]) -> tera::Map {
    let href = |k: Option<usize>| {
        k.and_then(|k| urls.get(k))
            .map_or(Value::none(), |u| Value::from(u.as_ref()))
    };
    let links = PaginationHref {
        previous: href(chunk.checked_sub(1)),
        next: href(Some(chunk + 1)),
        first: href(Some(0)),
        last: href(Some(urls.len().saturating_sub(1))),
    };
    let mut map = tera::Map::new();
    map.insert("items".into(), items);
    map.insert("pageNumber".into(), Value::from(chunk));
    map.insert("href".into(), Value::from_serializable(&links));
    map
}

#[derive(Serialize)]
pub(super) struct PaginationHref {
    previous: Value,
    next: Value,
    first: Value,
    last: Value,
}

fn items_value(items: &[Item], views: &Views) -> Value {
    let values = items.iter().map(|item| match item {
        Item::Page(id) => views.pages[*id].clone(),
        Item::Value(json) => Value::from_serializable(json),
    });
    Value::from(values.collect::<Vec<Value>>())
}

pub(super) fn ids_to_value(ids: &[PageId], views: &Views) -> Value {
    Value::from(
        ids.iter()
            .map(|&id| views.pages[id].clone())
            .collect::<Vec<Value>>(),
    )
}

/// Every page as templates see it, indexed by [`PageId`]. The views hold each page's content
/// only when some template shows a page's content on another page (`p.content` in a listing):
/// otherwise a page's content stays packed in its [`Page`] until that page renders, and a
/// large site's HTML is never held unpacked all at once.
pub struct Views {
    pub(super) pages: Vec<Value>,
    /// Whether the views hold the content (see [`Layouts::show_others_content`]).
    ///
    /// [`Layouts::show_others_content`]: super::Layouts::show_others_content
    embedded: bool,
    /// Where each URL sits in the collections, for `previous_item` / `next_item`: worked out
    /// when first needed, and kept by a rebuild that moved no page (on a large site it costs
    /// more than rendering a page and its neighbours).
    url_positions: OnceLock<Value>,
}

impl Views {
    /// Each page's view; `embedded` puts its content in it.
    pub fn new(site: &Site, embedded: bool) -> Views {
        let mut views = Views::empty(embedded);
        for page in &site.pages {
            views.push(page);
        }
        views
    }

    /// No views yet, to [`push`](Views::push) or [`reuse`](Views::reuse) into in page order.
    pub fn empty(embedded: bool) -> Views {
        Views::from_values(Vec::new(), embedded)
    }

    /// Adds the next page's view.
    pub fn push(&mut self, page: &Page) {
        let view = self.view_of(page);
        self.pages.push(view);
    }

    /// Adds page `id` of `old` as it was, for a page that did not change.
    pub fn reuse(&mut self, old: &Views, id: PageId) {
        self.pages.push(old.pages[id].clone());
    }

    /// These views of `site`, holding every page's content or not (see [`Views::new`]).
    pub fn embedding(self, site: &Site, embedded: bool) -> Views {
        if embedded == self.embedded {
            return self;
        }
        Views::new(site, embedded)
    }

    /// Replaces page `id`'s view (its body rendered after the views were first built).
    pub fn replace(&mut self, id: PageId, page: &Page) {
        self.pages[id] = self.view_of(page);
        self.url_positions = OnceLock::new();
    }

    /// Page `page`'s view, holding its content or not as these views do.
    pub fn view_of(&self, page: &Page) -> Value {
        match self.embedded {
            true => page_view(page, Some(&page.markdown.html.html())),
            false => page_view(page, None),
        }
    }

    /// Whether the views hold the pages' content (see [`Views::new`]).
    pub fn embedded(&self) -> bool {
        self.embedded
    }

    /// How many pages the site has.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether the site has no page.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The view of page `id`, to reuse in a rebuild where the page did not change.
    pub fn get(&self, id: PageId) -> Value {
        self.pages[id].clone()
    }

    /// Sets page `id`'s URL in its view (a paginated page's is known after the views).
    pub fn set_url(&mut self, id: PageId, url: &str) {
        if let Some(view) = self.pages.get_mut(id) {
            *view = super::with_url(std::mem::replace(view, Value::none()), url);
        }
    }

    /// Views from already-built values, in page order; `embedded` as in [`Views::new`].
    pub fn from_values(pages: Vec<Value>, embedded: bool) -> Views {
        Views {
            pages,
            embedded,
            url_positions: OnceLock::new(),
        }
    }

    /// These views with the URL positions of `before`'s, when every page kept its URL and its
    /// place in every collection (the positions are then the same).
    pub fn keeping_positions_of(self, before: &Views) -> Views {
        if let Some(urls) = before.url_positions.get() {
            let _ = self.url_positions.set(urls.clone());
        }
        self
    }

    /// Page `id`'s view with its content and table of contents in it, to render `page`
    /// (page `id`) itself; and its content.
    pub(super) fn with_content(&self, id: PageId, page: &Page) -> (Value, Value) {
        let view = self.pages[id].clone();
        let content = match self.content_ref(id) {
            Some(content) if self.embedded => return (view, content.clone()),
            _ => Value::from(page.markdown.html.html()),
        };
        let mut map = view.into_map().unwrap_or_default();
        map.insert("content".into(), content.clone());
        let toc = Value::from_serializable(&page.markdown.toc);
        map.insert("toc".into(), toc);
        (Value::from(map), content)
    }

    fn content_ref(&self, id: PageId) -> Option<&Value> {
        self.pages[id]
            .as_map()?
            .get(&tera::value::Key::Str("content"))
    }
}
