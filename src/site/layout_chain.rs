//! Layout front matter, Eleventy style: takes the files in `layouts/` and gives each one's
//! template text without its front matter, its data (under a page's own) and the layout it
//! renders into (`layout:`), checked for unknown names and cycles.

#![deny(clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::discover::{Inputs, read_text};
use crate::frontmatter::{self, Layer};

/// One file of `layouts/`.
#[derive(Debug, Clone)]
pub struct LayoutFile {
    /// The template: the file without its front matter.
    pub body: String,
    /// File line where `body` starts.
    pub body_line: usize,
    /// The front matter without `layout`: data that a page's own front matter overrides.
    pub layer: Option<Layer>,
    /// The layout this one renders into, as a template name (`layouts/base.html`).
    pub parent: Option<String>,
    /// The front matter as written, to tell whether an edit changed pages' data or chains.
    yaml: Option<String>,
}

/// Every layout file by template name (`layouts/post.html`).
#[derive(Debug, Clone, Default)]
pub struct LayoutFiles {
    files: BTreeMap<String, LayoutFile>,
}

impl LayoutFiles {
    /// Reads every layout, reporting unreadable files, bad front matter, unknown parents and
    /// cycles. A layout with a problem is kept without a parent, so rendering always ends.
    pub fn load(inputs: &Inputs, problems: &mut Vec<Diagnostic>) -> LayoutFiles {
        let mut files = BTreeMap::new();
        for rel in &inputs.layouts {
            match read_text(&inputs.root, rel).and_then(|text| parse(&text, rel, &inputs.layouts)) {
                Ok(file) => {
                    files.insert(template_name(rel), file);
                }
                Err(d) => problems.push(d),
            }
        }
        let mut layouts = LayoutFiles { files };
        layouts.break_cycles(problems);
        layouts
    }

    /// Every layout file with its template name (`layouts/base.html`), in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &LayoutFile)> {
        self.files.iter()
    }

    /// `first` and the layouts it renders into, innermost first.
    pub fn chain<'a>(&'a self, first: &'a str) -> Vec<&'a str> {
        let mut chain = vec![first];
        let mut at = first;
        // Cycles were broken on loading; the bound is only a guard.
        while let Some(parent) = self.files.get(at).and_then(|f| f.parent.as_deref()) {
            if chain.len() > self.files.len() {
                break;
            }
            chain.push(parent);
            at = parent;
        }
        chain
    }

    /// The front matter data of `first`'s chain, outermost first (as data layers apply).
    pub fn layers(&self, first: &str) -> Vec<Layer> {
        let mut layers: Vec<Layer> = self
            .chain(first)
            .iter()
            .filter_map(|name| self.files.get(*name)?.layer.clone())
            .collect();
        layers.reverse();
        layers
    }

    /// Whether every layout has the same front matter in both (else pages' data may differ).
    pub fn same_front_matter(&self, other: &LayoutFiles) -> bool {
        self.files.len() == other.files.len()
            && self
                .files
                .iter()
                .zip(&other.files)
                .all(|((a, fa), (b, fb))| a == b && fa.yaml == fb.yaml)
    }

    /// The layouts with front matter: their data feeds pages' Markdown (figure scenarios).
    pub fn with_front_matter(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .filter(|(_, f)| f.yaml.is_some())
            .map(|(name, _)| name.as_str())
    }

    /// Reports every cycle of `layout:` keys once, and cuts it.
    fn break_cycles(&mut self, problems: &mut Vec<Diagnostic>) {
        let names: Vec<String> = self.files.keys().cloned().collect();
        for start in names {
            let mut path = vec![start.clone()];
            let mut at = start.clone();
            while let Some(parent) = self.files.get(&at).and_then(|f| f.parent.clone()) {
                if parent == start {
                    problems.push(cycle_error(&start, &path, self.files.get(&start)));
                    if let Some(file) = self.files.get_mut(&start) {
                        file.parent = None;
                    }
                    break;
                }
                if path.contains(&parent) {
                    // A cycle further up: reported when the walk starts from one of its members.
                    break;
                }
                path.push(parent.clone());
                at = parent;
            }
        }
    }
}

/// `path` is the cycle from `start` (its first name) to the layout that renders into `start`.
fn cycle_error(start: &str, path: &[String], first: Option<&LayoutFile>) -> Diagnostic {
    let mut shown = path.to_vec();
    shown.push(start.to_string());
    let line = first.and_then(|f| f.layer.as_ref()?.line_of("layout"));
    Diagnostic::error(format!(
        "layouts render into each other in a cycle: {}",
        shown.join(" → ")
    ))
    .in_file(start)
    .at_line(line)
    .help("remove `layout:` from the front matter of one of these layouts")
}

fn template_name(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// Splits a layout's front matter from its template and resolves its `layout:`.
fn parse(text: &str, rel: &Path, available: &[PathBuf]) -> Result<LayoutFile, Diagnostic> {
    let split = frontmatter::split(text).map_err(|d| d.in_file(rel))?;
    let Some(yaml) = split.yaml else {
        return Ok(LayoutFile {
            body: text.to_string(),
            body_line: 1,
            layer: None,
            parent: None,
            yaml: None,
        });
    };
    let mut layer = Layer::parse(yaml, rel, split.yaml_line)?;
    let parent = match layer.map.remove("layout") {
        None | Some(yaml_serde::Value::Null) => None,
        Some(yaml_serde::Value::String(name)) => Some(
            resolve_layout(&name, available)
                .map_err(|d| d.in_file(rel).at_line(layer.line_of("layout")))?,
        ),
        Some(_) => {
            return Err(Diagnostic::error("`layout` must be a layout's name")
                .in_file(rel)
                .at_line(layer.line_of("layout"))
                .help("write it as `layout: base.html`"));
        }
    };
    Ok(LayoutFile {
        body: split.body.to_string(),
        body_line: split.body_line,
        layer: Some(layer),
        parent,
        yaml: Some(yaml.to_string()),
    })
}

/// `layouts/blog.html`, `blog.html` and `blog` all name `layouts/blog.html`; an Eleventy
/// layout in another template language names its Tera port (`post.njk` is `layouts/post.html`).
pub fn resolve_layout(name: &str, available: &[PathBuf]) -> Result<String, Diagnostic> {
    let mut full = if name.starts_with("layouts/") {
        name.to_string()
    } else {
        format!("layouts/{name}")
    };
    let ported = [
        "njk", "liquid", "hbs", "mustache", "ejs", "haml", "pug", "webc",
    ]
    .iter()
    .find_map(|ext| full.strip_suffix(&format!(".{ext}")).map(str::to_string));
    if let Some(stem) = &ported {
        full = format!("{stem}.html");
    }
    if Path::new(&full).extension().is_none() {
        full.push_str(".html");
    }
    let available: Vec<String> = available.iter().map(|p| template_name(p)).collect();
    if available.contains(&full) {
        return Ok(full);
    }
    let names: Vec<&str> = available
        .iter()
        .filter_map(|l| l.strip_prefix("layouts/")?.strip_suffix(".html"))
        .collect();
    let help = if names.is_empty() {
        "there are no layouts: add one in `layouts/`, e.g. `layouts/blog.html`".to_string()
    } else {
        format!("available layouts: {}", names.join(", "))
    };
    let help = match ported {
        Some(_) => format!("create `{full}`, a Tera port of `{name}`; {help}"),
        None => help,
    };
    Err(Diagnostic::error(format!("unknown layout `{name}` (no file `{full}`)")).help(help))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> (LayoutFiles, Vec<Diagnostic>) {
        let available: Vec<PathBuf> = list.iter().map(|(n, _)| PathBuf::from(n)).collect();
        let mut problems = Vec::new();
        let mut files = BTreeMap::new();
        for (name, text) in list {
            match parse(text, Path::new(name), &available) {
                Ok(f) => {
                    files.insert(name.to_string(), f);
                }
                Err(d) => problems.push(d),
            }
        }
        let mut layouts = LayoutFiles { files };
        layouts.break_cycles(&mut problems);
        (layouts, problems)
    }

    #[test]
    fn a_chain_is_followed_innermost_first_and_data_applies_outermost_first() {
        let (layouts, problems) = files(&[
            (
                "layouts/a.html",
                "---\nlayout: b.njk\nx: a\n---\nA{{ content }}",
            ),
            (
                "layouts/b.html",
                "---\nlayout: layouts/c\nx: b\ny: b\n---\nB",
            ),
            ("layouts/c.html", "C"),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            layouts.chain("layouts/a.html"),
            ["layouts/a.html", "layouts/b.html", "layouts/c.html"]
        );
        let layers = layouts.layers("layouts/a.html");
        assert_eq!(layers[0].file, Path::new("layouts/b.html"));
        assert_eq!(layers[1].file, Path::new("layouts/a.html"));
        assert!(layers.iter().all(|l| l.map.get("layout").is_none()));
        let a = &layouts.files["layouts/a.html"];
        assert_eq!((a.body.as_str(), a.body_line), ("A{{ content }}", 5));
    }

    #[test]
    fn a_cycle_is_an_error_naming_every_file_once() {
        let (layouts, problems) = files(&[
            ("layouts/a.html", "---\nlayout: b\n---\nA"),
            ("layouts/b.html", "---\nlayout: a\n---\nB"),
        ]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].message,
            "layouts render into each other in a cycle: layouts/a.html → layouts/b.html → layouts/a.html"
        );
        assert_eq!(problems[0].line, Some(2));
        assert_eq!(layouts.chain("layouts/b.html").len(), 2);
    }

    #[test]
    fn an_unknown_parent_names_the_layout_file_and_line() {
        let (_, problems) = files(&[("layouts/a.html", "---\ntitle: t\nlayout: nope\n---\nA")]);
        assert_eq!(
            problems[0].file.as_deref(),
            Some(Path::new("layouts/a.html"))
        );
        assert_eq!(problems[0].line, Some(3));
        assert!(problems[0].message.contains("unknown layout `nope`"));
    }
}
