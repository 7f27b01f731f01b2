//! Discovery: walks the site root and lists every input by role (pages, folder defaults,
//! layouts, static files, data files), sorted so builds are deterministic.

#![deny(clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::Diagnostic;

mod js_data;

/// Every input of a site, as paths relative to its root.
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    /// The site's folder, as given on the command line; every other path here is relative to it.
    pub root: PathBuf,
    /// `content/**/*.md` and `content/**/*.html`, less what `.eleventyignore` names.
    pub pages: Vec<PathBuf>,
    /// Folder and page data, in the order they apply (see [`DataScope`]): `content/**/_dir.yaml`,
    /// Eleventy's `<dir>/<dir>.json|yaml` and `.11tydata.json|yaml`, and `<page>.json|yaml`.
    pub dir_defaults: Vec<PathBuf>,
    /// Eleventy's JavaScript data files, which breakeven does not run.
    pub js_data: Vec<PathBuf>,
    /// Other files in `content/` (images, PDFs): published at their path inside `content/`, next
    /// to the pages that link to them.
    pub assets: Vec<PathBuf>,
    /// `layouts/**`.
    pub layouts: Vec<PathBuf>,
    /// `static/**`.
    pub statics: Vec<PathBuf>,
    /// `data/*.yaml`, `data/*.yml`, `data/*.json` (top level only: sub-folders hold figure data),
    /// and the same in Eleventy's `_data/` and `content/_data/`.
    pub data: Vec<PathBuf>,
}

/// Which pages a data file in `content/` applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataScope {
    /// Every page in this folder and below (`_dir.yaml`, `blog/blog.json`).
    Folder(PathBuf),
    /// One page (`post.json` beside `post.md`).
    Page(PathBuf),
}

/// Folders of global data, besides `data/`: Eleventy's.
const ELEVENTY_DATA_DIRS: &[&str] = &["_data", "content/_data"];

/// Data file extensions breakeven reads.
fn is_data_file(rel: &Path) -> bool {
    matches!(
        rel.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// The scope of `rel` (in `content/`) if it is a folder or page data file. `pages` lists the
/// pages found beside it, which makes `post.json` page data rather than an asset.
pub fn data_scope(rel: &Path, pages: &[PathBuf]) -> Option<DataScope> {
    let name = rel.file_name()?.to_str()?;
    let folder = rel.parent()?;
    if name == "_dir.yaml" || name == "_dir.yml" {
        return Some(DataScope::Folder(folder.to_path_buf()));
    }
    if !is_data_file(rel) {
        return None;
    }
    let stem = rel.file_stem()?.to_str()?;
    let stem = stem.strip_suffix(".11tydata").unwrap_or(stem);
    if folder.file_name().and_then(|n| n.to_str()) == Some(stem) {
        return Some(DataScope::Folder(folder.to_path_buf()));
    }
    ["md", "html"]
        .iter()
        .map(|ext| folder.join(format!("{stem}.{ext}")))
        .find(|page| pages.contains(page))
        .map(DataScope::Page)
}

/// Lists the inputs under `root`. Files that fit no role are reported as warnings.
pub fn scan(root: &Path, problems: &mut Vec<Diagnostic>) -> Inputs {
    let mut inputs = Inputs {
        root: root.to_path_buf(),
        ..Inputs::default()
    };
    let ignores = super::ignore::load(root);
    let (pages, others): (Vec<PathBuf>, Vec<PathBuf>) = walk(root, "content", problems)
        .into_iter()
        .filter(|rel| {
            !rel.starts_with("content/_data") && !super::ignore::is_ignored(&ignores, rel)
        })
        .partition(|rel| {
            matches!(
                rel.extension().and_then(|e| e.to_str()),
                Some("md" | "html")
            )
        });
    for rel in others {
        sort_other(rel, &pages, &mut inputs, problems);
    }
    inputs.pages = pages;
    inputs.layouts = walk(root, "layouts", problems);
    inputs.statics = walk(root, "static", problems);
    inputs.data = walk(root, "data", problems)
        .into_iter()
        .filter(|p| p.components().count() == 2 && is_data_file(p))
        .collect();
    for dir in ELEVENTY_DATA_DIRS {
        let depth = Path::new(dir).components().count() + 1;
        for rel in walk(root, dir, problems) {
            if rel.components().count() != depth {
                continue;
            }
            if is_data_file(&rel) {
                inputs.data.push(rel);
            } else if rel
                .extension()
                .is_some_and(|e| e == "js" || e == "cjs" || e == "mjs")
            {
                inputs.js_data.push(rel);
            }
        }
    }
    problems.extend(js_data::warnings(&inputs));
    inputs
}

/// Gives a file of `content/` that is not a page its role: data, JavaScript data, a template in
/// another language (a warning), or an asset published beside the pages.
fn sort_other(
    rel: PathBuf,
    pages: &[PathBuf],
    inputs: &mut Inputs,
    problems: &mut Vec<Diagnostic>,
) {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if data_scope(&rel, pages).is_some() {
        inputs.dir_defaults.push(rel);
    } else if [".11tydata.js", ".11tydata.cjs", ".11tydata.mjs"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        inputs.js_data.push(rel);
    } else if let Some(language) = template_language(name) {
        problems.push(
            Diagnostic::warning(format!(
                "this is {language} template, which breakeven does not render; it is not published"
            ))
            .in_file(&rel)
            .help("port it to a Tera page (`.html` with front matter) or a Markdown page"),
        );
    } else {
        inputs.assets.push(rel);
    }
}

/// An Eleventy template language other than Markdown, from a file name: "a Nunjucks".
fn template_language(name: &str) -> Option<&'static str> {
    let languages = [
        (".njk", "a Nunjucks"),
        (".liquid", "a Liquid"),
        (".11ty.js", "a JavaScript"),
        (".11ty.cjs", "a JavaScript"),
        (".webc", "a WebC"),
        (".hbs", "a Handlebars"),
        (".mustache", "a Mustache"),
        (".ejs", "an EJS"),
        (".haml", "a Haml"),
        (".pug", "a Pug"),
    ];
    languages
        .iter()
        .find(|(ext, _)| name.ends_with(ext))
        .map(|(_, language)| *language)
}

/// Files under `root/dir`, relative to `root`, sorted; hidden and editor files are skipped.
/// Symbolic links are followed only while they stay inside the site's folder.
fn walk(root: &Path, dir: &str, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let base = root.join(dir);
    if !base.is_dir() {
        return files;
    }
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let outside = std::cell::RefCell::new(Vec::new());
    let walker = WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_ignored(e.file_name().to_str()) {
                return false;
            }
            let escapes = e.path_is_symlink() && link_leaves(e.path(), &real_root);
            if escapes {
                outside.borrow_mut().push(e.path().to_path_buf());
            }
            !escapes
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(e.path())
                    .to_path_buf();
                if rel.to_str().is_none() {
                    problems.push(
                        Diagnostic::error("this file name is not valid UTF-8")
                            .in_file(&rel)
                            .help("rename the file using UTF-8 characters"),
                    );
                } else {
                    files.push(rel);
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf());
                let mut d = Diagnostic::error(format!("cannot read: {e}"));
                if let Some(path) = path {
                    d = d.in_file(path);
                }
                problems.push(d);
            }
        }
    }
    for link in outside.into_inner() {
        problems.push(outside_link(root, &link));
    }
    files
}

/// Whether the link at `path` resolves outside `real_root` (a canonical path). A link whose
/// target is missing is left to the walk, which reports it.
fn link_leaves(path: &Path, real_root: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|target| !target.starts_with(real_root))
}

/// Whether `root/rel` resolves outside the site's folder (through a symbolic link on its way).
pub fn leaves_root(root: &Path, rel: &Path) -> bool {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    link_leaves(&root.join(rel), &real_root)
}

/// A link out of the site: never followed, since a cloned theme or repository could otherwise
/// publish any file its reader can read.
pub fn outside_link(root: &Path, link: &Path) -> Diagnostic {
    let target = std::fs::read_link(link)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".into());
    let resolved = link
        .canonicalize()
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let shown = if resolved.is_empty() || resolved == target {
        format!("`{target}`")
    } else {
        format!("`{target}` (`{resolved}`)")
    };
    Diagnostic::error(format!(
        "this symbolic link points outside the site's folder, to {shown}; it is not followed"
    ))
    .in_file(link.strip_prefix(root).unwrap_or(link))
    .help("copy the file or folder into the site instead of linking to it, or remove the link")
}

/// Whether any part of `rel` is hidden or an editor's file: such paths are never inputs.
pub fn is_ignored_path(rel: &Path) -> bool {
    rel.components().any(|c| is_ignored(c.as_os_str().to_str()))
}

/// Hidden files, editors' swap and backup files: never inputs.
pub fn is_ignored(name: Option<&str>) -> bool {
    let Some(name) = name else { return false };
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("#")
        // Vim checks that a folder is writable with a file of this name before it saves.
        || name == "4913"
}

/// Control characters that XML forbids even escaped, and HTML too (tab, newline and carriage
/// return are fine).
pub fn is_forbidden_control(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0B' | '\x0C' | '\x0E'..='\x1F' | '\x7F' | '\u{FFFE}' | '\u{FFFF}')
}

/// A page's text without forbidden control characters (an ANSI colour code pasted from a
/// terminal, a stray NUL), with a warning at the first one's line: they would make the feed
/// ill-formed XML.
pub fn drop_control_chars(text: String, rel: &Path, problems: &mut Vec<Diagnostic>) -> String {
    let Some(at) = text.find(is_forbidden_control) else {
        return text;
    };
    let line = text[..at].matches('\n').count() + 1;
    let code = text[at..].chars().next().map_or(0, u32::from);
    problems.push(
        Diagnostic::warning(format!(
            "control character U+{code:04X} left out: HTML and XML do not allow it"
        ))
        .in_file(rel)
        .at(line, None)
        .help("delete it (a colour code pasted from a terminal starts with U+001B)"),
    );
    text.chars().filter(|&c| !is_forbidden_control(c)).collect()
}

/// Reads a text file, naming it (and the line of the first bad byte) if it is not UTF-8.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(rel))
        .map_err(|e| Diagnostic::error(format!("cannot read this file: {e}")).in_file(rel))?;
    // A byte-order mark some Windows editors write is not text: a layout starting with one would
    // fail with "`extends` needs to be the first tag", with the cause invisible.
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes.iter().take(good).filter(|b| **b == b'\n').count() + 1;
        Diagnostic::error(format!(
            "this file is not valid UTF-8 (bad byte at offset {good})"
        ))
        .in_file(rel)
        .at(line, None)
        .help("save the file as UTF-8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [".post.md.swp", "post.md~", "#post.md#", ".git", "4913.tmp"] {
            assert!(is_ignored(Some(name)), "{name}");
        }
        assert!(!is_ignored(Some("post.md")));
    }
}
