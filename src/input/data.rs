//! Data files: `data/*.yaml|yml|json`, each available to templates as `data.<file stem>`. Each
//! file is parsed once: the YAML documents are kept, and the figures read their typed prices and
//! scenarios from them.

#![deny(clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::discover::{Inputs, read_text};
use crate::yaml::Document;

/// Data by file stem, in a stable order.
pub type Data = BTreeMap<String, serde_json::Value>;

/// Every top-level data file, loaded: what templates see, and each YAML file as parsed.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The values templates see as `data.<file stem>`.
    pub data: Data,
    /// Each YAML file by its path from the site root (`data/pricing.yaml`); `None` for one that
    /// could not be read or parsed, whose error is among the problems already.
    pub documents: BTreeMap<PathBuf, Option<Document>>,
}

/// A data file that exists but could not be read or parsed; its error is already reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Broken;

impl Loaded {
    /// The YAML document at `rel` (from the site root): `Ok(None)` when there is no such file.
    pub fn document(&self, rel: &Path) -> Result<Option<&Document>, Broken> {
        match self.documents.get(rel) {
            None => Ok(None),
            Some(Some(document)) => Ok(Some(document)),
            Some(None) => Err(Broken),
        }
    }
}

/// Loads every top-level data file; every broken file is reported with its line.
pub fn load(inputs: &Inputs, problems: &mut Vec<Diagnostic>) -> Loaded {
    let mut loaded = Loaded::default();
    for rel in &inputs.data {
        let stem = rel
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = read_text(&inputs.root, rel);
        let value = if rel.extension().is_some_and(|e| e == "json") {
            text.and_then(|text| from_json(&text, rel))
        } else {
            let document = text.and_then(|text| Document::parse(text, rel));
            let value = match &document {
                Ok(document) => to_json(&document.value, rel),
                Err(d) => Err(d.clone()),
            };
            loaded.documents.insert(rel.clone(), document.ok());
            value
        };
        match value {
            Ok(value) => {
                if loaded.data.insert(stem.clone(), value).is_some() {
                    problems.push(
                        Diagnostic::error(format!("two data files are both named `{stem}`"))
                            .in_file(rel)
                            .help(
                                "rename one of them: templates see each file as `data.<file name>`",
                            ),
                    );
                }
            }
            Err(d) => problems.push(d),
        }
    }
    loaded
}

fn from_json(text: &str, rel: &Path) -> Result<serde_json::Value, Diagnostic> {
    serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(format!("invalid JSON: {e}"))
            .in_file(rel)
            .at(e.line(), Some(e.column()))
    })
}

fn to_json(value: &crate::yaml::Value, rel: &Path) -> Result<serde_json::Value, Diagnostic> {
    serde_json::to_value(value)
        .map_err(|e| Diagnostic::error(format!("unsupported YAML value: {e}")).in_file(rel))
}
