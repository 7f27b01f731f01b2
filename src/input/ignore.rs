//! Eleventy's `.eleventyignore`: takes the site root and gives the globs of the files it leaves
//! out, so content an Eleventy site keeps unpublished (a README, drafts) stays so here.

use std::path::Path;

/// One line of an ignore file, anchored at that file's folder (as Eleventy joins each line to
/// it), as path segments relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    segments: Vec<String>,
}

/// The files Eleventy reads ignores from: the project's root and its input folder, which are
/// the site root and `content/` here.
const IGNORE_FILES: &[&str] = &[".eleventyignore", "content/.eleventyignore"];

/// Every ignore line of the site's `.eleventyignore` files. Blank lines and `#` comments are
/// skipped; a missing or unreadable file ignores nothing, as in Eleventy.
pub fn load(root: &Path) -> Vec<Ignore> {
    let mut ignores = Vec::new();
    for file in IGNORE_FILES {
        let Ok(text) = std::fs::read_to_string(root.join(file)) else {
            continue;
        };
        let folder = Path::new(file).parent().unwrap_or(Path::new(""));
        ignores.extend(text.lines().filter_map(|line| parse(folder, line)));
    }
    ignores
}

/// A line as an anchored glob; `None` for blank lines, comments and negations (`!`), which
/// Eleventy's ignore files do not support either.
fn parse(folder: &Path, line: &str) -> Option<Ignore> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
        return None;
    }
    let line = line.strip_prefix("./").unwrap_or(line);
    let mut segments: Vec<String> = folder
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    segments.extend(
        line.split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .map(String::from),
    );
    Some(Ignore { segments })
}

/// Whether `rel` (relative to the site root) is left out: the glob names it, or one of its
/// folders (a folder's name stands for everything in it, as Eleventy adds `/**` to it).
pub fn is_ignored(ignores: &[Ignore], rel: &Path) -> bool {
    let parts: Vec<&str> = rel.iter().filter_map(|c| c.to_str()).collect();
    ignores
        .iter()
        .any(|ignore| (1..=parts.len()).any(|n| matches(&ignore.segments, &parts[..n])))
}

/// Glob segments against path segments: `**` is any number of segments.
fn matches(glob: &[String], path: &[&str]) -> bool {
    match glob.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| matches(rest, &path[skip..]))
        }
        Some((first, rest)) => path
            .split_first()
            .is_some_and(|(name, tail)| segment_matches(first, name) && matches(rest, tail)),
    }
}

/// One segment: `*` is any run of characters and `?` any one character.
fn segment_matches(glob: &str, name: &str) -> bool {
    let glob: Vec<char> = glob.chars().collect();
    let name: Vec<char> = name.chars().collect();
    // Positions in `glob` that can match the part of `name` read so far.
    let mut states = vec![false; glob.len() + 1];
    states[0] = true;
    close_stars(&glob, &mut states);
    for c in name {
        let mut next = vec![false; glob.len() + 1];
        for (i, g) in glob.iter().enumerate() {
            if states[i] {
                match g {
                    '*' => next[i] = true,
                    '?' => next[i + 1] = true,
                    g if *g == c => next[i + 1] = true,
                    _ => {}
                }
            }
        }
        close_stars(&glob, &mut next);
        states = next;
    }
    states[glob.len()]
}

/// A `*` may match nothing: being before it is also being after it.
fn close_stars(glob: &[char], states: &mut [bool]) {
    for i in 0..glob.len() {
        if states[i] && glob[i] == '*' {
            states[i + 1] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignored(folder: &str, line: &str, rel: &str) -> bool {
        let ignore = parse(Path::new(folder), line).expect("a glob");
        is_ignored(&[ignore], Path::new(rel))
    }

    #[test]
    fn lines_are_anchored_at_their_files_folder() {
        assert!(ignored("content", "README.md", "content/README.md"));
        assert!(!ignored("content", "README.md", "content/docs/README.md"));
        assert!(!ignored("content", "README.md", "README.md"));
        assert!(ignored("", "./content/README.md", "content/README.md"));
    }

    #[test]
    fn folders_and_stars_cover_what_is_inside() {
        assert!(ignored("content", "drafts", "content/drafts/a/b.md"));
        assert!(ignored("content", "drafts/", "content/drafts/b.md"));
        assert!(ignored(
            "content",
            "notes/*.wip.md",
            "content/notes/x.wip.md"
        ));
        assert!(!ignored("content", "notes/*.wip.md", "content/notes/x.md"));
        assert!(ignored("content", "**/*.wip.md", "content/a/b/x.wip.md"));
        assert!(ignored("content", "**/*.wip.md", "content/x.wip.md"));
        assert!(ignored("content", "post-?.md", "content/post-1.md"));
        assert!(!ignored("content", "post-?.md", "content/post-12.md"));
    }

    #[test]
    fn comments_blanks_and_negations_ignore_nothing() {
        for line in ["", "  ", "# README.md", "!README.md"] {
            assert_eq!(parse(Path::new("content"), line), None, "{line:?}");
        }
    }
}
