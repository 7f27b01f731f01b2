//! Data files: `data/*.yaml|yml|json`, each available to templates as `data.<file stem>`.

#![deny(clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::discover::{Inputs, read_text};

/// Data by file stem, in a stable order.
pub type Data = BTreeMap<String, serde_json::Value>;

/// Loads every top-level data file; every broken file is reported with its line.
pub fn load(inputs: &Inputs, problems: &mut Vec<Diagnostic>) -> Data {
    let mut data = Data::new();
    for rel in &inputs.data {
        let stem = rel
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        match load_file(&inputs.root, rel) {
            Ok(value) => {
                if data.insert(stem.clone(), value).is_some() {
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
    data
}

fn load_file(root: &Path, rel: &Path) -> Result<serde_json::Value, Diagnostic> {
    let text = read_text(root, rel)?;
    if rel.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| {
            Diagnostic::error(format!("invalid JSON: {e}"))
                .in_file(rel)
                .at(e.line(), Some(e.column()))
        })
    } else {
        let value: yaml_serde::Value = crate::yaml::parse(&text, rel, 1)?;
        serde_json::to_value(value)
            .map_err(|e| Diagnostic::error(format!("unsupported YAML value: {e}")).in_file(rel))
    }
}
