//! Figures as one page sees them: the site's figure data with the page's own scenarios, and
//! figure errors turned into diagnostics at the page's real lines.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::figures::claims::{self, Claim, Verdict};
use crate::figures::{FigureError, Figures, Rendered, Scenarios};

/// A claim that held when its page was built, kept so `check --sensitivity` can try it again
/// under other prices without rendering the page.
#[derive(Debug, Clone)]
pub struct PageClaim {
    /// The page's source, relative to the site root.
    pub file: PathBuf,
    /// The 1-based line of the claim comment in that file.
    pub line: usize,
    /// What the claim says, parsed.
    pub claim: Claim,
    /// The sentence the claim backs (the last one above it), as written in the Markdown.
    pub sentence: String,
    /// The page's scenarios (its own `scenarios:` merged over the site's).
    pub scenarios: Scenarios,
}

/// What the claims in one piece of HTML gave.
#[derive(Debug, Default)]
pub struct Claims {
    /// The HTML with the claim comments taken out.
    pub html: String,
    /// Every claim that could be computed, kept for `check --sensitivity`.
    pub found: Vec<PageClaim>,
    /// Data files the claims' values were computed from (a change to one rebuilds the page).
    pub reads: Vec<PathBuf>,
    /// Claims that did not hold or could not be computed, located in the page.
    pub problems: Vec<Diagnostic>,
}

/// Opens a claim comment.
const CLAIM: &str = "<!--";

/// The figures of one page.
pub struct PageFigures<'a> {
    figures: &'a Figures,
    scenarios: Scenarios,
    file: PathBuf,
}

impl<'a> PageFigures<'a> {
    /// `front_matter_scenarios` is the page's `scenarios:` value; `line` is where it is written.
    pub fn new(
        figures: &'a Figures,
        file: &Path,
        front_matter_scenarios: Option<&crate::yaml::Value>,
        line: Option<usize>,
    ) -> Result<Self, Diagnostic> {
        let scenarios = figures
            .page_scenarios(front_matter_scenarios)
            // Scenario errors are shown at the `scenarios:` key: values are not mapped to lines.
            .map_err(|e| located(FigureError { line: None, ..e }, file, line.unwrap_or(1)))?;
        Ok(PageFigures {
            figures,
            scenarios,
            file: file.to_path_buf(),
        })
    }

    /// A fenced figure whose fence is on file line `fence_line`.
    pub fn block(&self, name: &str, body: &str, fence_line: usize) -> Result<Rendered, Diagnostic> {
        self.figures
            .block(name, body, &self.scenarios)
            .map_err(|e| located(e, &self.file, fence_line))
    }

    /// An inline value (`=…`, without the `=`) at file line `line`, column `col`.
    pub fn inline(&self, expr: &str, line: usize, col: usize) -> Result<Rendered, Diagnostic> {
        self.figures.inline(expr, &self.scenarios).map_err(|e| {
            let d = located(FigureError { line: None, ..e }, &self.file, line);
            if d.file.as_deref() == Some(self.file.as_path()) {
                d.at(line, Some(col))
            } else {
                d
            }
        })
    }
}

impl PageFigures<'_> {
    /// Checks every `<!-- claim: … -->` in `html` (raw HTML from the Markdown, whose first line
    /// is file line `line`); `before` is the Markdown above it, where the sentence is.
    pub fn claims(&self, html: &str, line: usize, before: &str) -> Claims {
        let mut out = Claims::default();
        let mut rest = html;
        while let Some(start) = rest.find(CLAIM) {
            let comment = &rest[start..];
            let (inner, end) = match comment.find("-->") {
                Some(e) => (comment.get(4..e.max(4)).unwrap_or(""), e + 3),
                None => (&comment[4..], comment.len()),
            };
            let inner = inner.trim();
            let here = line
                + html[..html.len() - rest.len() + start]
                    .matches('\n')
                    .count();
            out.html.push_str(&rest[..start]);
            match claim_text(inner) {
                Some(Ok(text)) => self.claim(text, here, before, &mut out),
                Some(Err(d)) => out.problems.push(d.in_file(&self.file).at(here, None)),
                None => out.html.push_str(&comment[..end]),
            }
            rest = &comment[end..];
        }
        out.html.push_str(rest);
        out
    }

    fn claim(&self, text: &str, line: usize, before: &str, out: &mut Claims) {
        let at = |e: FigureError| located(FigureError { line: None, ..e }, &self.file, line);
        let claim = match claims::parse(text) {
            Ok(claim) => claim,
            Err(e) => return out.problems.push(at(e)),
        };
        let sentence = sentence_before(before);
        match self.figures.claim(&claim, &self.scenarios) {
            Ok((verdict, reads)) => {
                out.reads.extend(reads);
                if !verdict.holds {
                    out.problems.push(
                        false_claim(&claim, &verdict, &sentence)
                            .in_file(&self.file)
                            .at(line, None),
                    );
                }
                out.found.push(PageClaim {
                    file: self.file.clone(),
                    line,
                    claim,
                    sentence,
                    scenarios: self.scenarios.clone(),
                });
            }
            Err(e) => out.problems.push(at(e)),
        }
    }
}

/// The text after `claim:` in a comment's inside; `None` if the comment is not a claim; an error
/// for a comment that looks like a claim but is written wrong.
fn claim_text(inner: &str) -> Option<Result<&str, Diagnostic>> {
    let word_end = inner
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(inner.len());
    let word = &inner[..word_end];
    if !word.eq_ignore_ascii_case("claim") && !word.eq_ignore_ascii_case("claims") {
        return None;
    }
    match inner[word_end..].trim_start().strip_prefix(':') {
        Some(text) if word == "claim" => Some(Ok(text.trim())),
        _ => Some(Err(Diagnostic::error(format!(
            "`<!-- {word}` is not how a claim starts"
        ))
        .help("write `<!-- claim: A < B -->`, one claim per comment"))),
    }
}

/// The error for a claim the data does not support.
pub fn false_claim(claim: &Claim, verdict: &Verdict, sentence: &str) -> Diagnostic {
    let mut help = verdict.values.join("\n");
    if !sentence.is_empty() {
        help.push_str(&format!("\nsentence: \"{sentence}\""));
    }
    help.push_str("\nthe data no longer supports this sentence: change the prose or the claim");
    Diagnostic::error(format!("claim does not hold: {claim}")).help(help.trim_start())
}

/// The last sentence of the last paragraph in `before`, skipping comment lines (other claims)
/// between it and the claim, with its whitespace collapsed.
fn sentence_before(before: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in before.rsplit('\n') {
        let line = without_comments(line);
        if line.trim().is_empty() {
            // Blank lines and comment lines (other claims) before the text are skipped; after
            // it they end the paragraph.
            if lines.is_empty() {
                continue;
            }
            break;
        }
        lines.push(line);
    }
    lines.reverse();
    let text = lines
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let starts: Vec<usize> = text
        .match_indices(['.', '?', '!'])
        .map(|(i, _)| i + 1)
        .filter(|&i| i + 1 < text.len() && text[i..].starts_with(' '))
        .collect();
    let sentence = match starts.last() {
        Some(&i) => text[i..].trim(),
        None => text.trim(),
    };
    match sentence.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &sentence[..cut]),
        None => sentence.to_string(),
    }
}

/// `line` with every complete `<!-- … -->` taken out.
fn without_comments(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find(CLAIM) {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// An error in a data file keeps its own file and line. One in the page is placed at `base`
/// (the fence line) plus its line in the figure's body, which counts from 1 after the fence.
fn located(e: FigureError, page: &Path, base: usize) -> Diagnostic {
    let mut d = Diagnostic::error(e.message);
    if let Some(help) = e.help {
        d = d.help(help);
    }
    match e.file {
        Some(file) => d.in_file(file).at_line(e.line),
        None => d.in_file(page).at(base + e.line.unwrap_or(0), None),
    }
}

/// An error in a data file, read when figures load.
pub fn data_error(e: FigureError) -> Diagnostic {
    located(e, Path::new("data"), 0)
}
