//! Diagnostics as a terminal shows them: rustc's layout (the message, the source line with a
//! caret under the problem, the help), coloured on a terminal and plain with `NO_COLOR` or when
//! the output goes to a pipe or a file.

use std::fmt::Write;
use std::io::IsTerminal;
use std::path::Path;

use anstyle::{AnsiColor, Style};

use crate::diag::{Diagnostic, Severity};

/// Whether to colour what goes to stderr: a terminal, unless `NO_COLOR` is set (no-color.org);
/// `CLICOLOR_FORCE` colours even a pipe.
pub fn stderr_colours() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    if set("NO_COLOR") {
        return false;
    }
    set("CLICOLOR_FORCE") || std::io::stderr().is_terminal()
}

/// The styles used, or none at all.
struct Palette {
    error: Style,
    warning: Style,
    strong: Style,
    gutter: Style,
    help: Style,
}

impl Palette {
    fn new(colour: bool) -> Palette {
        if !colour {
            let plain = Style::new();
            return Palette {
                error: plain,
                warning: plain,
                strong: plain,
                gutter: plain,
                help: plain,
            };
        }
        let bold = Style::new().bold();
        Palette {
            error: bold.fg_color(Some(AnsiColor::BrightRed.into())),
            warning: bold.fg_color(Some(AnsiColor::BrightYellow.into())),
            strong: bold,
            gutter: bold.fg_color(Some(AnsiColor::BrightBlue.into())),
            help: bold.fg_color(Some(AnsiColor::BrightCyan.into())),
        }
    }
}

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// Line `line` (1-based) of the diagnostic's file under `root`.
pub fn source_line(root: &Path, d: &Diagnostic) -> Option<String> {
    let (file, line) = (d.file.as_ref()?, d.line?);
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let source = text.lines().nth(line.checked_sub(1)?)?;
    Some(source.replace('\t', "    "))
}

/// One diagnostic, with its source line and a caret when the file and line are known:
///
/// ```text
/// error: content/a.md:4:8: invalid YAML: found unclosed quote
///   |
/// 4 | title: "Unclosed
///   |        ^
///   help: close the quote on the same line
/// ```
pub fn render(d: &Diagnostic, root: &Path, colour: bool) -> String {
    let p = Palette::new(colour);
    let (label, style) = match d.severity {
        Severity::Error => ("error", p.error),
        Severity::Warning => ("warning", p.warning),
    };
    let mut out = paint(style, label);
    let message = match d.location() {
        Some(loc) => format!(": {loc}: {}", d.message),
        None => format!(": {}", d.message),
    };
    out.push_str(&paint(p.strong, &message));
    let number = d.line.map(|l| l.to_string()).unwrap_or_default();
    let pad = " ".repeat(number.len());
    if let Some(source) = source_line(root, d) {
        let caret = caret_line(&source, d.col);
        let bar = paint(p.gutter, "|");
        let _ = write!(
            out,
            "\n{pad} {bar}\n{} {bar} {source}\n{pad} {bar} {}",
            paint(p.gutter, &number),
            paint(style, &caret)
        );
    }
    if let Some(help) = &d.help {
        for (i, line) in help.lines().enumerate() {
            let lead = if i == 0 { "help:" } else { "     " };
            let _ = write!(out, "\n  {} {line}", paint(p.help, lead));
        }
    }
    out
}

/// Spaces up to the column and a caret; without a column, carets under the whole line's text.
fn caret_line(source: &str, col: Option<usize>) -> String {
    match col {
        Some(col) => {
            let before: String = source.chars().take(col.saturating_sub(1)).collect();
            format!("{}^", " ".repeat(before.chars().count()))
        }
        None => {
            let indent = source.chars().take_while(|c| c.is_whitespace()).count();
            let width = source.trim().chars().count().max(1);
            format!("{}{}", " ".repeat(indent), "^".repeat(width))
        }
    }
}

/// Prints each diagnostic to stderr in the terminal's style; a closed stderr is not an error.
pub fn print_all(problems: &[Diagnostic], root: &Path) {
    let colour = stderr_colours();
    let mut err = std::io::stderr().lock();
    for d in problems {
        let _ = std::io::Write::write_all(&mut err, (render(d, root, colour) + "\n").as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(line: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.md"), format!("---\n{line}\n---\n")).expect("write");
        dir
    }

    #[test]
    fn plain_shows_the_line_and_a_caret_under_the_column() {
        let dir = site_with("title: \"Unclosed");
        let d = Diagnostic::error("unclosed quote")
            .in_file("a.md")
            .at(2, Some(8))
            .help("close it");
        assert_eq!(
            render(&d, dir.path(), false),
            "error: a.md:2:8: unclosed quote\n  |\n2 | title: \"Unclosed\n  |        ^\n  help: close it"
        );
    }

    #[test]
    fn without_a_column_the_whole_line_is_underlined() {
        let dir = site_with("  layout: blgo");
        let d = Diagnostic::warning("unknown layout")
            .in_file("a.md")
            .at(2, None);
        assert!(render(&d, dir.path(), false).ends_with("2 |   layout: blgo\n  |   ^^^^^^^^^^^^"));
    }

    #[test]
    fn colour_wraps_the_label_and_plain_has_no_escapes() {
        let d = Diagnostic::error("broken");
        assert!(render(&d, Path::new("."), true).starts_with("\u{1b}["));
        assert!(!render(&d, Path::new("."), false).contains('\u{1b}'));
    }
}
