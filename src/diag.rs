//! Diagnostics: one type for every problem a build can report, and how it is shown.

#![deny(clippy::indexing_slicing)]

pub mod progress;
pub mod terminal;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How bad a problem is: errors fail the build, warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// Fails the build (or the `check`) once every file has been read.
    Error,
    /// Printed, and the build still writes its output.
    Warning,
}

/// One problem, located as precisely as we know it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Whether the problem fails the build.
    pub severity: Severity,
    /// Path relative to the site root, when the problem is in a file.
    pub file: Option<PathBuf>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub col: Option<usize>,
    /// What is wrong, in one sentence (shown after the location).
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem that fails the build, not yet located in a file.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            col: None,
            message: message.into(),
            help: None,
        }
    }

    /// A problem worth printing that does not fail the build.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Locates the problem in a file, given relative to the site root.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Locates the problem at a 1-based line and, when known, a 1-based column.
    pub fn at(mut self, line: usize, col: Option<usize>) -> Self {
        self.line = Some(line);
        self.col = col;
        self
    }

    /// Locates the problem at a 1-based line when one is known; keeps it as is otherwise.
    pub fn at_line(self, line: Option<usize>) -> Self {
        match line {
            Some(line) => self.at(line, None),
            None => self,
        }
    }

    /// Adds how to fix the problem (printed on `help:` lines below it).
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this problem fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `content/a.md:4:1` or whatever part of it is known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let mut out = file.to_string_lossy().replace('\\', "/");
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(col) = self.col {
                out.push_str(&format!(":{col}"));
            }
        }
        Some(out)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location() {
            Some(loc) => write!(f, "{label}: {loc}: {}", self.message)?,
            None => write!(f, "{label}: {}", self.message)?,
        }
        if let Some(help) = &self.help {
            for (i, line) in help.lines().enumerate() {
                let lead = if i == 0 { "help: " } else { "      " };
                write!(f, "\n  {lead}{line}")?;
            }
        }
        Ok(())
    }
}

/// How many pages a repeated problem names before it says how many more there are.
const PAGES_NAMED: usize = 3;

/// Problems found while rendering, each with the page it was found on (`None` when the page
/// is the problem's own file). The same problem at the same place on many pages (a layout
/// that fails on every page) becomes one diagnostic that names a few pages and counts them.
/// Problems at one template line are the same problem even when their messages differ in a
/// detail of each page (Tera lists the fields a page has): the first page's message is shown.
pub fn merge_repeats(found: Vec<(Diagnostic, Option<String>)>) -> Vec<Diagnostic> {
    type Place = (
        Severity,
        Option<PathBuf>,
        Option<usize>,
        Option<usize>,
        String,
    );
    let mut groups: std::collections::BTreeMap<Place, Vec<(Option<String>, Diagnostic)>> =
        Default::default();
    for (d, page) in found {
        // Without a line, only an identical message is surely the same problem.
        let message = if d.line.is_some() {
            String::new()
        } else {
            d.message.clone()
        };
        let place = (d.severity, d.file.clone(), d.line, d.col, message);
        groups.entry(place).or_default().push((page, d));
    }
    groups.into_values().filter_map(merge_group).collect()
}

/// One diagnostic for a group of repeats: the first page's, naming the pages.
fn merge_group(mut repeats: Vec<(Option<String>, Diagnostic)>) -> Option<Diagnostic> {
    repeats.sort();
    let mut pages: Vec<String> = repeats.iter().filter_map(|(p, _)| p.clone()).collect();
    pages.dedup();
    let (_, mut first) = repeats.into_iter().next()?;
    if pages.is_empty() {
        return Some(first);
    }
    let note = while_rendering(&pages);
    let help = match first.help.take() {
        Some(help) => format!("{help}\n{note}"),
        None => note,
    };
    Some(first.help(help))
}

/// `while rendering a.md, b.md and c.md`, or with more pages
/// `while rendering 10,052 pages: a.md, b.md, c.md and 10,049 more`.
fn while_rendering(pages: &[String]) -> String {
    let count = |n: usize| crate::figures::format::count(n as f64);
    match pages {
        [one] => format!("while rendering {one}"),
        [first @ .., last] if pages.len() <= PAGES_NAMED => {
            format!("while rendering {} and {last}", first.join(", "))
        }
        _ => format!(
            "while rendering {} pages: {} and {} more",
            count(pages.len()),
            pages.get(..PAGES_NAMED).unwrap_or(pages).join(", "),
            count(pages.len().saturating_sub(PAGES_NAMED))
        ),
    }
}

/// Line (1-based) and column (1-based, in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).unwrap_or(before).chars().count() + 1;
    (line, col)
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = if word.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Optimal string alignment distance: Levenshtein plus adjacent transpositions (`titel`).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // The table row by row: `last` is the row above, `two_back` the one above it.
    let mut two_back: Vec<usize> = Vec::new();
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut previous_a = None;
    for (i, ca) in a.chars().enumerate() {
        let mut row = vec![i + 1];
        let mut left = i + 1;
        let mut previous_b = None;
        let above = last.iter().zip(last.iter().skip(1));
        for (j, (&cb, (&diagonal, &up))) in b.iter().zip(above).enumerate() {
            let mut best = (up + 1).min(left + 1).min(diagonal + usize::from(ca != cb));
            let swapped = previous_a == Some(cb) && previous_b == Some(ca);
            let before_both = j.checked_sub(1).and_then(|k| two_back.get(k));
            if let Some(&before) = before_both.filter(|_| swapped) {
                best = best.min(before + 1);
            }
            row.push(best);
            left = best;
            previous_b = Some(cb);
        }
        two_back = std::mem::replace(&mut last, row);
        previous_a = Some(ca);
    }
    // The last row holds `b.len() + 1` cells, so it always has a last one.
    last.last().copied().unwrap_or(b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_key() {
        let keys = ["title", "tags", "permalink", "date", "layout"];
        assert_eq!(did_you_mean("titel", &keys), Some("title"));
        assert_eq!(did_you_mean("tag", &keys), Some("tags"));
        assert_eq!(did_you_mean("permalnk", &keys), Some("permalink"));
        assert_eq!(did_you_mean("author", &keys), None);
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 3), (2, 1));
    }

    #[test]
    fn the_same_error_on_many_pages_is_reported_once() {
        // Tera's message names what each page has: a detail that must not split the group.
        let error = |i| {
            Diagnostic::error(format!("template error: `x` not found; page has {i}"))
                .in_file("layouts/a.html")
        };
        let other = Diagnostic::error("another").in_file("layouts/b.html");
        let mut found: Vec<_> = (0..5)
            .rev()
            .map(|i| (error(i).at(3, Some(7)), Some(format!("content/{i}.md"))))
            .collect();
        found.push((other.clone(), None));
        found.push((other.clone(), None));
        found.push((error(7).at(9, None), Some("content/z.md".into())));
        let merged = merge_repeats(found);
        assert_eq!(
            merged.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "error: layouts/a.html:3:7: template error: `x` not found; page has 0\n  help: \
                 while rendering 5 pages: content/0.md, content/1.md, content/2.md and 2 more",
                "error: layouts/a.html:9: template error: `x` not found; page has 7\n  help: \
                 while rendering content/z.md",
                "error: layouts/b.html: another",
            ]
        );
    }

    #[test]
    fn a_few_pages_are_all_named() {
        let pages = ["a.md", "b.md", "c.md"].map(String::from);
        assert_eq!(
            while_rendering(&pages[..2]),
            "while rendering a.md and b.md"
        );
        assert_eq!(
            while_rendering(&pages),
            "while rendering a.md, b.md and c.md"
        );
    }

    #[test]
    fn display_is_rustc_like() {
        let d = Diagnostic::error("unknown key `titel` in front matter")
            .in_file("content/a.md")
            .at(4, Some(1))
            .help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:4:1: unknown key `titel` in front matter\n  help: did you mean `title`?"
        );
    }
}
