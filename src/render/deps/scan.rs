//! The template scanner: finds, in a Tera template's text, the site-wide variables it reads,
//! the page fields it can show and the templates it pulls in. A scan of the text rather than of
//! Tera's parse tree, so it is kept apart from the planning it feeds and can err, in one place,
//! towards reporting a use.

use super::{SiteUse, TemplateScan};

mod text;

use text::{code_regions, is_ident, quoted, strings, without_strings};

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

/// Records what the variables and strings in `code` read: fields, `tags`, `data`, collections.
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
