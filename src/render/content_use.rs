//! Whether a template can show the content (or table of contents) of a page other than the one
//! it renders.
//!
//! Most layouts print only their own page's content (`page.content`, or `content` in a
//! layout) and `page.toc`, and then every other page's HTML can stay packed, and its table of
//! contents out of the template values, until that page renders (see `Views`).
//!
//! The scan is conservative: any other mention of `content` or `toc` inside a tag
//! (`p.content`, `attribute="content"`, `page["content"]`), a value that may be a page printed
//! whole (`{{ p }}`, `{{ p | json_encode }}`, `{{ collections.post }}`), a `for k, v` loop, the
//! whole context, or `page` / `content` / `toc` bound to something else counts as showing
//! other pages' content. Wrongly saying yes costs memory; wrongly saying no would drop content.

/// The fields a page's view holds only for its own render: its content and table of contents.
pub const OWN_FIELDS: [&str; 2] = ["content", "toc"];
/// The variable a layout gets its page's content in.
const CONTENT: &str = "content";

/// Whether the template `source` may show another page's content.
pub fn shows_others_content(source: &str) -> bool {
    if source.contains("__tera_context") {
        return true;
    }
    let mut own = vec!["page"];
    tags(source).any(|tag| {
        own.extend(bound_to_own_page(tag));
        rebinds_page_or_content(tag)
            || mentions_content_elsewhere(tag)
            || loops_over_a_map(tag)
            || prints_whole(tag, &own)
    })
}

/// The name a tag binds to a part of the page being rendered (`for t in page.tags`,
/// `set n = page.toc | length`): what it prints is not another page.
fn bound_to_own_page(tag: &str) -> Option<&str> {
    let tag = trim_control(tag);
    let (name, value) = if let Some(rest) = tag.strip_prefix("for ") {
        rest.split_once(" in ")?
    } else {
        let rest = tag.strip_prefix("set ")?;
        rest.split_once('=')?
    };
    let name = name.trim();
    let value = value.trim_start();
    let own = value.starts_with("page.") || value.starts_with("page |");
    (own && name.chars().all(is_name_char)).then_some(name)
}

/// `for k, v in x`: a page looped over as a map shows its content.
fn loops_over_a_map(tag: &str) -> bool {
    trim_control(tag)
        .strip_prefix("for ")
        .and_then(|rest| rest.split_once(" in "))
        .is_some_and(|(vars, _)| vars.contains(','))
}

/// A `{{ … }}` whose value, before any filter, may be a page other than the own one: a bare
/// name (`{{ p }}`), a list of pages (`collections.post`, `tag.pages`, `pagination.items`).
/// A field of one (`p.title`) is not a page; a function's result (`range(…)`) is not either.
fn prints_whole(tag: &str, own: &[&str]) -> bool {
    let Some(expr) = tag.strip_prefix('{') else {
        return false;
    };
    let mut parts = expr.split('|');
    let head = parts.next().unwrap_or_default();
    let filter_name = |f: &str| {
        f.trim_start()
            .split(['(', ' '])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    if parts.any(|f| GIVES_NO_PAGE.contains(&filter_name(f).as_str())) {
        return false;
    }
    let head = head.trim_matches(['-', ' ', '\t', '\n', '\r']);
    let mut tokens = head
        .split(|c: char| c.is_whitespace() || "+-*/%~,=<>!".contains(c))
        .filter(|t| !t.is_empty());
    tokens.any(|path| {
        let segments: Vec<&str> = path.split(['.', '[']).collect();
        let (root, last) = (segments.first(), segments.last());
        let root = root.copied().unwrap_or_default();
        let last = last.copied().unwrap_or_default();
        let literal = !root.starts_with(|c: char| c.is_alphabetic() || c == '_');
        let scalar_root = own.contains(&root)
            || [
                "content", "site", "data", "tags", "true", "false", "none", "not", "and", "or",
            ]
            .contains(&root)
            || ["in", "is", "if", "else"].contains(&root);
        !literal
            && !path.contains('(')
            && !scalar_root
            && (segments.len() == 1 || root == "collections" || ["pages", "items"].contains(&last))
    })
}

/// Filters whose result is no page (a number, a text, a list of fields): what they print
/// after is not a page either.
const GIVES_NO_PAGE: &[&str] = &[
    "length",
    "date",
    "truncate",
    "wordcount",
    "upper",
    "lower",
    "capitalize",
    "title",
    "trim",
    "slugify",
    "slug",
    "tag_url",
    "absolute_url",
    "urlencode",
    "urlencode_strict",
    "round",
    "abs",
    "int",
    "float",
    "filesizeformat",
    "striptags",
    "replace",
    "indent",
    "spaceless",
    "linebreaksbr",
    "pluralize",
    "map",
    "split",
    "trim_start",
    "trim_end",
];

fn trim_control(tag: &str) -> &str {
    tag.trim_start_matches(['-', ' ', '\t', '\n', '\r'])
}

/// The insides of `{{ … }}`, `{% … %}` and `{# … #}`; an unclosed one runs to the end.
fn tags(source: &str) -> impl Iterator<Item = &str> {
    let mut rest = source;
    std::iter::from_fn(move || {
        let start = ["{{", "{%", "{#"]
            .iter()
            .filter_map(|open| rest.find(open))
            .min()?;
        // `{{ … }}` is kept with one `{` in front, to tell printing from statements.
        let printed = rest.get(start..start + 2) == Some("{{");
        let inside = rest
            .get(start + 2 - usize::from(printed)..)
            .unwrap_or_default();
        let end = ["}}", "%}", "#}"]
            .iter()
            .filter_map(|close| inside.find(close))
            .min()
            .unwrap_or(inside.len());
        rest = inside.get(end..).unwrap_or_default();
        inside.get(..end)
    })
}

/// `{% for page in … %}`, `{% set content = … %}`, `{% macro card(page) %}`: after these,
/// `page.content` may be another page's.
fn rebinds_page_or_content(tag: &str) -> bool {
    let tag = trim_control(tag);
    let binder = ["for ", "set ", "set_global ", "macro "]
        .iter()
        .any(|b| tag.starts_with(b));
    let bound = match tag.find(" in ").or_else(|| tag.find('=')) {
        Some(end) if !tag.starts_with("macro ") => tag.get(..end).unwrap_or(tag),
        _ => tag,
    };
    binder && words(bound).any(|(_, w)| w == "page" || OWN_FIELDS.contains(&w))
}

/// A mention of `content` or `toc` other than `page.content`, `page.toc` or the bare
/// `content` variable.
fn mentions_content_elsewhere(tag: &str) -> bool {
    let own_fields = words(tag).filter(|(_, w)| OWN_FIELDS.contains(w));
    own_fields.into_iter().any(|(at, word)| {
        let before = tag.get(..at).unwrap_or_default();
        let own = match before.strip_suffix("page.") {
            Some(rest) => !rest.ends_with(is_name_char) && !rest.ends_with('.'),
            None => word == CONTENT && !before.ends_with(['.', '"', '\'', '[', '`']),
        };
        !own
    })
}

/// Each identifier-like word of `text` with where it starts.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = None;
    let mut found = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (is_name_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                found.extend(text.get(s..i).map(|w| (s, w)));
                start = None;
            }
            _ => {}
        }
    }
    found.into_iter()
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::shows_others_content as shows;

    #[test]
    fn own_content_only() {
        for source in [
            "<main>{{ page.content | safe }}</main>",
            "{{ content | safe }}",
            "{% if \"<pre\" in page.content %}x{% endif %}",
            "<meta name=\"x\" content=\"{{ page.title }}\">",
            "{% for p in collections.post %}{{ p.title }}{% endfor %}{{ page.content }}",
            "{% for h in page.toc %}{{ h.title }}{% endfor %}",
            "{% set prev = previous_item(collection=collections.post, page=page) %}{{ prev.url }}",
            "{% for t in page.tags %}<a>{{ t }}</a>{% endfor %}{{- page.reading_time }}",
            "{% set n = page.tags | length %}{{ n }} {{ collections.post | length }}",
            "{{ page }} {{ page | json_encode }} {{ site.title }} {{ 1 + 2 }} {{ \"a\" ~ page.title }}",
            "{% for p in collections.post %}{{ p.date | date(format=\"%Y\") }}{% endfor %}",
        ] {
            assert!(!shows(source), "{source}");
        }
    }

    #[test]
    fn other_pages_content() {
        for source in [
            "{% for p in collections.post %}{{ p.content | safe }}{% endfor %}",
            "{{ collections.post | map(attribute=\"content\") | join(sep=\"\") }}",
            "{{ page[\"content\"] }}",
            "{% for page in collections.post %}{{ page.content }}{% endfor %}",
            "{% set content = collections.post | first %}{{ content.title }}",
            "{% macro card(page) %}{{ page.content }}{% endmacro %}",
            "{{ collections.post | json_encode }}",
            "{{ __tera_context }}",
            "{{ mypage.content }}",
            "{{ prev.content",
            "{% for p in collections.post %}{{ p.toc | length }}{% endfor %}",
            "{% set toc = page.toc %}",
            "{% set older = collections.post | previous_item(url=page.url) %}{{ older }}",
            "{{ older | json_encode }}",
            "{{ collections.post }}",
            "{{ tag.pages | first }}",
            "{% for k, v in older %}{{ k }}{% endfor %}",
        ] {
            assert!(shows(source), "{source}");
        }
    }
}
