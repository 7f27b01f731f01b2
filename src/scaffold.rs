//! `new`: a draft post with front matter, in `content/blog/posts/<slug>.md`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::permalink::slugify;

/// Where new posts are created, relative to the site root.
const POSTS_DIR: &str = "content/blog/posts";

/// Creates the post and returns its path relative to `root`. Never overwrites a file.
pub fn new_post(
    root: &Path,
    title: &str,
    tags: &[String],
    today: jiff::civil::Date,
) -> Result<PathBuf, Diagnostic> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(
            Diagnostic::error(format!("cannot make a file name from the title `{title}`"))
                .help("use a title with at least one letter or digit"),
        );
    }
    let rel = Path::new(POSTS_DIR).join(format!("{slug}.md"));
    let path = root.join(&rel);
    let io =
        |e: std::io::Error| Diagnostic::error(format!("cannot create `{}`: {e}", rel.display()));
    fs::create_dir_all(root.join(POSTS_DIR)).map_err(io)?;
    let mut file = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Diagnostic::error(format!(
                "`{}` already exists; nothing was written",
                rel.display()
            ))
            .help("choose another title, or edit the existing post"));
        }
        Err(e) => return Err(io(e)),
    };
    let mut all_tags = vec!["post".to_string()];
    all_tags.extend(
        tags.iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty() && t != "post"),
    );
    let quoted: Vec<String> = all_tags.iter().map(|t| yaml_string(t)).collect();
    let text = format!(
        "---\ntitle: {}\ndate: {today}\ntags: [{}]\ndraft: true\n---\n\nWrite the introduction here.\n\n<!-- more -->\n",
        yaml_string(title),
        quoted.join(", ")
    );
    file.write_all(text.as_bytes()).map_err(io)?;
    Ok(rel)
}

/// A double-quoted YAML string (JSON's escaping is valid YAML).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}
