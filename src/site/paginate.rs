//! Eleventy's pagination: one page file, several output pages, each showing a chunk of a list
//! (a collection, the collection names, or a list from data). Takes the `pagination:` front
//! matter and the assembled site; gives each paginated page its chunks and their URLs.

#![deny(clippy::indexing_slicing)]

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};
use yaml_serde::Value;

use crate::diag::Diagnostic;
use crate::frontmatter::{Layer, PermalinkSpec};
use crate::permalink;
use crate::site::{Page, PageId, Site};

/// `pagination:` as written in front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// `collections.post`, `collections` (one page per collection name), or a data key path
    /// (`data.authors`, or a key of the page's own front matter).
    pub data: String,
    /// Items per output page.
    pub size: usize,
    /// A name templates see the chunk under (its one item when `size` is 1).
    pub alias: Option<String>,
    /// Whether the list is reversed before it is cut into chunks.
    pub reverse: bool,
    /// Items to leave out (`filter: [all, post]` on tag pages).
    pub filter: Vec<String>,
    /// `generatePageOnEmptyData`: an empty list gives one empty page instead of none.
    pub on_empty: bool,
    /// The front matter line of `pagination:`, for messages.
    pub line: Option<usize>,
}

/// One item of a paginated list.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A page of a collection.
    Page(PageId),
    /// An entry of a data list, a key of a data map, or a collection's name.
    Value(Json),
}

/// A paginated page's output pages: chunk `k` is shown at `urls[k]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paged {
    /// The items each output page shows, in order.
    pub chunks: Vec<Vec<Item>>,
    /// Each output page's URL, in the same order.
    pub urls: Vec<String>,
}

/// Reads `pagination:` (a map with `data` and optional `size`, `alias`, `reverse`, `filter`).
pub fn spec(value: &Value, layer: &Layer, problems: &mut Vec<Diagnostic>) -> Option<Spec> {
    let line = layer.line_of("pagination");
    let bad = |what: &str| {
        Diagnostic::error(format!("`pagination` {what}"))
            .in_file(&layer.file)
            .at_line(line)
            .help("write e.g. `pagination: {data: collections.post, size: 10, alias: posts}`")
    };
    let Some(map) = value.as_mapping() else {
        problems.push(bad("must be a map"));
        return None;
    };
    let get = |key: &str| map.get(Value::String(key.into()));
    let Some(data) = get("data").and_then(Value::as_str) else {
        problems.push(bad("needs `data`: the list to split into pages"));
        return None;
    };
    let size = match get("size") {
        None => 1,
        Some(v) => match v.as_u64().filter(|&n| (1..=100_000).contains(&n)) {
            Some(n) => n as usize,
            None => {
                problems.push(bad("`size` must be a whole number from 1 to 100,000"));
                return None;
            }
        },
    };
    let filter = match get("filter") {
        None => Vec::new(),
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Sequence(items)) => items.iter().filter_map(text).collect(),
        Some(_) => {
            problems.push(bad(
                "`filter` must be a value or a list of values to leave out",
            ));
            return None;
        }
    };
    Some(Spec {
        data: data.to_string(),
        size,
        alias: get("alias").and_then(Value::as_str).map(str::to_string),
        reverse: get("reverse").and_then(Value::as_bool).unwrap_or(false),
        filter,
        on_empty: get("generatePageOnEmptyData")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        line,
    })
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Splits every paginated page of `site` into chunks and gives each its URL, then sets each
/// page's own URL to its first chunk's.
pub fn paginate(site: &mut Site, problems: &mut Vec<Diagnostic>) -> BTreeMap<PageId, Paged> {
    let mut all = BTreeMap::new();
    for id in 0..site.pages.len() {
        let Some(page) = site.pages.get(id) else {
            continue;
        };
        let Some(spec) = page.fm.pagination.clone() else {
            continue;
        };
        let at = |d: Diagnostic| d.in_file(&page.source).at_line(spec.line);
        let items = match items(&spec, page, site) {
            Ok(items) => items,
            Err(d) => {
                problems.push(at(d));
                continue;
            }
        };
        let chunks = chunk(items, spec.size, spec.on_empty);
        let urls = match urls(&spec, page, site, &chunks) {
            Ok(urls) => urls,
            Err(d) => {
                problems.push(at(d));
                continue;
            }
        };
        // An empty list gives no page (as in Eleventy), so nothing links to one.
        if let Some(page) = site.pages.get_mut(id) {
            std::sync::Arc::make_mut(page).url = urls.first().cloned();
        }
        all.insert(id, Paged { chunks, urls });
    }
    all
}

/// Pagination data that is not there, or not a list.
fn bad_data(spec: &Spec, what: &str) -> Diagnostic {
    Diagnostic::error(format!("pagination data `{}` is {what}", spec.data))
        .help("`pagination.data` names a list: `collections.post`, `collections`, `data.<file>.<key>`, a global data file or a front matter key")
}

/// The list `spec.data` names, filtered and in order.
fn items(spec: &Spec, page: &Page, site: &Site) -> Result<Vec<Item>, Diagnostic> {
    let mut items: Vec<Item> = if spec.data == "collections" {
        let names = site.collections.keys().map(|n| Json::String(n.clone()));
        names.map(Item::Value).collect()
    } else if let Some(name) = spec.data.strip_prefix("collections.") {
        let ids = site.collections.get(name).map_or(&[][..], Vec::as_slice);
        ids.iter().map(|&id| Item::Page(id)).collect()
    } else {
        let value = lookup(&spec.data, page, site).ok_or_else(|| bad_data(spec, "not defined"))?;
        match value {
            Json::Array(list) => list.into_iter().map(Item::Value).collect(),
            // Eleventy pages through an object's keys.
            Json::Object(map) => map
                .into_iter()
                .map(|(k, _)| Item::Value(k.into()))
                .collect(),
            _ => return Err(bad_data(spec, "not a list")),
        }
    };
    items.retain(|item| match item {
        Item::Value(v) => !spec.filter.iter().any(|f| v.as_str() == Some(f.as_str())),
        Item::Page(_) => true,
    });
    if spec.reverse {
        items.reverse();
    }
    Ok(items)
}

/// A dotted key path in global data (`data.x.y`) or the page's own data (`x.y`), which in
/// Eleventy also holds the global data files: `newsletterPosts` names `_data/newsletterPosts.json`
/// when the page has no such key.
fn lookup(path: &str, page: &Page, site: &Site) -> Option<Json> {
    let walk = |root: Json, rest: &str| {
        rest.split('.')
            .try_fold(root, |value, key| value.get(key).cloned())
    };
    let global = || {
        walk(
            serde_json::to_value(&site.data).ok()?,
            path.strip_prefix("data.").unwrap_or(path),
        )
    };
    if path.starts_with("data.") {
        return global();
    }
    walk(serde_json::to_value(&page.fm.data).ok()?, path).or_else(global)
}

/// Chunks of `size`. A list with no items gives no chunk, as in Eleventy, unless `on_empty`
/// (`generatePageOnEmptyData: true`) asks for one empty page: a home page that lists posts
/// exists before the first post does.
fn chunk(items: Vec<Item>, size: usize, on_empty: bool) -> Vec<Vec<Item>> {
    if items.is_empty() {
        return if on_empty {
            vec![Vec::new()]
        } else {
            Vec::new()
        };
    }
    items.chunks(size).map(<[Item]>::to_vec).collect()
}

/// Each chunk's URL: the permalink template rendered with `pagination.pageNumber` and the
/// alias, or for a plain permalink (or none) the page's URL with `N/` added from the second
/// chunk on (`/blog/`, `/blog/1/`, `/blog/2/`, as Eleventy numbers them).
fn urls(
    spec: &Spec,
    page: &Page,
    site: &Site,
    chunks: &[Vec<Item>],
) -> Result<Vec<String>, Diagnostic> {
    let written = match &page.fm.permalink {
        PermalinkSpec::Url(p) if permalink::is_template(p) => Some(p),
        _ => None,
    };
    let Some(template) = written else {
        let base = page.url.clone().unwrap_or_default();
        let base = base.trim_end_matches("index.html");
        let numbered = |k: usize| match k {
            0 => base.to_string(),
            _ => format!("{}/{k}/", base.trim_end_matches('/')),
        };
        return Ok((0..chunks.len()).map(numbered).collect());
    };
    // Building the alias's items (title, URL and data of each page) for every chunk costs more
    // than the rest of paginating a long list: only a permalink that names it gets it. A
    // template can reach a variable only by its name, or through the dump of every variable.
    let alias = (spec.alias.as_ref())
        .filter(|alias| template.contains(alias.as_str()) || template.contains("__tera_context"));
    // Compiled once: a list of 10,000 posts ten a page has 1,000 chunks.
    let template = permalink::Template::new(template, &site.config)?;
    let mut vars = permalink::page_vars(&page.fm, &page.source);
    chunks
        .iter()
        .enumerate()
        .map(|(k, chunk)| {
            if let Some(map) = vars.as_object_mut() {
                map.insert("pagination".into(), json!({ "pageNumber": k }));
                if let Some(alias) = alias {
                    map.insert(alias.clone(), alias_value(chunk, spec.size, site));
                }
            }
            let url = template.render(&vars)?;
            let url = permalink::normalise(&url)?;
            Ok(permalink::encode_path(&url))
        })
        .collect()
}

/// What the alias names in a permalink: the one item when `size` is 1, else the chunk.
fn alias_value(chunk: &[Item], size: usize, site: &Site) -> Json {
    let json = |item: &Item| match item {
        Item::Value(v) => v.clone(),
        Item::Page(id) => match site.pages.get(*id) {
            Some(page) => json!({ "title": page.fm.title, "url": page.url, "data": page.fm.data }),
            // Items come from the site's own collections, so every id names a page.
            None => Json::Null,
        },
    };
    if size == 1 {
        chunk.first().map_or(Json::Null, json)
    } else {
        chunk.iter().map(json).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize) -> Vec<Item> {
        (0..n).map(|i| Item::Value(i.into())).collect()
    }

    #[test]
    fn a_list_is_cut_into_chunks_of_size_with_the_rest_last() {
        let chunks = chunk(values(25), 10, false);
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        assert_eq!(sizes, [10, 10, 5]);
        assert_eq!(chunks[2][0], Item::Value(20.into()));
    }

    #[test]
    fn an_empty_list_gives_a_page_only_when_asked() {
        assert_eq!(chunk(Vec::new(), 10, false), Vec::<Vec<Item>>::new());
        assert_eq!(chunk(Vec::new(), 10, true), vec![Vec::<Item>::new()]);
    }
}
