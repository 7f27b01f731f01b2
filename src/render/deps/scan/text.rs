//! The lexical steps of the scan: where Tera code sits in a template, and the strings,
//! quoted names and identifiers inside it. No knowledge of what any variable means.

/// The text inside `{{ }}` (printed: `true`) and `{% %}`; comments and plain text are skipped.
pub(super) fn code_regions(source: &str) -> Vec<(bool, &str)> {
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

/// The name in a leading quoted string (`"layouts/base.html"` → `layouts/base.html`).
pub(super) fn quoted(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &text[1..];
    Some(inner[..inner.find(quote)?].to_string())
}

/// Whether `c` can be part of a Tera identifier.
pub(super) fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every string literal in `code`, in either quote.
pub(super) fn strings(code: &str) -> Vec<&str> {
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

/// `code` with the inside of its strings blanked out (byte for byte, so positions still match),
/// so words in them are not read as variables.
pub(super) fn without_strings(code: &str) -> String {
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
