//! Sorts the changed paths of one rebuild by role (pages, layouts, static files, data) and
//! decides when only a full rebuild is safe. Pure: what the file system says about each path is
//! gathered first, into [`Fact`]s.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::discover::Inputs;

/// What the file system said about a changed path (relative to the site root).
#[derive(Debug, Clone)]
pub struct Fact {
    pub path: PathBuf,
    /// It is a file now (not deleted, not a folder).
    pub file: bool,
    pub dir: bool,
    /// It is a link that resolves outside the site.
    pub leaves_root: bool,
}

/// The changed files of one rebuild, by role.
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    pub pages: BTreeSet<PathBuf>,
    /// Layout files, as template names (`layouts/blog.html`).
    pub layouts: BTreeSet<String>,
    pub statics: BTreeSet<PathBuf>,
    /// Any file under `data/`.
    pub data: BTreeSet<PathBuf>,
    /// `data/*.yaml|json`: template data and figure prices.
    pub top_data: bool,
    pub full: bool,
}

/// Sorts `facts` by role, given the inputs of the last good build.
pub fn classify(facts: &[Fact], inputs: &Inputs) -> Changes {
    let mut changes = Changes::default();
    for fact in facts {
        let path = &fact.path;
        let top = path
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default();
        match top {
            _ if path == Path::new(crate::config::FILE) => changes.full = true,
            // A link out of the site: a full build reports it, as `build` does.
            _ if fact.leaves_root => changes.full = true,
            // An input folder itself came or went: its files are unknown here.
            _ if crate::watch::is_input_dir(path) => changes.full = true,
            // A folder that vanished (or was renamed away): its files are unknown here.
            _ if !fact.file && known_folder(inputs, path) => changes.full = true,
            _ if fact.dir => {}
            "content" if is_page(path) => {
                changes.pages.insert(path.clone());
            }
            // Folder and page data, Eleventy's global data and files published beside pages
            // are rare edits: rebuild everything.
            "content" | "_data" => changes.full = true,
            "layouts" => {
                // A layout added or removed changes which layout names resolve: rebuild all.
                changes.full |= fact.file != inputs.layouts.contains(path);
                changes
                    .layouts
                    .insert(path.to_string_lossy().replace('\\', "/"));
            }
            "static" => {
                changes.statics.insert(path.clone());
            }
            "data" => {
                let is_top = path.components().count() == 2
                    && matches!(
                        path.extension().and_then(|e| e.to_str()),
                        Some("yaml" | "yml" | "json")
                    );
                changes.top_data |= is_top;
                changes.full |= is_top && fact.file != inputs.data.contains(path);
                changes.data.insert(path.clone());
            }
            _ => {}
        }
    }
    changes
}

/// A page source: Markdown or a Tera template under `content/`.
pub fn is_page(path: &Path) -> bool {
    path.starts_with("content")
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "html")
        )
}

/// Whether any known input lies under `path`.
fn known_folder(inputs: &Inputs, path: &Path) -> bool {
    let i = inputs;
    i.pages
        .iter()
        .chain(&i.statics)
        .chain(&i.layouts)
        .chain(&i.data)
        .chain(&i.dir_defaults)
        .any(|p| p.starts_with(path) && p != path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> Inputs {
        Inputs {
            pages: vec!["content/blog/a.md".into()],
            statics: vec!["static/site.css".into()],
            layouts: vec!["layouts/base.html".into()],
            data: vec!["data/pricing.yaml".into()],
            ..Inputs::default()
        }
    }

    fn file(path: &str) -> Fact {
        Fact {
            path: path.into(),
            file: true,
            dir: false,
            leaves_root: false,
        }
    }

    fn gone(path: &str) -> Fact {
        Fact {
            file: false,
            ..file(path)
        }
    }

    /// Each row: the changed paths, and whether only a full rebuild is safe.
    #[test]
    fn full_rebuilds_only_where_the_inputs_are_unknown() {
        let rows: [(&[Fact], bool); 12] = [
            (&[file("content/blog/a.md")], false),
            (&[gone("content/blog/a.md")], false),
            (&[file("content/blog/new.md")], false),
            (&[file("layouts/base.html")], false),
            (&[file("layouts/new.html")], true),
            (&[gone("layouts/base.html")], true),
            (&[file("static/site.css")], false),
            (&[file("data/pricing.yaml")], false),
            (&[file("data/new.yaml")], true),
            (&[file("site.yaml")], true),
            (&[gone("content/blog")], true),
            (&[file("content/blog/blog.json")], true),
        ];
        for (facts, full) in rows {
            assert_eq!(classify(facts, &inputs()).full, full, "{facts:?}");
        }
    }

    #[test]
    fn paths_are_sorted_by_role() {
        let facts = [
            file("content/blog/a.md"),
            file("layouts/base.html"),
            file("static/site.css"),
            file("data/pricing.yaml"),
            file("notes.txt"),
        ];
        let changes = classify(&facts, &inputs());
        assert_eq!(changes.pages, ["content/blog/a.md".into()].into());
        assert_eq!(changes.layouts, ["layouts/base.html".to_string()].into());
        assert_eq!(changes.statics, ["static/site.css".into()].into());
        assert_eq!(changes.data, ["data/pricing.yaml".into()].into());
        assert!(changes.top_data && !changes.full);
    }

    #[test]
    fn a_link_out_of_the_site_rebuilds_everything_so_the_build_reports_it() {
        let fact = Fact {
            leaves_root: true,
            ..file("static/site.css")
        };
        assert!(classify(&[fact], &inputs()).full);
    }
}
