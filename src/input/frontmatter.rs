//! Front matter: splits a page into its YAML block and body, and resolves the YAML (with folder
//! defaults from `_dir.yaml`) into typed, Eleventy-compatible fields. YAML parsing lives here and
//! in `data.rs` only.
//!
//! This file holds the resolved model and how layers merge into it; `split` finds the block,
//! `layer` parses one file's mapping, `values` reads each key into its type.

#![deny(clippy::indexing_slicing)]

mod layer;
mod split;
mod values;

pub use layer::Layer;
pub use split::{Split, is_draft, split};
pub use values::parse_date;

use std::collections::HashMap;

use jiff::Timestamp;
use yaml_serde::{Mapping, Value};

use crate::diag::{Diagnostic, did_you_mean};
use values::{boolean, excluded, file_date, permalink, read_tags, string, timestamp};

/// Keys with a meaning of their own; any other key is data for the templates.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "pagination",
    "date",
    "updated",
    "description",
    "draft",
    "layout",
    "tags",
    "permalink",
    "eleventyExcludeFromCollections",
    "scenarios",
    "eleventyComputed",
];

/// Where a page's URL comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermalinkSpec {
    /// From the file's path.
    Default,
    /// `permalink: false`: the page is in collections but renders nothing.
    Off,
    /// `permalink: /some/url/`: the URL as written.
    Url(String),
}

/// Which collections a page stays out of (`eleventyExcludeFromCollections`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Excluded {
    /// In every collection its tags name, and in `collections.all`.
    #[default]
    Nowhere,
    /// `true`: in no collection.
    Everywhere,
    /// A tag or a list of tags (Eleventy 3): out of those collections only (`all` included).
    From(Vec<String>),
}

impl Excluded {
    /// Whether the page is left out of the collection `name`.
    pub fn from(&self, name: &str) -> bool {
        match self {
            Excluded::Nowhere => false,
            Excluded::Everywhere => true,
            Excluded::From(names) => names.iter().any(|n| n == name),
        }
    }
}

/// A date Eleventy takes from the file rather than from the front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileDate {
    /// `date: Last Modified` (or `git Last Modified`).
    LastModified,
    /// `date: Created` (or `git Created`).
    Created,
}

/// Front matter with defaults applied and every known key typed.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// The page's title, as lists, the feed and its layout show it.
    pub title: String,
    /// When the post was published (orders posts, newest first); none for undated pages.
    pub date: Option<Timestamp>,
    /// When the post last changed (the feed's and the sitemap's date when set).
    pub updated: Option<Timestamp>,
    /// One-sentence summary for lists and the meta description.
    pub description: Option<String>,
    /// A draft is left out of the site unless the build runs with `--drafts`.
    pub draft: bool,
    /// The template in `layouts/` the page renders into (folder defaults and `site.yaml` apply).
    pub layout: Option<String>,
    /// Collections the page belongs to (`post` for blog posts), each with a tag page.
    pub tags: Vec<String>,
    /// Where the page is written.
    pub permalink: PermalinkSpec,
    /// Collections the page stays out of.
    pub exclude_from_collections: Excluded,
    /// `date: Last Modified` / `Created`: the date comes from the file's history.
    pub file_date: Option<FileDate>,
    /// The page's own figure scenarios, left as YAML for the figures module.
    pub scenarios: Option<Value>,
    /// Eleventy's `pagination:`: this page is shown in chunks, one output page each.
    pub pagination: Option<crate::paginate::Spec>,
    /// Every key, known or not, for templates (`page.data`).
    pub data: Mapping,
}

/// Resolves `layers` (folder defaults, outermost first, then the page) into typed front matter.
/// Tags are merged across layers; any other key is taken from the innermost layer that has it.
/// Problems go to `problems` (errors and warnings); on an error the front matter is still given,
/// with the bad keys left at their defaults, so the rest of the page can be checked too.
pub fn resolve(layers: &[Layer], problems: &mut Vec<Diagnostic>) -> Option<FrontMatter> {
    // The page's own front matter: the last layer written in a file.
    let page = layers.iter().rev().find(|l| !l.computed)?;
    let mut merged: HashMap<String, (&Value, &Layer)> = HashMap::new();
    let mut data = Mapping::new();
    let mut tags = Vec::new();
    for layer in layers {
        for (key, value) in &layer.map {
            let Some(key) = key.as_str() else { continue };
            // Eleventy's `override:tags` replaces what outer layers gave instead of adding to it.
            let (key, replace) = match key.strip_prefix("override:") {
                Some(key) => (key, true),
                None => (key, false),
            };
            if key == "tags" {
                if replace {
                    tags.clear();
                }
                read_tags(value, layer, &mut tags, problems);
            }
            merged.insert(key.to_string(), (value, layer));
            data.insert(Value::String(key.to_string()), value.clone());
        }
    }
    warn_unknown_keys(page, problems);
    let get = |key: &str| merged.get(key).copied();
    let title = match get("title") {
        Some(v) => string(v, "title", problems),
        None => {
            // Eleventy builds such pages (404 pages, feeds); listings would show them blank.
            problems.push(
                Diagnostic::warning("no `title` in front matter: `page.title` is empty")
                    .in_file(&page.file)
                    .at(1, None)
                    .help("add a line such as `title: \"My post\"` to the front matter"),
            );
            None
        }
    };
    let fm = FrontMatter {
        title: title.unwrap_or_default(),
        date: get("date")
            .filter(|(v, _)| file_date(v).is_none())
            .and_then(|v| timestamp(v, "date", problems)),
        updated: get("updated").and_then(|v| timestamp(v, "updated", problems)),
        description: get("description").and_then(|v| string(v, "description", problems)),
        draft: get("draft").is_some_and(|v| boolean(v, "draft", problems)),
        layout: get("layout").and_then(|v| string(v, "layout", problems)),
        tags,
        permalink: get("permalink").map_or(PermalinkSpec::Default, |v| permalink(v, problems)),
        exclude_from_collections: get("eleventyExcludeFromCollections")
            .map_or(Excluded::Nowhere, |v| excluded(v, problems)),
        file_date: get("date").and_then(|(v, _)| file_date(v)),
        scenarios: get("scenarios").map(|(v, _)| v.clone()),
        pagination: get("pagination").and_then(|(v, l)| crate::paginate::spec(v, l, problems)),
        data,
    };
    Some(fm)
}

fn warn_unknown_keys(page: &Layer, problems: &mut Vec<Diagnostic>) {
    for key in page.map.keys().filter_map(Value::as_str) {
        if KNOWN_KEYS.contains(&key) {
            continue;
        }
        let at = |d: Diagnostic| d.in_file(&page.file).at_line(page.line_of(key));
        if let Some(known) = did_you_mean(key, KNOWN_KEYS) {
            problems.push(at(Diagnostic::warning(format!(
                "unknown key `{key}` in front matter"
            ))
            .help(format!("did you mean `{known}`?"))));
        }
    }
}

#[cfg(test)]
mod tests;
