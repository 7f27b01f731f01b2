//! Reading one front-matter value into its type (text, true/false, tags, a date, a permalink),
//! each with the error that says what to write instead. The rules for each key live here; how
//! layers merge lives in `frontmatter.rs`.

use jiff::Timestamp;
use yaml_serde::Value;

use super::{Excluded, FileDate, Layer, PermalinkSpec};
use crate::diag::Diagnostic;

/// A key whose value has the wrong type, at the line the key is on.
fn type_error(key: &str, layer: &Layer, what: &str, help: &str) -> Diagnostic {
    Diagnostic::error(format!("`{key}` must be {what}"))
        .in_file(&layer.file)
        .at_line(layer.line_of(key))
        .help(help.to_string())
}

pub(super) fn string(
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
pub(super) fn file_date(value: &Value) -> Option<FileDate> {
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

pub(super) fn excluded(
    (value, layer): (&Value, &Layer),
    problems: &mut Vec<Diagnostic>,
) -> Excluded {
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

pub(super) fn boolean(
    (value, layer): (&Value, &Layer),
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> bool {
    match value {
        Value::Bool(b) => *b,
        _ => {
            let help = format!("write `{key}: true` or `{key}: false`");
            problems.push(type_error(key, layer, "true or false", &help));
            false
        }
    }
}

pub(super) fn read_tags(
    value: &Value,
    layer: &Layer,
    tags: &mut Vec<String>,
    problems: &mut Vec<Diagnostic>,
) {
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

pub(super) fn permalink(
    (value, layer): (&Value, &Layer),
    problems: &mut Vec<Diagnostic>,
) -> PermalinkSpec {
    match value {
        Value::Bool(false) => PermalinkSpec::Off,
        // Eleventy reads `permalink: null` (and `true`) as "the default URL".
        Value::Null | Value::Bool(true) => PermalinkSpec::Default,
        // So does an empty one (checked with Eleventy 3.1.8).
        Value::String(s) if s.trim().is_empty() => PermalinkSpec::Default,
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

pub(super) fn timestamp(
    (value, layer): (&Value, &Layer),
    key: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Timestamp> {
    // `date:` with no value is no date, as in Eleventy.
    if value.is_null() {
        return None;
    }
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
    if let Some(padded) = yaml_timestamp(s).filter(|p| p != s) {
        return parse_date(&padded);
    }
    s.parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
}

/// YAML's timestamp form (what Eleventy's YAML reader accepts) with its one-digit fields padded:
/// `2022-4-30 9:50:28 +2` → `2022-04-30T09:50:28+02:00`. `None` when `s` is not of that form.
fn yaml_timestamp(s: &str) -> Option<String> {
    let split = s.find(['T', 't', ' ', '\t'])?;
    let (date, rest) = (s.get(..split)?, s.get(split + 1..)?.trim_start());
    let mut ymd = date.split('-');
    let (y, m, d) = (ymd.next()?, ymd.next()?, ymd.next()?);
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = (rest.get(..zone_at)?.trim_end(), rest.get(zone_at..)?);
    let mut hms = time.splitn(3, ':');
    let (h, min, sec) = (hms.next()?, hms.next()?, hms.next()?);
    let small = |n: &str| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit());
    if y.len() != 4 || ymd.next().is_some() || ![m, d, h].into_iter().all(small) {
        return None;
    }
    let zone = match zone {
        "" => String::new(),
        "Z" | "z" => "Z".to_string(),
        offset => {
            let (sign, hours_minutes) = offset.split_at(1);
            let mut parts = hours_minutes.splitn(2, ':');
            let hours = parts.next().filter(|h| small(h))?;
            let minutes = parts.next().unwrap_or("00");
            format!("{sign}{hours:0>2}:{minutes}")
        }
    };
    Some(format!("{y}-{m:0>2}-{d:0>2}T{h:0>2}:{min}:{sec}{zone}"))
}
