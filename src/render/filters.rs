//! Template helpers: dates, absolute URLs, slugs, tag URLs, and neighbours within a collection.

use std::collections::HashMap;

use tera::value::Key;
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::SiteConfig;
use crate::permalink::slugify;
use crate::site::Site;

/// Registers breakeven's filters on `tera`.
pub fn register(tera: &mut Tera, config: &SiteConfig) {
    tera.register_filter("date", date);
    let base = config.clone();
    tera.register_filter("absolute_url", move |path: &str, _: Kwargs, _: &State| {
        base.absolute(path)
    });
    tera.register_filter("slugify", |text: &str, _: Kwargs, _: &State| slugify(text));
    // Eleventy's older slug filter, for ported templates (its `slugify` is breakeven's here:
    // it gives tag pages' slugs).
    tera.register_filter("slug", |text: &str, _: Kwargs, _: &State| {
        crate::slugs::eleventy_slug(text)
    });
    tera.register_filter("tag_url", |tag: &str, _: Kwargs, _: &State| {
        Site::tag_url(&Site::tag_slug(tag))
    });
    // Nunjucks' `dump`, under the name Tera 1 had for it, for ported templates.
    for name in ["json_encode", "dump"] {
        tera.register_filter(name, json_encode);
    }
    tera.register_filter(
        "previous_item",
        |items: &[Value], kwargs: Kwargs, state: &State| neighbour(items, &kwargs, state, -1),
    );
    tera.register_filter(
        "next_item",
        |items: &[Value], kwargs: Kwargs, state: &State| neighbour(items, &kwargs, state, 1),
    );
}

/// `{{ page.date | date(format="%B %-d, %Y") }}`: strftime on an RFC 3339 time or a `YYYY-MM-DD` date.
fn date(input: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let ts = crate::frontmatter::parse_date(input)
        .ok_or_else(|| tera::Error::message(format!("`date` filter: `{input}` is not a date")))?;
    jiff::fmt::strtime::format(format, ts)
        .map_err(|e| tera::Error::message(format!("`date` filter: bad format `{format}`: {e}")))
}

/// `{{ value | json_encode }}`: the value as JSON text (escaped in HTML unless `| safe`), with
/// keys sorted: Tera's maps have no order, and a page must come out the same on every build.
fn json_encode(value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
    let sorted = serde_json::to_value(value).map(sort_keys);
    sorted
        .and_then(|v| serde_json::to_string(&v))
        .map_err(|e| tera::Error::message(format!("`json_encode`: {e}")))
}

fn sort_keys(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sort_keys(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sort_keys).collect())
        }
        other => other,
    }
}

/// The context variable holding [`positions`]: not meant for templates, hence the odd name.
pub const POSITIONS_VAR: &str = "__breakeven_positions";

/// The site's collections (each a list of page views) with, for every URL, each index at which
/// it sits in one of them. With it `previous_item` / `next_item` check a few candidate indexes
/// instead of scanning the list: a scan on every page made a blog with neighbour links
/// quadratic in its number of posts.
pub fn positions(lists: Vec<Value>) -> Value {
    with_positions(url_positions(&lists), lists)
}

/// The part of [`positions`] that depends on the URLs alone: for every URL, each index at
/// which it sits in one of `lists`. A rebuild that moved no page keeps it.
pub fn url_positions(lists: &[Value]) -> Value {
    let mut by_url: HashMap<String, Vec<usize>> = HashMap::new();
    for list in lists {
        for (index, url) in list.as_array().unwrap_or_default().iter().enumerate() {
            if let Some(url) = item_url(url) {
                let at = by_url.entry(url.to_string()).or_default();
                if !at.contains(&index) {
                    at.push(index);
                }
            }
        }
    }
    let urls: tera::Map = by_url
        .into_iter()
        .map(|(url, at)| (Key::String(url.into()), Value::from(at)))
        .collect();
    Value::from(urls)
}

/// The [`positions`] index from URL positions worked out before, over these very `lists`.
pub fn with_positions(urls: Value, lists: Vec<Value>) -> Value {
    let mut out = tera::Map::new();
    out.insert(Key::Str("urls"), urls);
    out.insert(Key::Str("lists"), Value::from(lists));
    Value::from(out)
}

/// Where `url` sits in `items`: from the [`positions`] index when it knows, else by a scan.
fn position_of(items: &[Value], url: &str, state: &State) -> TeraResult<Option<usize>> {
    let known = state
        .get::<Value>(POSITIONS_VAR)?
        .and_then(|index| indexed_position(&index, items, url));
    Ok(known.unwrap_or_else(|| scan(items, url)))
}

/// What the [`positions`] index says of `url` in `items`: `Some(Some(i))` found, `Some(None)`
/// absent, `None` when it cannot tell. A candidate index counts only when the item there has
/// that URL, so the answer holds for any list (URLs are unique within a site). A URL at none
/// of them is known to be absent only when `items` is one of the site's own collections (the
/// very same shared list); of any other list (`reverse`, a filtered copy) it cannot tell.
fn indexed_position(index: &Value, items: &[Value], url: &str) -> Option<Option<usize>> {
    let index = index.as_map()?;
    let candidates = index
        .get(&Key::Str("urls"))
        .and_then(Value::as_map)
        .and_then(|urls| urls.get(&Key::Str(url)))
        .and_then(Value::as_array)
        .unwrap_or_default();
    let found = candidates
        .iter()
        .filter_map(|i| usize::try_from(i.as_i64()?).ok())
        .find(|&i| items.get(i).and_then(item_url) == Some(url));
    if found.is_some() {
        return Some(found);
    }
    let is_collection = index
        .get(&Key::Str("lists"))
        .and_then(Value::as_array)?
        .iter()
        .filter_map(Value::as_array)
        .any(|list| std::ptr::eq(list, items));
    is_collection.then_some(None)
}

fn scan(items: &[Value], url: &str) -> Option<usize> {
    items.iter().position(|item| item_url(item) == Some(url))
}

/// The item before (`step = -1`) or after (`1`) the one whose `url` is given, or none.
fn neighbour(items: &[Value], kwargs: &Kwargs, state: &State, step: isize) -> TeraResult<Value> {
    let url: &str = kwargs.must_get("url")?;
    let found = position_of(items, url, state)?
        .and_then(|i| i.checked_add_signed(step))
        .and_then(|i| items.get(i))
        .cloned();
    Ok(found.unwrap_or(Value::none()))
}

fn item_url(item: &Value) -> Option<&str> {
    item.as_map()?.get(&Key::Str("url"))?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(url: &str) -> Value {
        let mut map = tera::Map::new();
        map.insert(Key::Str("url"), Value::from(url));
        Value::from(map)
    }

    fn list(urls: &[&str]) -> Value {
        Value::from(urls.iter().map(|u| item(u)).collect::<Vec<_>>())
    }

    #[test]
    fn the_index_finds_a_page_in_each_of_its_collections() {
        let (x, y) = (list(&["/a/", "/b/"]), list(&["/b/", "/c/"]));
        let index = positions(vec![x.clone(), y.clone()]);
        let (x, y) = (x.as_array().unwrap(), y.as_array().unwrap());
        assert_eq!(indexed_position(&index, x, "/b/"), Some(Some(1)));
        assert_eq!(indexed_position(&index, y, "/b/"), Some(Some(0)));
        assert_eq!(indexed_position(&index, y, "/c/"), Some(Some(1)));
    }

    #[test]
    fn a_page_outside_a_collection_is_known_absent_without_a_scan() {
        let x = list(&["/a/", "/b/"]);
        let index = positions(vec![x.clone(), list(&["/c/"])]);
        let x = x.as_array().unwrap();
        assert_eq!(indexed_position(&index, x, "/c/"), Some(None));
        assert_eq!(indexed_position(&index, x, "/nowhere/"), Some(None));
    }

    #[test]
    fn other_lists_are_answered_only_where_the_index_is_checked() {
        let x = list(&["/a/", "/b/", "/c/"]);
        let index = positions(vec![x.clone()]);
        // Equal to a collection but another list (a copy the template made): the index cannot
        // say a URL is absent from it, and a candidate is used only where it checks out.
        let reversed = list(&["/c/", "/b/", "/a/"]);
        let reversed = reversed.as_array().unwrap();
        assert_eq!(indexed_position(&index, reversed, "/b/"), Some(Some(1)));
        assert_eq!(indexed_position(&index, reversed, "/a/"), None);
        assert_eq!(indexed_position(&index, reversed, "/nowhere/"), None);
        assert_eq!(scan(reversed, "/a/"), Some(2));
    }
}
