//! The one way YAML is read: front matter, `site.yaml`, data files and figure arguments all
//! go through here, so nesting limits, error positions (mapped to the file's own lines, with
//! an open quote reported where it opens) and key lines are found the same way everywhere.
//! A data file is parsed once into a [`Document`]; typed models are read from its value
//! ([`from_value`]), with the path of any value refused.

#![deny(clippy::indexing_slicing)]

mod typed;

use std::collections::HashMap;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::Diagnostic;

pub use typed::from_value;
pub use yaml_serde::{Mapping, Value};

/// A YAML file parsed once: its value, and its text, where the lines of its keys are found.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The file as read.
    pub text: String,
    /// The file as parsed.
    pub value: Value,
}

impl Document {
    /// Parses a whole file; errors name `file` and the line.
    pub fn parse(text: String, file: &Path) -> Result<Document, Diagnostic> {
        let value = parse(&text, file, 1)?;
        Ok(Document { text, value })
    }
}

/// Why YAML could not become the type asked for, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The path of the value refused (`offers.t3.medium`), when [`from_value`] tracked it.
    pub path: Option<String>,
    /// What is wrong, as the parser words it, without its positions.
    pub message: String,
    /// The keys from the root to where the refused value is written ([`from_value`]).
    pub keys: Vec<String>,
    /// The 1-based line of the text where parsing stopped ([`from_fragment`]).
    pub line: Option<usize>,
}

impl std::fmt::Display for Refused {
    /// `offers.t3.medium: unknown field `x``, as the parser words errors in text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{path}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Parses a fragment of YAML (a figure's arguments) into `T`. Its line numbers count from the
/// fragment's first line: only the caller knows where that is in the file.
pub fn from_fragment<T: DeserializeOwned>(text: &str) -> Result<T, Refused> {
    yaml_serde::from_str(text).map_err(|e| Refused {
        path: None,
        message: without_positions(&e.to_string()),
        keys: Vec::new(),
        line: e.location().map(|l| l.line()),
    })
}

/// Parses `text`, whose first line is line `first_line` of `file`, into `T`.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, Diagnostic> {
    check_depth(text, file, first_line)?;
    yaml_serde::from_str(text).map_err(|e| yaml_error(&e, text, file, first_line))
}

/// A parser message without the positions it appends (" at line N column M"): they count from
/// the start of the fragment parsed, and callers give the file's own line instead.
pub fn without_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some((before, after)) = rest.split_once(" at line ") {
        out.push_str(before);
        let skip = after
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(after.len());
        rest = after.get(skip..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// How deeply YAML may nest `[ ]` and `{ }` (the YAML crate gives up at 128 levels anyway, but
/// only after parsing them all, in time that grows with the square of the depth).
pub const MAX_YAML_DEPTH: usize = 128;

/// The 1-based line and column where `text` nests flow collections deeper than
/// [`MAX_YAML_DEPTH`], found by a scan that costs one pass. Brackets inside quotes, comments and
/// plain words (`a[1]`) do not count.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut col) = (0usize, 1, 0);
    let mut quote: Option<char> = None;
    let mut comment = false;
    // The last character that is not a space (a bracket after it opens a collection), and
    // whether a space came since (a `#` after one starts a comment).
    let (mut previous, mut spaced) = ('\n', true);
    for c in text.chars() {
        col += 1;
        match (c, quote) {
            ('\n', _) => {
                (line, col, comment, previous, spaced) = (line + 1, 0, false, '\n', true);
                quote = quote.filter(|_| depth > 0);
                continue;
            }
            _ if comment => continue,
            (q, Some(open)) if q == open => quote = None,
            (_, Some(_)) => {}
            ('#', None) if spaced => comment = true,
            ('"' | '\'', None) if "\n:-,[{?".contains(previous) => quote = Some(c),
            ('[' | '{', None) if "\n:-,[{?".contains(previous) => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Some((line, col));
                }
            }
            (']' | '}', None) => depth = depth.saturating_sub(1),
            _ => {}
        }
        spaced = c == ' ' || c == '\t';
        if !spaced {
            previous = c;
        }
    }
    None
}

/// [`too_deep`] as a diagnostic in `file`, whose first line is line `first_line`.
pub fn check_depth(text: &str, file: &Path, first_line: usize) -> Result<(), Diagnostic> {
    match too_deep(text) {
        None => Ok(()),
        Some((line, col)) => Err(Diagnostic::error(format!(
            "YAML nested more than {MAX_YAML_DEPTH} levels deep"
        ))
        .in_file(file)
        .at(first_line + line - 1, Some(col))
        .help("flatten the data: no real site needs lists or mappings this deep")),
    }
}

/// A YAML syntax error at its real line in `file`; `yaml` is the text that failed, whose first
/// line is `first_line`. A quote left open is reported where it opens: the parser only notices
/// lines later, where the next quote closes it or the text ends.
pub fn yaml_error(e: &yaml_serde::Error, yaml: &str, file: &Path, first_line: usize) -> Diagnostic {
    let failed_at = e.location().map(|l| l.line());
    if let Some(open) = unclosed(yaml, failed_at) {
        return Diagnostic::error(open.message())
            .in_file(file)
            .at(open.line + first_line - 1, Some(open.col))
            .help(open.help());
    }
    let message = e.to_string();
    // The crate appends its own "at line N column M", relative to the fragment: we give the real one.
    let message = match message.split_once(" at line ") {
        Some((before, _)) => before.to_string(),
        None => message,
    };
    let help = if message.contains("unknown field") {
        "remove this key or correct its spelling"
    } else if message.contains("invalid type") || message.contains("invalid value") {
        "give this key a value of the expected type"
    } else {
        "check the indentation and quoting of this line"
    };
    let d = Diagnostic::error(format!("invalid YAML: {message}"))
        .in_file(file)
        .help(help);
    match e.location() {
        Some(loc) => d.at(loc.line() + first_line - 1, Some(loc.column())),
        None => d.at(first_line, None),
    }
}

/// A quote, list or mapping opened on a `key: value` line and not closed on it.
pub struct Unclosed {
    /// 1-based line of the opening character.
    pub line: usize,
    /// 1-based column of the opening character.
    pub col: usize,
    /// What was opened: `"`, `'`, `[` or `{`.
    pub open: char,
}

impl Unclosed {
    /// "the `"` opened here is never closed on this line".
    pub fn message(&self) -> String {
        format!(
            "invalid YAML: the `{}` opened here is never closed on this line",
            self.open
        )
    }

    /// How to fix it: close the value on the same line.
    pub fn help(&self) -> String {
        let close = match self.open {
            '[' => ']',
            '{' => '}',
            quote => quote,
        };
        format!("end the value with a closing `{close}` on the same line")
    }
}

/// The first `key: "value` (or `[`, `{`) line, up to line `until` of `yaml`, that does not close
/// what it opens. Values may span lines in YAML, but front matter, data files and figure
/// arguments rarely do that, so after a failed parse it is the likely cause.
pub fn unclosed(yaml: &str, until: Option<usize>) -> Option<Unclosed> {
    for (i, line) in yaml.lines().enumerate().take(until.unwrap_or(usize::MAX)) {
        let Some((_, value)) = line.split_once(": ") else {
            continue;
        };
        let value = value.trim_start();
        let Some(open) = value.chars().next() else {
            continue;
        };
        let rest = &value[open.len_utf8()..];
        let closed = match open {
            // `\"` escapes inside double quotes; `''` is a quote inside single quotes.
            '"' => rest.replace("\\\\", "").replace("\\\"", "").contains('"'),
            '\'' => rest.replace("''", "").contains('\''),
            '[' => rest.matches(']').count() > rest.matches('[').count(),
            '{' => rest.matches('}').count() > rest.matches('{').count(),
            _ => continue,
        };
        if !closed {
            let before = &line[..line.len() - value.len()];
            return Some(Unclosed {
                line: i + 1,
                col: before.chars().count() + 1,
                open,
            });
        }
    }
    None
}

/// Lines of top-level keys (`key:` at column 1), so typed-value errors can point at them.
pub fn key_lines(yaml: &str, first_line: usize) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            lines.entry(key.to_string()).or_insert(first_line + i);
        }
    }
    lines
}
