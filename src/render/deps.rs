//! Dependencies for incremental rebuilds: what each template reads from the whole site, and
//! the pure planning function that decides which pages a change must re-render.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What a template, with every template it extends, includes or imports, reads beyond its own page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteUse {
    /// Collections read in full (a listing), by name.
    pub collections: BTreeSet<String>,
    /// `collections` used in a way we cannot name (`collections[name]`, a loop over all).
    pub every_collection: bool,
    /// Collections read only through `previous_item` / `next_item`: only neighbours matter.
    pub neighbours: BTreeSet<String>,
    /// The `tags` variable (every tag with its count).
    pub tags: bool,
    /// The `data` variable (top-level data files).
    pub data: bool,
    /// Every attribute name read anywhere (`p.title` → `title`), and every part of every
    /// string in code (`sort(attribute="data.order")` → `data`, `order`): what a listing can
    /// show of the pages it lists, or order them by.
    pub fields: BTreeSet<String>,
    /// A whole value is used in a way that may show any field: passed to a filter that reads
    /// more than the value's text (`json_encode`, an unknown filter) or looped over as a map.
    pub every_field: bool,
}

impl SiteUse {
    /// Adds what `other` reads (a template this one pulls in) to this use.
    pub fn merge(&mut self, other: &SiteUse) {
        self.collections.extend(other.collections.iter().cloned());
        self.every_collection |= other.every_collection;
        self.neighbours.extend(other.neighbours.iter().cloned());
        self.tags |= other.tags;
        self.data |= other.data;
        self.fields.extend(other.fields.iter().cloned());
        self.every_field |= other.every_field;
    }

    /// Whether a listing with this use shows any of `fields`.
    fn shows_any(&self, fields: &BTreeSet<String>) -> bool {
        (self.every_field && !fields.is_empty()) || self.fields.iter().any(|f| fields.contains(f))
    }

    fn reads_collection(&self, name: &str) -> bool {
        self.every_collection || self.collections.contains(name)
    }
}

/// One template's own use of the site and the templates it pulls in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateScan {
    /// What the template itself reads of the site.
    pub uses: SiteUse,
    /// Names in `{% extends %}`, `{% include %}` and `{% import %}`.
    pub pulls: BTreeSet<String>,
    /// One of those names is not a plain string (a list, a variable): it may pull in any template.
    pub pulls_unknown: bool,
}

/// Filters that read nothing of a value but what they are given as text, a number or a list
/// (neighbours find pages by `url`, which the scan records): a page passed to any other filter
/// may show every field.
const FIELD_BLIND_FILTERS: &[&str] = &[
    "safe",
    "escape",
    "escape_xml",
    "date",
    "upper",
    "lower",
    "capitalize",
    "title",
    "trim",
    "trim_start",
    "trim_end",
    "truncate",
    "striptags",
    "length",
    "first",
    "last",
    "nth",
    "reverse",
    "slice",
    "default",
    "abs",
    "round",
    "int",
    "float",
    "str",
    "wordcount",
    "replace",
    "urlencode",
    "urlencode_strict",
    "slugify",
    "slug",
    "absolute_url",
    "tag_url",
    "previous_item",
    "next_item",
    "split",
    "linebreaksbr",
    "indent",
    "spaceless",
    "pluralize",
    "join",
    "concat",
    "filesizeformat",
    "as_str",
];

/// Filters that look into the pages they get through an `attribute=`/`key=` string (counted as
/// fields); without one, they compare or show whole values.
const ATTRIBUTE_FILTERS: &[&str] = &["sort", "group_by", "map", "filter", "unique", "get"];

/// Scans a Tera template's tags (`{{ … }}`, `{% … %}`) for site-wide variables. A scan, not a
/// parse, conservative by construction: every string in code counts as a field name, and a
/// whole value given to a filter it cannot vouch for counts as every field. It errs towards
/// reporting a use, which costs a re-render, never a stale page.
pub fn scan(source: &str) -> TemplateScan {
    let mut out = TemplateScan::default();
    for (printed, code) in code_regions(source) {
        if printed {
            scan_printed_value(code, &mut out.uses);
        }
        let trimmed = code.trim_start();
        for keyword in ["extends", "include", "import"] {
            if let Some(rest) = trimmed.strip_prefix(keyword) {
                match quoted(rest.trim_start()) {
                    Some(name) => {
                        out.pulls.insert(name);
                    }
                    None => out.pulls_unknown = true,
                }
            }
        }
        scan_identifiers(code, &mut out.uses);
    }
    out
}

/// The text inside `{{ }}` (printed: `true`) and `{% %}`; comments and plain text are skipped.
fn code_regions(source: &str) -> Vec<(bool, &str)> {
    let mut regions = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let body = &after[1..];
        let end = body.find(close).unwrap_or(body.len());
        regions.push((close == "}}", &body[..end]));
        rest = &body[(end + close.len()).min(body.len())..];
    }
    regions
}

fn quoted(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &text[1..];
    Some(inner[..inner.find(quote)?].to_string())
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every string literal in `code`, in either quote.
fn strings(code: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = &rest[start..start + 1];
        let inner = &rest[start + 1..];
        let Some(end) = inner.find(quote) else { break };
        found.push(&inner[..end]);
        rest = &inner[end + 1..];
    }
    found
}

/// Marks `every_field` for whole values given to a filter the scan cannot vouch for, and for
/// loops over a map's keys and values (`for k, v in page`).
fn scan_whole_values(code: &str, uses: &mut SiteUse) {
    let trimmed = code.trim_start();
    if let Some(head) = trimmed.strip_prefix("for ")
        && head
            .split(" in ")
            .next()
            .is_some_and(|vars| vars.contains(','))
    {
        uses.every_field = true;
    }
    for (at, _) in code.match_indices('|') {
        let after = code[at + 1..].trim_start();
        if after.starts_with('|') || code[..at].ends_with('|') {
            continue; // `||` is "or", not a filter
        }
        let end = after.find(|c: char| !is_ident(c)).unwrap_or(after.len());
        let name = &after[..end];
        if name.is_empty() || FIELD_BLIND_FILTERS.contains(&name) {
            continue;
        }
        let call = &after[end..];
        let call = &call[..call.find('|').unwrap_or(call.len())];
        let keyed = call.contains("attribute") || call.contains("key");
        if !(ATTRIBUTE_FILTERS.contains(&name) && keyed) {
            uses.every_field = true;
        }
    }
}

/// Words that name no page when printed whole: text, literals and operators.
const NEVER_PAGES: &[&str] = &[
    "content", "true", "false", "none", "not", "and", "or", "in", "is", "if", "else",
];

/// Filters that print what they are given as it is, or a part of it.
const PASS_THROUGH_FILTERS: &[&str] = &[
    "safe",
    "str",
    "as_str",
    "escape",
    "escape_xml",
    "default",
    "first",
    "last",
    "nth",
    "reverse",
    "sort",
    "unique",
    "join",
    "concat",
];

/// Marks `every_field` for a `{{ … }}` that prints a value whole (`{{ p }}`, `{{ p | str }}`,
/// `{{ collections.post }}`, `{{ tag.pages }}`): a page printed whole shows every field. A
/// path to a field (`p.title`) shows that field, which the scan records; a filter such as
/// `length` or `date` prints no page.
fn scan_printed_value(code: &str, uses: &mut SiteUse) {
    let blank = without_strings(code);
    let mut parts = blank.split('|');
    // Arguments (`get(key="x")`) are read, not printed: blank them out.
    let mut depth = 0;
    let head: String = (parts.next().unwrap_or_default().chars())
        .map(|c| {
            depth += i32::from(c == '(') - i32::from(c == ')');
            if depth > 0 && c != '(' { ' ' } else { c }
        })
        .collect();
    let head = head.as_str();
    let name = |f: &str| {
        f.trim_start()
            .split(['(', ' '])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    if !parts.all(|f| PASS_THROUGH_FILTERS.contains(&name(f).as_str())) {
        return;
    }
    let whole = head
        .split(|c: char| c.is_whitespace() || "+-*/%~(),=<>!".contains(c))
        .any(|path| {
            // `get(key="x")` calls a function: what it gives is not a page.
            let end = path.as_ptr() as usize - head.as_ptr() as usize + path.len();
            if head[end..].starts_with('(') {
                return false;
            }
            let segments: Vec<&str> = path.split(['.', '[']).collect();
            let root = segments[0];
            let last = segments[segments.len() - 1];
            root.starts_with(|c: char| c.is_alphabetic() || c == '_')
                && !NEVER_PAGES.contains(&root)
                && (segments.len() == 1
                    || root == "collections"
                    || ["pages", "items"].contains(&last))
        });
    uses.every_field |= whole;
}

fn scan_identifiers(code: &str, uses: &mut SiteUse) {
    // `p["title"]`, `sort(attribute="data.order")`, `get(key="x")`: any string may name a field.
    for text in strings(code) {
        uses.fields.extend(
            text.split('.')
                .filter(|part| !part.is_empty())
                .map(str::to_string),
        );
    }
    scan_whole_values(code, uses);
    let blank = without_strings(code);
    let mut i = 0;
    while i < blank.len() {
        let Some(c) = blank[i..].chars().next() else {
            break;
        };
        if !is_ident(c) {
            i += c.len_utf8();
            continue;
        }
        let end = blank[i..]
            .find(|c: char| !is_ident(c))
            .map_or(blank.len(), |n| i + n);
        let word = &blank[i..end];
        // `page.tags` or `site.data` are attributes, not the site-wide variables.
        let attribute = blank[..i].trim_end().ends_with('.');
        if attribute {
            uses.fields.insert(word.to_string());
        } else {
            match word {
                "tags" => uses.tags = true,
                "data" => uses.data = true,
                "collections" => collection_use(&code[end..], uses),
                _ => {}
            }
        }
        i = end;
    }
}

/// `code` with the inside of its strings blanked out (byte for byte, so positions still match),
/// so words in them are not read as variables.
fn without_strings(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut quote: Option<char> = None;
    for c in code.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some(_) => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// Reads what follows `collections`: `.name` or `["name"]`, then perhaps a neighbour filter.
fn collection_use(after: &str, uses: &mut SiteUse) {
    let (name, rest) = if let Some(rest) = after.strip_prefix('.') {
        let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        (Some(rest[..end].to_string()), &rest[end..])
    } else if let Some(rest) = after.strip_prefix('[') {
        match quoted(rest.trim_start()) {
            Some(name) => {
                let close = rest.find(']').map_or(rest.len(), |n| n + 1);
                (Some(name), &rest[close..])
            }
            None => (None, rest),
        }
    } else {
        (None, after)
    };
    let Some(name) = name else {
        uses.every_collection = true;
        return;
    };
    let rest = rest.trim_start();
    // `collections.post is defined` asks only whether the tag exists, which changes only with
    // the set of tags (`all` exists whenever any page does, so it stays a full read).
    let existence = ["is defined", "is undefined", "is not defined"];
    if name != "all" && existence.iter().any(|test| rest.starts_with(test)) {
        uses.tags = true;
        return;
    }
    let filter = rest.strip_prefix('|').map(str::trim_start);
    if filter.is_some_and(|f| f.starts_with("previous_item") || f.starts_with("next_item")) {
        // The filters find the page by its URL.
        uses.fields.insert("url".to_string());
        uses.neighbours.insert(name);
    } else {
        uses.collections.insert(name);
    }
}

/// Every template's closure: its own use merged with everything it pulls in.
pub fn closures(
    scans: &BTreeMap<String, TemplateScan>,
) -> BTreeMap<String, (SiteUse, BTreeSet<String>)> {
    scans
        .keys()
        .map(|name| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![name.clone()];
            let mut uses = SiteUse::default();
            while let Some(n) = stack.pop() {
                if !seen.insert(n.clone()) {
                    continue;
                }
                if let Some(scan) = scans.get(&n) {
                    uses.merge(&scan.uses);
                    stack.extend(scan.pulls.iter().cloned());
                    // A name we cannot read: count every template as pulled in.
                    if scan.pulls_unknown {
                        stack.extend(scans.keys().cloned());
                    }
                }
            }
            (name.clone(), (uses, seen))
        })
        .collect()
}

/// A page's source path as text: cheap to clone and to compare, which matters on a site of
/// ten thousand pages.
pub type Source = Arc<str>;

/// The parts of a page that other pages can show: where it is and which lists hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageShape {
    /// The page's URL; none for `permalink: false`.
    pub url: Option<String>,
    /// The tags the page is listed under.
    pub tags: Vec<String>,
    /// Whether the page is in any collection (not `eleventyExcludeFromCollections: true`).
    pub listed: bool,
}

/// The site's pages and lists, keyed by source path, so two builds can be compared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// In the site's page order.
    pub pages: Vec<(Source, PageShape)>,
    /// Collection name → members in order.
    pub collections: BTreeMap<String, Vec<Source>>,
    /// Tag slug → members in order.
    pub tags: BTreeMap<String, Vec<Source>>,
    /// Tag slug → the name shown for it.
    pub tag_names: BTreeMap<String, String>,
}

impl Shape {
    fn page(&self, source: &str) -> Option<&PageShape> {
        self.pages
            .iter()
            .find(|(s, _)| &**s == source)
            .map(|(_, p)| p)
    }
}

/// How the changed pages changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit {
    /// Pages were added, removed, moved or retagged, or their order changed: every list that
    /// holds them is affected, whatever it shows.
    pub structural: bool,
    /// The fields of the changed pages' views that differ (`content`, `title`…).
    pub fields: BTreeSet<String>,
}

/// What must be rendered again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderSet {
    /// Pages, by source path.
    pub pages: BTreeSet<Source>,
    /// Tag slugs.
    pub tags: BTreeSet<String>,
}

/// The pages and tag pages that show any of `changed` (pages whose own content or metadata
/// changed, or that were added or removed), given what each page's templates read.
/// `uses[i]` is the closure of the templates of the `i`th page of `new.pages`;
/// `tag_use` is `layouts/tag.html`'s.
pub fn plan(
    old: &Shape,
    new: &Shape,
    changed: &BTreeSet<Source>,
    uses: &[Option<&SiteUse>],
    tag_use: &SiteUse,
    edit: &Edit,
) -> RenderSet {
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    for source in changed {
        for shape in [old.page(source), new.page(source)].into_iter().flatten() {
            if shape.listed {
                touched.insert("all");
                touched.extend(shape.tags.iter().map(String::as_str));
            }
        }
    }
    let tags_changed = tag_counts(old) != tag_counts(new) || old.tag_names != new.tag_names;
    let neighbours = neighbours_of(old, new, changed, &touched);
    let mut set = RenderSet::default();
    debug_assert_eq!(
        new.pages.len(),
        uses.len(),
        "one use per page, in the same order"
    );
    for ((source, _), uses) in new.pages.iter().zip(uses) {
        let Some(uses) = uses else {
            continue;
        };
        // Without a structural change, a list shows the edit only if it shows a changed field.
        let shows_edit = edit.structural || uses.shows_any(&edit.fields);
        let shows_change = changed.contains(source)
            || (shows_edit && touched.iter().any(|c| uses.reads_collection(c)))
            || (uses.tags && tags_changed)
            || (shows_edit
                && neighbours
                    .iter()
                    .any(|(c, n)| *n == source && uses.neighbours.contains(*c)));
        if shows_change {
            set.pages.insert(source.clone());
        }
    }
    let tag_pages_show_edit = edit.structural || tag_use.shows_any(&edit.fields);
    for (slug, members) in &new.tags {
        let reads_touched = touched
            .iter()
            .any(|c| tag_use.reads_collection(c) || tag_use.neighbours.contains(*c));
        let shows_change = old.tags.get(slug) != Some(members)
            || old.tag_names.get(slug) != new.tag_names.get(slug)
            || (tag_pages_show_edit
                && (members.iter().any(|m| changed.contains(m)) || reads_touched))
            || (tag_use.tags && tags_changed);
        if shows_change {
            set.tags.insert(slug.clone());
        }
    }
    set
}

fn tag_counts(shape: &Shape) -> BTreeMap<&str, usize> {
    shape
        .tags
        .iter()
        .map(|(slug, members)| (slug.as_str(), members.len()))
        .collect()
}

/// (collection, page) pairs: pages next to a changed page, before or after the change.
fn neighbours_of<'a>(
    old: &'a Shape,
    new: &'a Shape,
    changed: &BTreeSet<Source>,
    touched: &BTreeSet<&'a str>,
) -> Vec<(&'a str, &'a Source)> {
    let mut found = Vec::new();
    for shape in [old, new] {
        for (name, members) in &shape.collections {
            if !touched.contains(name.as_str()) {
                continue;
            }
            for (i, member) in members.iter().enumerate() {
                if !changed.contains(member) {
                    continue;
                }
                for j in [i.wrapping_sub(1), i + 1] {
                    if let Some(n) = members.get(j) {
                        found.push((name.as_str(), n));
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
