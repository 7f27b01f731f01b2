//! Figure arguments: YAML bodies parsed into typed structs, and errors located at the line of the
//! key or value they are about (from the YAML parser's location where it has one, otherwise by
//! finding the key in the text).

#![deny(clippy::indexing_slicing)]

use super::FigureError;
use crate::yaml::{Refused, Value};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

impl FigureError {
    /// An error in the page's block or inline value, at a 1-based line of its body.
    pub fn at(line: Option<usize>, message: impl Into<String>) -> FigureError {
        FigureError {
            file: None,
            line,
            key: None,
            message: message.into(),
            help: None,
        }
    }

    /// Adds how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> FigureError {
        self.help = Some(help.into());
        self
    }

    /// Moves the error into a data file (path relative to the site root).
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> FigureError {
        self.file = Some(file.into());
        self
    }

    /// Names the key the problem is about; whoever knows where the key is written gives the line.
    pub fn about(mut self, key: &'static str) -> FigureError {
        self.key = Some(key);
        self
    }

    /// Places the error at a 1-based line (of the block's body, or of its data file).
    pub fn on_line(mut self, line: Option<usize>) -> FigureError {
        self.line = line;
        self
    }

    /// Converts what the YAML parser refused: its message without positions (they count from
    /// the block's first line, which the caller turns into a file line), the "expected …" tail
    /// as help, and its line.
    pub fn from_yaml(refused: &Refused) -> FigureError {
        let line = refused.line;
        let text = refused.to_string();
        match text.split_once(", expected ") {
            Some((message, expected)) => {
                FigureError::at(line, message).help(format!("expected {expected}"))
            }
            None => FigureError::at(line, text)
                .help("check the quotes, brackets and indentation of this block"),
        }
    }

    /// What [`crate::yaml::from_value`] refused in the data file `file`, at the line of the
    /// key it names in `text` (the file's first line when it names none).
    pub fn refused_in(refused: &Refused, text: &str, file: &Path) -> FigureError {
        let line = Lines::new(text).path(&refused.keys).unwrap_or(1);
        FigureError::from_yaml(refused)
            .on_line(Some(line))
            .in_file(file)
    }
}

/// Parses a YAML body into `T`. An empty body is an empty mapping, so missing arguments are
/// reported as missing rather than as a type error.
pub fn parse<T: DeserializeOwned>(body: &str) -> Result<T, FigureError> {
    let text = if body.trim().is_empty() { "{}" } else { body };
    check_depth(text)?;
    check_list_lengths(text)?;
    crate::yaml::from_fragment(text).map_err(|refused| {
        if let Some(open) = crate::yaml::unclosed(text, refused.line) {
            return FigureError::at(Some(open.line), open.message()).help(open.help());
        }
        let mut error = FigureError::from_yaml(&refused);
        if error.message.starts_with("missing field") {
            // serde reports the end of the mapping; the block as a whole is its first line.
            error.line = Some(1);
        }
        error
    })
}

/// Refuses YAML nested deeper than the parser handles quickly (see `yaml::too_deep`).
pub fn check_depth(text: &str) -> Result<(), FigureError> {
    match crate::yaml::too_deep(text) {
        None => Ok(()),
        Some((line, _)) => Err(FigureError::at(
            Some(line),
            format!(
                "YAML nested more than {} levels deep",
                crate::yaml::MAX_YAML_DEPTH
            ),
        )
        .help("flatten the data: no figure needs lists or mappings this deep")),
    }
}

/// Finds lines in a YAML text by key or value.
pub struct Lines<'a> {
    text: &'a str,
}

impl<'a> Lines<'a> {
    /// Wraps a YAML text.
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines { text }
    }

    /// The 1-based line of the first `key:` at or after line `from` (quoted keys too).
    pub fn key(&self, key: &str, from: usize) -> Option<usize> {
        let forms = [
            format!("{key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
        ];
        self.find(from, |line| forms.iter().any(|form| has_token(line, form)))
    }

    /// The line of the last of `keys`, each looked for below the one before (`offers`,
    /// `t3.medium`, `usd_per_hour`); the line of the last one found, `None` if none is.
    pub fn path(&self, keys: &[String]) -> Option<usize> {
        let mut found = None;
        for key in keys {
            match self.key(key, found.unwrap_or(1)) {
                Some(line) => found = Some(line),
                None => break,
            }
        }
        found
    }

    /// The line of `key:`, or line 1 (the block as a whole) when the key is absent.
    pub fn key_or_start(&self, key: &str) -> Option<usize> {
        self.key(key, 1).or(Some(1))
    }

    /// The line where `value` appears under `key` (same line or a list below it).
    pub fn value(&self, key: &str, value: &str) -> Option<usize> {
        let start = self.key(key, 1)?;
        let found = self.find(start, |line| has_token(line, value));
        found.or(Some(start))
    }

    fn find(&self, from: usize, matches: impl Fn(&str) -> bool) -> Option<usize> {
        let lines = self.text.lines().enumerate().skip(from.saturating_sub(1));
        lines
            .filter(|(_, line)| matches(strip_comment(line)))
            .map(|(i, _)| i + 1)
            .next()
    }
}

/// The part of a line before a `#` comment (a rough cut: `#` inside quotes is rare in figures).
fn strip_comment(line: &str) -> &str {
    match line.find(" #") {
        Some(at) => &line[..at],
        None if line.trim_start().starts_with('#') => "",
        None => line,
    }
}

/// True when `token` occurs in `line` not glued to a word character on either side.
fn has_token(line: &str, token: &str) -> bool {
    let glued = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/');
    line.match_indices(token).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + token.len()..].chars().next();
        let open_end = token.ends_with(':') || after.is_none_or(|c| !glued(c));
        before.is_none_or(|c| !glued(c)) && open_end
    })
}

/// The valid names, for help text: "valid offers: a, b, c".
pub fn valid(kind: &str, names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| n.as_ref().to_string()).collect();
    if names.is_empty() {
        format!("no {kind} are defined")
    } else {
        format!("valid {kind}: {}", names.join(", "))
    }
}

/// Checks that a number is finite and not negative, naming its key.
pub fn non_negative(key: &str, value: f64) -> Result<f64, FigureError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(FigureError::at(
            None,
            format!("`{key}` must be a number ≥ 0, not {value}"),
        ))
    }
}

/// The model's range for workload inputs: beyond these, costs overflow to infinity or the
/// fleet size to billions of instances.
pub const MAX_DURATION_MS: f64 = 3_600_000.0; // an hour per request
pub const MAX_MEMORY_MB: f64 = 1_048_576.0; // a TiB
pub const CAPACITY_RANGE: (f64, f64) = (0.001, 1e9); // requests/s per instance
pub const MAX_PROFILE_WEIGHT: f64 = 1e9;
/// Any number in a price offer (prices, free and included amounts, vCPUs, memory).
pub const MAX_PRICE_NUMBER: f64 = 1e12;
/// The longest list a figure takes (`rates`, `offers`, `scenarios`): a figure is read by people.
pub const MAX_LIST_LEN: usize = 100;

/// Checks that `value` lies in `min..=max`, naming its key and the range.
pub fn within(key: &str, value: f64, (min, max): (f64, f64)) -> Result<f64, FigureError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        let message = format!(
            "`{key}` is {}, outside the model's range of {} to {}",
            short(value),
            short(min),
            short(max)
        );
        Err(FigureError::at(None, message))
    }
}

/// A number as people write it: `1e308`, not three hundred digits.
fn short(value: f64) -> String {
    let size = value.abs();
    if size != 0.0 && !(1e-3..1e7).contains(&size) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

/// Refuses a figure whose YAML holds a list longer than [`MAX_LIST_LEN`], at its key's line
/// (a `rates:` list of a million values made a 496 MB page).
fn check_list_lengths(text: &str) -> Result<(), FigureError> {
    let Ok(Value::Mapping(map)) = crate::yaml::from_fragment(text) else {
        return Ok(());
    };
    for (key, value) in &map {
        if let (Some(key), Value::Sequence(list)) = (key.as_str(), value)
            && list.len() > MAX_LIST_LEN
        {
            return Err(FigureError::at(
                Lines::new(text).key_or_start(key),
                format!(
                    "`{key}` lists {} values; a figure takes at most {MAX_LIST_LEN}",
                    list.len()
                ),
            )
            .help("split the figure in two, or pick fewer values"));
        }
    }
    Ok(())
}

/// Checks that a number is finite and positive, naming its key.
pub fn positive(key: &str, value: f64) -> Result<f64, FigureError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(FigureError::at(
            None,
            format!("`{key}` must be a number > 0, not {value}"),
        ))
    }
}

/// A path inside the data folder: relative, without `..`, so figures never read outside it.
pub fn data_path(raw: &str) -> Result<PathBuf, FigureError> {
    let path = PathBuf::from(raw);
    let inside = path
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if raw.is_empty() || !inside {
        return Err(FigureError::at(
            None,
            format!("`{raw}` must be a path inside data/, like lambda-perf/2026-08-22.json"),
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_list_lengths_are_bounded() {
        assert_eq!(within("k", 5.0, (0.0, 10.0)), Ok(5.0));
        assert_eq!(
            within("duration_ms", 1e308, (0.0, MAX_DURATION_MS))
                .unwrap_err()
                .message,
            "`duration_ms` is 1e308, outside the model's range of 0 to 3600000"
        );
        let rates: Vec<String> = (0..=MAX_LIST_LEN).map(|n| n.to_string()).collect();
        let body = format!("scenario: api\nrates: [{}]\n", rates.join(", "));
        let error = check_list_lengths(&body).unwrap_err();
        assert_eq!(error.line, Some(2));
        assert_eq!(
            error.message,
            "`rates` lists 101 values; a figure takes at most 100"
        );
    }

    #[test]
    fn finds_keys_and_values_by_line() {
        let body = "scenario: api\n# offers: [x]\noffers:\n  - lambda-x86\n  - t3.mediun\nrates: [1, 10]\n";
        let lines = Lines::new(body);
        assert_eq!(lines.key("offers", 1), Some(3));
        assert_eq!(lines.value("offers", "t3.mediun"), Some(5));
        assert_eq!(lines.value("offers", "lambda"), Some(3));
        assert_eq!(lines.key("memory_mb", 1), None);
    }

    #[test]
    fn yaml_errors_keep_their_line() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Args {
            memory_mb: f64,
        }
        let error = parse::<Args>("\nmemory_mb: lots\n").err();
        let error = error.unwrap_or_else(|| FigureError::at(None, ""));
        assert_eq!(error.line, Some(2));
        assert!(
            error.message.contains("invalid type: string \"lots\""),
            "{}",
            error.message
        );
        let error = parse::<Args>("memory: 1\n")
            .err()
            .unwrap_or_else(|| FigureError::at(None, ""));
        assert_eq!(
            (error.line, error.message.as_str()),
            (Some(1), "unknown field `memory`")
        );
        assert_eq!(error.help.as_deref(), Some("expected `memory_mb`"));
    }
}
