//! Template helpers: dates, absolute URLs, slugs, tag URLs, and neighbours within a collection.

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
    tera.register_filter("tag_url", |tag: &str, _: Kwargs, _: &State| {
        Site::tag_url(&Site::tag_slug(tag))
    });
    tera.register_filter(
        "previous_item",
        |items: &[Value], kwargs: Kwargs, _: &State| neighbour(items, &kwargs, -1),
    );
    tera.register_filter("next_item", |items: &[Value], kwargs: Kwargs, _: &State| {
        neighbour(items, &kwargs, 1)
    });
}

/// `{{ page.date | date(format="%B %-d, %Y") }}`: strftime on an RFC 3339 time or a `YYYY-MM-DD` date.
fn date(input: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let ts = crate::frontmatter::parse_date(input)
        .ok_or_else(|| tera::Error::message(format!("`date` filter: `{input}` is not a date")))?;
    jiff::fmt::strtime::format(format, ts)
        .map_err(|e| tera::Error::message(format!("`date` filter: bad format `{format}`: {e}")))
}

/// The item before (`step = -1`) or after (`1`) the one whose `url` is given, or none.
fn neighbour(items: &[Value], kwargs: &Kwargs, step: isize) -> TeraResult<Value> {
    let url: &str = kwargs.must_get("url")?;
    let position = items.iter().position(|item| {
        item.as_map()
            .and_then(|m| m.get(&tera::value::Key::Str("url")))
            .and_then(Value::as_str)
            == Some(url)
    });
    let found = position
        .and_then(|i| i.checked_add_signed(step))
        .and_then(|i| items.get(i))
        .cloned();
    Ok(found.unwrap_or(Value::none()))
}
