//! One YAML (or JSON) mapping read from one file, with the line of each top-level key, so every
//! later type error can name the line it comes from.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use yaml_serde::{Mapping, Value};

use crate::diag::Diagnostic;
use crate::yaml::{check_depth, key_lines, yaml_error};

/// One YAML mapping from one file, with the line each top-level key sits on.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// Where the mapping was read, relative to the site root.
    pub file: PathBuf,
    /// The keys and values, as YAML parsed them.
    pub map: Mapping,
    key_lines: HashMap<String, usize>,
    /// Worked out from the other layers (`eleventyComputed`), not written as such in a file.
    pub computed: bool,
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
            computed: false,
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
                computed: false,
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

    /// Values worked out from other layers, written by `file` at `line` (`eleventyComputed`).
    pub fn computed(file: &Path, map: Mapping, line: usize) -> Layer {
        let key_lines = map
            .keys()
            .filter_map(Value::as_str)
            .map(|k| (k.to_string(), line))
            .collect();
        Layer {
            file: file.to_path_buf(),
            map,
            key_lines,
            computed: true,
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
