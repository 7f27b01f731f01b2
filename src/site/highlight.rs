//! Code highlighting at build time: syntect with the two-face syntax set, emitting CSS classes,
//! and the one stylesheet (light and dark themes) those classes need.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::config::HighlightConfig;
use crate::diag::Diagnostic;

/// Prefixed so highlight classes never collide with the site's own CSS.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Where the generated stylesheet is published.
pub const STYLESHEET_URL: &str = "/css/highlight.css";

/// Names people write in info strings that the syntax set knows by another token.
const ALIASES: &[(&str, &str)] = &[
    ("terraform", "tf"),
    ("hcl", "tf"),
    ("shell", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("console", "bash"),
    ("yml", "yaml"),
    ("ts", "typescript"),
    ("js", "javascript"),
    ("golang", "go"),
    ("py", "python"),
    ("rs", "rust"),
    ("docker", "dockerfile"),
    // Prism's names, which Eleventy's highlighter uses.
    ("markup", "html"),
    ("svg", "xml"),
    ("njk", "html"),
    ("nunjucks", "html"),
    ("liquid", "html"),
    ("shell", "bash"),
];

/// Names for text shown as it is, without a warning.
const PLAIN: &[&str] = &["text", "plaintext", "plain", "txt", "none"];

/// Loads the syntax set once, on the first code block, and shares it between threads.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    fn find(&self, lang: &str) -> Option<&SyntaxReference> {
        let lang = lang.to_ascii_lowercase();
        // Prism's `diff-js`: a diff of JavaScript, highlighted as a diff.
        let lang = match lang.strip_prefix("diff-") {
            Some(_) => String::from("diff"),
            None => lang,
        };
        let token = ALIASES
            .iter()
            .find(|(a, _)| *a == lang)
            .map_or(lang.as_str(), |(_, t)| t);
        self.syntaxes().find_syntax_by_token(token)
    }

    /// `<pre>` HTML for a code block, focusable so a keyboard can scroll its long lines, or why
    /// it is shown plain (the caller warns and falls back to [`plain`]).
    pub fn highlight(&self, lang: &str, code: &str) -> Result<String, NotHighlighted> {
        self.highlight_within(lang, code, BLOCK_BUDGET)
    }

    fn highlight_within(
        &self,
        lang: &str,
        code: &str,
        budget: Duration,
    ) -> Result<String, NotHighlighted> {
        if PLAIN.contains(&lang.to_ascii_lowercase().as_str()) {
            return Ok(plain(Some(lang), code));
        }
        let syntax = self.find(lang).ok_or(NotHighlighted::UnknownLanguage)?;
        // syntect's regexes can take time that grows faster than a line's length (a one-line
        // 80 KB JSON took 83 s): long lines are not highlighted, and a block stops at a budget.
        if let Some(line) = code.lines().position(|l| l.len() > MAX_LINE_BYTES) {
            return Err(NotHighlighted::LongLine { line: line + 1 });
        }
        let started = Instant::now();
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, self.syntaxes(), CLASS_STYLE);
        for (n, line) in LinesWithEndings::from(code).enumerate() {
            // Only fails on a grammar bug; plain text is better than a failed build then.
            if generator
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return Ok(plain(Some(lang), code));
            }
            if started.elapsed() >= budget {
                return Err(NotHighlighted::OverBudget { line: n + 1 });
            }
        }
        Ok(format!(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"{}\"><code>{}</code></pre>\n",
            escape_html(lang),
            unique_classes(&generator.finalize())
        ))
    }
}

/// Lines longer than this are never highlighted (minified code, data pasted on one line).
pub const MAX_LINE_BYTES: usize = 2_000;

/// The time a block may take to highlight before it is shown plain.
const BLOCK_BUDGET: Duration = Duration::from_secs(2);

/// Why a code block is shown without highlighting.
#[derive(Debug, PartialEq, Eq)]
pub enum NotHighlighted {
    /// The fence names a language the bundled syntaxes do not know.
    UnknownLanguage,
    /// Its `line` (1-based, in the block) is longer than [`MAX_LINE_BYTES`].
    LongLine {
        /// The long line, 1-based within the block.
        line: usize,
    },
    /// Highlighting had reached `line` when it ran out of time.
    OverBudget {
        /// The line being highlighted when time ran out, 1-based within the block.
        line: usize,
    },
}

/// The HTML with each `class="…"` listing a class once: a scope such as `storage.type.type`
/// gives the same class twice, which HTML validators reject.
fn unique_classes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("class=\"") {
        let (before, after) = rest.split_at(at + "class=\"".len());
        out.push_str(before);
        let end = after.find('"').unwrap_or(after.len());
        let mut seen: Vec<&str> = Vec::new();
        for class in after[..end].split(' ') {
            if !seen.contains(&class) {
                seen.push(class);
            }
        }
        out.push_str(&seen.join(" "));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// An escaped, unhighlighted code block.
pub fn plain(lang: Option<&str>, code: &str) -> String {
    match lang {
        Some(lang) => format!(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"{}\"><code>{}</code></pre>\n",
            escape_html(lang),
            escape_html(code)
        ),
        None => format!(
            "<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>\n",
            escape_html(code)
        ),
    }
}

/// The stylesheet for both themes: light by default, dark under `prefers-color-scheme: dark`.
/// An unknown theme is an error in `site.yaml`.
pub fn stylesheet(config: &HighlightConfig) -> Result<String, Diagnostic> {
    let themes = ThemeSet::load_defaults();
    let in_config = |message: String| Diagnostic::error(message).in_file(crate::config::FILE);
    let css_for = |name: &str| {
        let theme = themes.themes.get(name).ok_or_else(|| {
            let mut names: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
            names.sort_unstable();
            in_config(format!("unknown highlight theme `{name}`"))
                .help(format!("available themes: {}", names.join(", ")))
        })?;
        let css = css_for_theme_with_class_style(theme, CLASS_STYLE)
            .map_err(|e| in_config(format!("cannot turn the theme `{name}` into CSS: {e}")))?;
        // The theme's own background is the one its colours are checked against, so code blocks
        // take it too (`pre.code` is what the Markdown pass writes).
        Ok::<_, Diagnostic>(readable(&css).replace(".hl-code {", ".hl-code, pre.code {"))
    };
    let light = css_for(&config.light)?;
    let dark = css_for(&config.dark)?;
    // Each theme only inside its own scheme: a light rule the dark theme has no selector for
    // would otherwise keep its light colour in dark mode.
    Ok(format!(
        "/* Generated by breakeven from the `{}` and `{}` themes. */\n@media not all and (prefers-color-scheme: dark) {{\n{light}}}\n@media (prefers-color-scheme: dark) {{\n{dark}}}\n",
        config.light, config.dark
    ))
}

/// WCAG AA for normal text, with a little room for rounding.
const MIN_CONTRAST: f64 = 4.6;

/// The theme's CSS with every text colour moved towards black (light themes) or white (dark
/// ones) until it reaches AA contrast against the theme's background: several bundled themes
/// have token colours at 2–4:1.
fn readable(css: &str) -> String {
    let Some(background) = css
        .split("background-color: #")
        .nth(1)
        .and_then(|rest| rgb(rest.get(..6)?))
    else {
        return css.to_string();
    };
    let mut out = String::with_capacity(css.len());
    for line in css.split_inclusive('\n') {
        match line
            .trim_start()
            .strip_prefix("color: #")
            .and_then(|h| rgb(h.get(..6)?))
        {
            Some(colour) => {
                let fixed = with_contrast(colour, background);
                let hex = format!("{:02x}{:02x}{:02x}", fixed[0], fixed[1], fixed[2]);
                out.push_str(&format!(" color: #{hex};\n"));
            }
            None => out.push_str(line),
        }
    }
    out
}

fn rgb(hex: &str) -> Option<[u8; 3]> {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Relative luminance (WCAG 2).
fn luminance(c: [u8; 3]) -> f64 {
    let linear = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2])
}

fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `colour` mixed towards black or white, in small steps, until it reads on `background`.
fn with_contrast(colour: [u8; 3], background: [u8; 3]) -> [u8; 3] {
    let target = if luminance(background) > 0.18 {
        0.0
    } else {
        255.0
    };
    let mut c = colour;
    for step in 1..=20 {
        if contrast(c, background) >= MIN_CONTRAST {
            break;
        }
        let t = f64::from(step) / 20.0;
        c = colour.map(|v| (f64::from(v) + (target - f64::from(v)) * t).round() as u8);
    }
    c
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_and_slow_blocks_are_not_highlighted() {
        let h = Highlighter::default();
        let long = format!("x: 1\n{}\n", "(".repeat(MAX_LINE_BYTES + 1));
        assert_eq!(
            h.highlight("bash", &long),
            Err(NotHighlighted::LongLine { line: 2 })
        );
        assert_eq!(
            h.highlight_within("yaml", "a: 1\nb: 2\n", Duration::ZERO),
            Err(NotHighlighted::OverBudget { line: 1 })
        );
        assert!(h.highlight("yaml", "a: 1\nb: 2\n").is_ok());
    }

    #[test]
    fn required_languages_are_known() {
        let h = Highlighter::default();
        for lang in [
            "python",
            "typescript",
            "yaml",
            "json",
            "toml",
            "hcl",
            "terraform",
            "rust",
            "go",
            "bash",
            "dockerfile",
        ] {
            assert!(h.highlight(lang, "x = 1\n").is_ok(), "{lang}");
        }
    }

    #[test]
    fn prism_names_highlight_or_stay_plain_without_a_warning() {
        let h = Highlighter::default();
        let diff = h
            .highlight("diff-js", "-a\n+b\n")
            .expect("diff-js is a diff");
        assert!(diff.contains("hl-"), "{diff}");
        let markup = h.highlight("markup", "<p>x</p>\n").expect("markup is HTML");
        assert!(markup.contains("hl-"), "{markup}");
        assert_eq!(
            h.highlight("text", "<b>").as_deref(),
            Ok(
                "<pre class=\"code\" tabindex=\"0\" data-lang=\"text\"><code>&lt;b&gt;</code></pre>\n"
            )
        );
    }

    #[test]
    fn unknown_language_is_none_and_plain_escapes() {
        let h = Highlighter::default();
        assert_eq!(
            h.highlight("brainfudge", "a"),
            Err(NotHighlighted::UnknownLanguage)
        );
        assert_eq!(
            plain(None, "<b>"),
            "<pre class=\"code\" tabindex=\"0\"><code>&lt;b&gt;</code></pre>\n"
        );
    }

    #[test]
    fn every_token_colour_reads_on_its_themes_background() {
        let css = stylesheet(&HighlightConfig::default()).unwrap();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        for part in [light, dark] {
            let background = rgb(part.split("background-color: #").nth(1).unwrap()).unwrap();
            let colours: Vec<[u8; 3]> = part
                .lines()
                .filter_map(|l| rgb(l.trim_start().strip_prefix("color: #")?))
                .collect();
            assert!(colours.len() > 20);
            for c in colours {
                assert!(contrast(c, background) >= 4.5, "{c:?} on {background:?}");
            }
        }
        // InspiredGitHub's tag green (#63a35c) is 2.9:1 on white; it is darkened, not dropped.
        assert!(!css.contains("#63a35c"));
        assert!(css.contains(".hl-code, pre.code {"));
    }

    #[test]
    fn duplicate_classes_are_written_once() {
        assert_eq!(
            unique_classes("<span class=\"hl-storage hl-type hl-type\">a</span><b class=\"x\">"),
            "<span class=\"hl-storage hl-type\">a</span><b class=\"x\">"
        );
    }

    #[test]
    fn stylesheet_has_both_themes() {
        let css = stylesheet(&HighlightConfig::default()).unwrap();
        assert!(css.contains(".hl-"));
        assert!(css.contains("prefers-color-scheme: dark"));
    }
}
