//! Finding the front matter: the `---` fenced YAML block at the top of a page and the body after
//! it, with the line each starts on. Kept apart from parsing so callers that only need the body
//! or the draft flag do not resolve anything.

use yaml_serde::Value;

use crate::diag::Diagnostic;

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
