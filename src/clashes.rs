//! Outputs that cannot both exist: a file where another output needs a folder (a page at
//! `/about` beside one at `/about/team/`, a page at `/css` beside `static/css/`). Found before
//! anything is written, so the error names both inputs instead of an OS error.

use std::collections::HashMap;

use crate::diag::Diagnostic;

/// One error per output file whose path another output needs as a folder. `planned` holds
/// (output path, the input it comes from).
pub fn file_folder_clashes(planned: &[(String, String)]) -> Vec<Diagnostic> {
    let mut folders: HashMap<&str, &str> = HashMap::new();
    for (path, origin) in planned {
        let mut end = path.len();
        while let Some(slash) = path[..end].rfind('/') {
            folders.entry(&path[..slash]).or_insert(origin);
            end = slash;
        }
    }
    let mut problems: Vec<Diagnostic> = planned
        .iter()
        .filter_map(|(path, origin)| {
            let inside = folders.get(path.as_str())?;
            Some(
                Diagnostic::error(format!(
                    "{origin} is published as the file `/{path}`, but {inside} needs `/{path}/` as a folder"
                ))
                .in_file(origin)
                .help("change one of the two permalinks, or rename the file or folder"),
            )
        })
        .collect();
    problems.sort();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(p, o)| (p.to_string(), o.to_string()))
            .collect()
    }

    #[test]
    fn a_file_where_a_folder_is_needed_names_both() {
        let found = file_folder_clashes(&plan(&[
            ("about", "content/about.md"),
            ("about/team/index.html", "content/team.md"),
            ("css", "content/css.md"),
            ("css/site.css", "static/css/site.css"),
            ("about-us/index.html", "content/us.md"),
        ]));
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "content/about.md is published as the file `/about`, but content/team.md needs `/about/` as a folder",
                "content/css.md is published as the file `/css`, but static/css/site.css needs `/css/` as a folder",
            ]
        );
    }

    #[test]
    fn nested_folders_alone_do_not_clash() {
        let found = file_folder_clashes(&plan(&[
            ("a/index.html", "content/a.md"),
            ("a/b/index.html", "content/a/b.md"),
        ]));
        assert!(found.is_empty());
    }
}
