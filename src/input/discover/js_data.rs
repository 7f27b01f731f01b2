//! Eleventy's JavaScript data files, which breakeven does not run: one warning each, naming the
//! pages that miss its values and the JSON file to move them to.

#![deny(clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use super::Inputs;
use crate::diag::Diagnostic;

/// One warning per JavaScript data file: breakeven does not run JavaScript, so it names the pages
/// the file would have given data to and where to move its values.
pub(super) fn warnings(inputs: &Inputs) -> Vec<Diagnostic> {
    inputs
        .js_data
        .iter()
        .map(|rel| {
            let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let stem = name.split('.').next().unwrap_or_default();
            let folder = rel.parent().unwrap_or(Path::new(""));
            let global = folder == Path::new("_data") || folder == Path::new("content/_data");
            let affected: Vec<&PathBuf> = if global {
                inputs.pages.iter().collect()
            } else if folder.file_name().and_then(|n| n.to_str()) == Some(stem) {
                inputs
                    .pages
                    .iter()
                    .filter(|p| p.starts_with(folder))
                    .collect()
            } else {
                let page = |ext| folder.join(format!("{stem}.{ext}"));
                inputs
                    .pages
                    .iter()
                    .filter(|p| **p == page("md") || **p == page("html"))
                    .collect()
            };
            let shown: Vec<String> = affected
                .iter()
                .take(3)
                .map(|p| p.display().to_string())
                .collect();
            let more = match affected.len() {
                n if n > 3 => format!(" and {} more", n - 3),
                _ => String::new(),
            };
            let missing = match affected.len() {
                // Its folder holds no Markdown or `.html` page breakeven builds.
                0 => String::from("no page breakeven builds uses them"),
                _ => format!(
                    "the values it returns are missing from {}{more}",
                    shown.join(", ")
                ),
            };
            let json = if global {
                folder.join(format!("{stem}.json"))
            } else {
                folder.join(format!(
                    "{}.json",
                    name.split(".11tydata").next().unwrap_or(stem)
                ))
            };
            Diagnostic::warning(format!("JavaScript data is not run: {missing}"))
                .in_file(rel)
                .help(format!(
                    "move the keys it returns into `{}` (JSON or YAML data files are read)",
                    json.display()
                ))
        })
        .collect()
}
