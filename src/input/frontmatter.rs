//! Front matter: splits a page into its YAML block and body, and resolves the YAML (with folder
//! defaults from `_dir.yaml`) into typed, Eleventy-compatible fields. YAML parsing lives here and
//! in `data.rs` only.

#![deny(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use yaml_serde::{Mapping, Value};

use crate::diag::{Diagnostic, did_you_mean};
use crate::yaml::{check_depth, key_lines, yaml_error};

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
];

/// Eleventy keys that change how a page is built, which breakeven does not do.
// `eleventyNavigation` is not here: it is data that layouts read, and works as such.
const UNSUPPORTED_KEYS: &[&str] = &["eleventyComputed"];

/// A page split in two.
pub struct Split<'a> {
    /// The YAML text between the fences, if there was a front matter block.
    pub yaml: Option<&'a str>,
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    /// Everything after the closing fence (the whole file when there is no front matter).
    pub body: &'a str,
    /// 1-based line of the first body line in the file.
    pub body_line: usize,
}

/// Splits `---` fenced front matter from the body. A block that is opened but never closed is an
/// error, so a missing fence never turns YAML into published text.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(first_line_end) = text.find('\n') else {
        return Ok(no_front_matter(text));
    };
    let fence = text[..first_line_end].trim_end();
    if fence == "+++" {
        return Err(Diagnostic::error(
            "TOML front matter (between `+++` lines) is not supported: breakeven reads YAML",
        )
        .at(1, Some(1))
        .help("write it as YAML between `---` lines: `title = \"Hello\"` becomes `title: Hello`"));
    }
    if fence == "---js" || fence == "---javascript" {
        return Err(Diagnostic::error(
            "JavaScript front matter (`---js`) is not supported: breakeven does not run JavaScript",
        )
        .at(1, Some(1))
        .help("rewrite the front matter as YAML between `---` lines"));
    }
    if fence != "---" {
        return Ok(no_front_matter(text));
    }
    let yaml_start = first_line_end + 1;
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let fence = text[pos..end].trim_end();
        if fence == "---" || fence == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: Some(&text[yaml_start..pos]),
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(
        Diagnostic::error("the front matter block opened on line 1 is never closed")
            .at(1, Some(1))
            .help("end the front matter with a line holding only `---`"),
    )
}

fn no_front_matter(text: &str) -> Split<'_> {
    Split {
        yaml: None,
        yaml_line: 1,
        body: text,
        body_line: 1,
    }
}

/// Whether a page's own front matter says `draft: true` (for messages; builds use [`resolve`]).
pub fn is_draft(text: &str) -> bool {
    let Ok(Split {
        yaml: Some(yaml), ..
    }) = split(text)
    else {
        return false;
    };
    matches!(
        yaml_serde::from_str::<Value>(yaml),
        Ok(Value::Mapping(map)) if map.get("draft") == Some(&Value::Bool(true))
    )
}

/// One YAML mapping from one file, with the line each top-level key sits on.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// Where the mapping was read, relative to the site root.
    pub file: PathBuf,
    /// The keys and values, as YAML parsed them.
    pub map: Mapping,
    key_lines: HashMap<String, usize>,
}

impl Layer {
    /// Parses `yaml`, whose first line is line `first_line` of `file`.
    pub fn parse(yaml: &str, file: &Path, first_line: usize) -> Result<Layer, Diagnostic> {
        let map = if yaml.trim().is_empty() {
            Mapping::new()
        } else {
            check_depth(yaml, file, first_line)?;
            match yaml_serde::from_str::<Value>(yaml) {
                Ok(Value::Mapping(map)) => map,
                Ok(Value::Null) => Mapping::new(),
                Ok(_) => {
                    return Err(Diagnostic::error(
                        "front matter must be a mapping of `key: value` lines",
                    )
                    .in_file(file)
                    .at(first_line, Some(1)));
                }
                Err(e) => return Err(yaml_error(&e, yaml, file, first_line)),
            }
        };
        Ok(Layer {
            file: file.to_path_buf(),
            map,
            key_lines: key_lines(yaml, first_line),
        })
    }

    /// Parses a whole data file: JSON (Eleventy's data files are often indented with tabs,
    /// which YAML refuses) or YAML.
    pub fn parse_file(text: &str, file: &Path) -> Result<Layer, Diagnostic> {
        if file.extension().is_none_or(|e| e != "json") {
            return Layer::parse(text, file, 1);
        }
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Mapping(map)) => Ok(Layer {
                file: file.to_path_buf(),
                map,
                key_lines: json_key_lines(text),
            }),
            Ok(_) => Err(Diagnostic::error(
                "a data file must hold an object of `\"key\": value` pairs",
            )
            .in_file(file)
            .at(1, Some(1))),
            Err(e) => Err(Diagnostic::error(format!("invalid JSON: {e}"))
                .in_file(file)
                .at(e.line(), Some(e.column()))
                .help("check the commas and quotes on this line")),
        }
    }

    /// Where `key` is written, for diagnostics.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.key_lines.get(key).copied()
    }
}

/// Lines of keys written `"key":` in a JSON file (the first line for each name).
fn json_key_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if let Some((key, _)) = line.strip_prefix('"').and_then(|l| l.split_once("\":")) {
            lines.entry(key.to_string()).or_insert(i + 1);
        }
    }
    lines
}

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
    let page = layers.last()?;
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
        if UNSUPPORTED_KEYS.contains(&key) {
            problems.push(at(Diagnostic::warning(format!(
                "`{key}` is an Eleventy feature that breakeven does not support; it is passed to templates as data only"
            ))));
        } else if let Some(known) = did_you_mean(key, KNOWN_KEYS) {
            problems.push(at(Diagnostic::warning(format!(
                "unknown key `{key}` in front matter"
            ))
            .help(format!("did you mean `{known}`?"))));
        }
    }
}

fn type_error(key: &str, layer: &Layer, what: &str, help: &str) -> Diagnostic {
    Diagnostic::error(format!("`{key}` must be {what}"))
        .in_file(&layer.file)
        .at_line(layer.line_of(key))
        .help(help.to_string())
}

fn string(
    (value, layer): (&Value, &Layer),
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => None,
        _ => {
            let help = format!("write `{key}: \"…\"` with the text in quotes");
            problems.push(type_error(key, layer, "text", &help));
            None
        }
    }
}

/// `date: Last Modified`, `Created`, with or without Eleventy's `git ` prefix.
fn file_date(value: &Value) -> Option<FileDate> {
    let text = value.as_str()?.trim();
    let text = text.strip_prefix("git ").unwrap_or(text);
    if text.eq_ignore_ascii_case("last modified") {
        Some(FileDate::LastModified)
    } else if text.eq_ignore_ascii_case("created") {
        Some(FileDate::Created)
    } else {
        None
    }
}

fn excluded((value, layer): (&Value, &Layer), problems: &mut Vec<Diagnostic>) -> Excluded {
    match value {
        Value::Bool(true) => Excluded::Everywhere,
        Value::Bool(false) | Value::Null => Excluded::Nowhere,
        Value::String(name) => Excluded::From(vec![name.clone()]),
        Value::Sequence(items) if items.iter().all(Value::is_string) => Excluded::From(
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        ),
        _ => {
            let key = "eleventyExcludeFromCollections";
            let help =
                format!("write `{key}: true`, or the collections to leave, e.g. `{key}: [post]`");
            problems.push(type_error(
                key,
                layer,
                "true, false, a tag or a list of tags",
                &help,
            ));
            Excluded::Nowhere
        }
    }
}

fn boolean((value, layer): (&Value, &Layer), key: &str, problems: &mut Vec<Diagnostic>) -> bool {
    match value {
        Value::Bool(b) => *b,
        _ => {
            let help = format!("write `{key}: true` or `{key}: false`");
            problems.push(type_error(key, layer, "true or false", &help));
            false
        }
    }
}

fn read_tags(value: &Value, layer: &Layer, tags: &mut Vec<String>, problems: &mut Vec<Diagnostic>) {
    let mut add = |t: &str| {
        let t = t.trim();
        if !t.is_empty() && !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    };
    match value {
        Value::String(s) => add(s),
        Value::Null => {}
        Value::Sequence(items) if items.iter().all(|i| i.is_string()) => {
            items.iter().filter_map(Value::as_str).for_each(add);
        }
        _ => problems.push(type_error(
            "tags",
            layer,
            "a tag name or a list of tag names",
            "write `tags: [\"post\", \"serverless\"]` or `tags: post`",
        )),
    }
}

fn permalink((value, layer): (&Value, &Layer), problems: &mut Vec<Diagnostic>) -> PermalinkSpec {
    match value {
        Value::Bool(false) => PermalinkSpec::Off,
        // Eleventy reads `permalink: null` (and `true`) as "the default URL".
        Value::Null | Value::Bool(true) => PermalinkSpec::Default,
        Value::String(s) => PermalinkSpec::Url(s.clone()),
        _ => {
            problems.push(type_error(
                "permalink",
                layer,
                "a URL path or `false`",
                "write `permalink: /blog/my-post/` (a trailing `/` writes index.html) or `permalink: false`",
            ));
            PermalinkSpec::Default
        }
    }
}

fn timestamp(
    (value, layer): (&Value, &Layer),
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Timestamp> {
    let parsed = value.as_str().and_then(parse_date);
    if parsed.is_none() {
        let help = format!(
            "write `{key}: 2025-03-29` (midnight UTC) or an RFC 3339 time such as `{key}: 2025-03-29T09:30:00Z`"
        );
        problems.push(type_error(key, layer, "a date", &help));
    }
    parsed
}

/// `YYYY-MM-DD` is midnight UTC; otherwise an RFC 3339 time, or a civil date-time read as UTC.
pub fn parse_date(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    if s.len() == 10
        && let Ok(date) = s.parse::<jiff::civil::Date>()
    {
        return date
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp());
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    s.parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{MAX_YAML_DEPTH, too_deep};

    fn layer(yaml: &str) -> Layer {
        Layer::parse(yaml, Path::new("content/a.md"), 2).unwrap()
    }

    #[test]
    fn deep_flow_yaml_is_caught_and_words_with_brackets_are_not() {
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(too_deep(&deep), Some((1, 3 + MAX_YAML_DEPTH + 1)));
        let words = "note: x[1\n".repeat(300);
        assert_eq!(too_deep(&words), None);
        let quoted = format!("a: \"{}\"\n# {}\n", "[".repeat(300), "{".repeat(300));
        assert_eq!(too_deep(&quoted), None);
        let fine = format!("a: {}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(too_deep(&fine), None);
    }

    #[test]
    fn split_finds_yaml_and_body_lines() {
        let s = split("---\ntitle: A\n---\nHello\n").unwrap();
        assert_eq!(s.yaml, Some("title: A\n"));
        assert_eq!(s.body, "Hello\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn split_without_front_matter_keeps_everything() {
        let s = split("# Hi\n").unwrap();
        assert!(s.yaml.is_none());
        assert_eq!(s.body, "# Hi\n");
    }

    #[test]
    fn split_rejects_unterminated_block() {
        let e = split("---\ntitle: A\nbody\n").err().unwrap();
        assert!(e.message.contains("never closed"), "{e}");
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let e = Layer::parse("title: A\ntags: [a\n", Path::new("content/a.md"), 2).unwrap_err();
        assert_eq!(e.file.as_deref(), Some(Path::new("content/a.md")));
        assert!(e.line.unwrap() >= 3, "{e}");
    }

    #[test]
    fn tags_merge_across_layers_and_accept_a_string() {
        let mut problems = vec![];
        let dir = layer("tags: post\nlayout: blog\n");
        let page = layer("title: A\ntags: [post, serverless]\nlayout: x\n");
        let fm = resolve(&[dir, page], &mut problems).unwrap();
        assert_eq!(fm.tags, ["post", "serverless"]);
        assert_eq!(fm.layout.as_deref(), Some("x"));
        assert!(problems.is_empty());
    }

    #[test]
    fn misspelt_key_gets_a_suggestion() {
        let mut problems = vec![];
        resolve(&[layer("title: A\npermalnk: /x/\n")], &mut problems).unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].help.as_deref(),
            Some("did you mean `permalink`?")
        );
        assert_eq!(problems[0].line, Some(3));
    }

    #[test]
    fn dates_are_midnight_utc_or_rfc3339() {
        assert_eq!(
            parse_date("2025-03-29").unwrap().to_string(),
            "2025-03-29T00:00:00Z"
        );
        assert_eq!(
            parse_date("2025-03-29T10:00:00+02:00").unwrap().to_string(),
            "2025-03-29T08:00:00Z"
        );
        assert!(parse_date("29/03/2025").is_none());
    }

    proptest::proptest! {
        #[test]
        fn any_text_splits_and_parses_without_panicking(text in "(---\\n)?[a-z:\\[\\]{}\"' \\n-]{0,80}(---\\n)?.{0,20}") {
            if let Ok(split) = split(&text) {
                let mut problems = vec![];
                if let Ok(layer) = Layer::parse(split.yaml.unwrap_or(""), Path::new("a.md"), split.yaml_line) {
                    let _ = resolve(&[layer], &mut problems);
                }
            }
        }
    }

    #[test]
    fn permalink_false_turns_rendering_off() {
        let mut problems = vec![];
        let fm = resolve(&[layer("title: A\npermalink: false\n")], &mut problems).unwrap();
        assert_eq!(fm.permalink, PermalinkSpec::Off);
    }
}
