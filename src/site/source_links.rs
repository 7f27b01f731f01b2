//! Links written to source files, as Eleventy's InputPathToUrl plugin reads them: while a
//! page's Markdown renders, links to `.md` files (Markdown links and `href`s in raw HTML) are
//! noted with their lines; once every page's URL is known, they are rewritten to those URLs,
//! keeping the `#fragment`. A link to no page's source stays as written, with a warning
//! (`check` makes it an error).

#![deny(clippy::indexing_slicing)]

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, Tag};

use crate::diag::{Diagnostic, line_col};
use crate::site::Page;

/// How the warning about a link to no page's source begins (`check` turns it into an error).
pub const UNKNOWN: &str = "link to a source file that is no page:";

/// Extensions of source files a link may name: Markdown, and Eleventy template languages whose
/// pages were ported to Tera `.html` pages of the same name.
const SOURCE_EXTENSIONS: &[&str] = &["md", "njk", "liquid"];

/// One link to a source file, as written, and its line in the page's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    /// The link's target as written, e.g. `../other.md#usage`.
    pub href: String,
    /// The 1-based line of the link in the page's file.
    pub line: usize,
}

/// Whether `href` names a source file: a path with no scheme or host, ending in `.md` (or
/// another template language's extension) before any `#fragment` or `?query`.
fn is_source_link(href: &str) -> bool {
    if href.starts_with("//") || href.starts_with('#') {
        return false;
    }
    let path = href.split(['#', '?']).next().unwrap_or_default();
    if path.contains(':') {
        return false;
    }
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SOURCE_EXTENSIONS.contains(&e))
}

/// The source links in a page's events; `line_of` turns a body offset into a file line.
pub fn collect(events: &[(Event, Range<usize>)], body: &str, first_line: usize) -> Vec<SourceLink> {
    let line = |offset: usize| first_line + line_col(body, offset).0 - 1;
    let mut links = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if is_source_link(dest_url) => {
                links.push(SourceLink {
                    href: dest_url.to_string(),
                    line: line(range.start),
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, href) in html_hrefs(html) {
                    links.push(SourceLink {
                        href,
                        line: line(range.start + at),
                    });
                }
            }
            _ => {}
        }
    }
    links
}

/// `href="…"` and `href='…'` values in raw HTML that name source files, with their offsets.
fn html_hrefs(html: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find("href=") {
        let start = from + i + "href=".len();
        from = start;
        let Some(quote) = html[start..]
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
        else {
            continue;
        };
        let Some(len) = html[start + 1..].find(quote) else {
            break;
        };
        let href = &html[start + 1..start + 1 + len];
        if is_source_link(href) {
            found.push((from - "href=".len(), href.to_string()));
        }
        from = start + 1 + len;
    }
    found
}

/// Every page's URL by its source file (`content/blog/x.md`); unpublished pages map to `None`.
pub type Urls = HashMap<PathBuf, Option<String>>;

/// Every page's URL by its source file, to look links up in.
pub fn urls<'a>(pages: impl Iterator<Item = &'a Page>) -> Urls {
    pages.map(|p| (p.source.clone(), p.url.clone())).collect()
}

/// Rewrites `page`'s source links to the URLs they name; reports the ones that name no page.
pub fn rewrite(page: &mut Page, urls: &Urls, problems: &mut Vec<Diagnostic>) {
    for link in page.markdown.source_links.clone() {
        let (path, fragment) = match link.href.find(['#', '?']) {
            Some(i) => link.href.split_at(i),
            None => (link.href.as_str(), ""),
        };
        let tried = candidates(path, &page.source);
        let target = tried.iter().find_map(|c| urls.get(c).map(|url| (c, url)));
        match target {
            Some((_, Some(url))) => {
                let to = format!("{url}{fragment}");
                let html = replace_href(&page.markdown.html.html(), &link.href, &to);
                page.markdown.html = crate::site::packed::Packed::new(&html);
                if let Some(summary) = &page.markdown.summary {
                    page.markdown.summary = Some(replace_href(summary, &link.href, &to));
                }
            }
            Some((source, None)) => problems.push(
                Diagnostic::warning(format!(
                    "{UNKNOWN} `{}` is not published (`permalink: false`)",
                    source.display()
                ))
                .in_file(&page.source)
                .at(link.line, None)
                .help("publish that page, or remove the link"),
            ),
            None => problems.push(unknown(page, &link, &tried)),
        }
    }
}

fn unknown(page: &Page, link: &SourceLink, tried: &[PathBuf]) -> Diagnostic {
    let tried: Vec<String> = tried.iter().map(|p| format!("`{}`", p.display())).collect();
    let tried = match tried.is_empty() {
        true => "it leads out of `content/`".to_string(),
        false => format!("there is no page {}", tried.join(" or ")),
    };
    Diagnostic::warning(format!("{UNKNOWN} `{}`: {tried}", link.href))
        .in_file(&page.source)
        .at(link.line, None)
        .help("name a page's source file from `content/` (`/blog/post.md`) or from this file's folder (`post.md`), or link to its URL")
}

/// The source files `path` may name, in Eleventy's order: from `content/` first, then from the
/// linking page's folder. A path with `%20`-style escapes is decoded first.
fn candidates(path: &str, from: &Path) -> Vec<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let content = Path::new("content");
    let mut bases = vec![content.to_path_buf()];
    if !decoded.starts_with('/') {
        bases.push(from.parent().unwrap_or(content).to_path_buf());
    }
    let mut found: Vec<PathBuf> = Vec::new();
    for base in bases {
        let Some(joined) = normal_join(&base, decoded.trim_start_matches('/')) else {
            continue;
        };
        if !joined.starts_with(content) || found.contains(&joined) {
            continue;
        }
        // An Eleventy template named by its own extension is the ported `.html` page.
        if joined.extension().is_some_and(|e| e != "md") {
            found.push(joined.with_extension("html"));
        }
        found.push(joined);
    }
    found
}

/// `base` joined with `rel`, `.` and `..` resolved; `None` when `..` climbs above the root.
fn normal_join(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in base.join(rel).components() {
        match part {
            Component::Normal(p) => out.push(p),
            // Nothing left to go up from: the path climbs out of the root.
            Component::ParentDir => out.pop().then_some(())?,
            _ => {}
        }
    }
    Some(out)
}

/// `html` with every `href` whose value is `from` (as written in raw HTML, or as pulldown-cmark
/// escapes a Markdown link) set to `to`.
fn replace_href(html: &str, from: &str, to: &str) -> String {
    let mut escaped_from = String::new();
    let mut escaped_to = String::new();
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(&mut escaped_from, from);
    let _ = pulldown_cmark_escape::escape_href(&mut escaped_to, to);
    let mut out = html.to_string();
    for (f, t) in [(escaped_from.as_str(), escaped_to.as_str()), (from, to)] {
        for q in ['"', '\''] {
            out = out.replace(&format!("href={q}{f}{q}"), &format!("href={q}{t}{q}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_links_are_paths_to_template_files() {
        for yes in ["/blog/a.md", "../a.md", "a.md#part", "a.md?x", "index.njk"] {
            assert!(is_source_link(yes), "{yes}");
        }
        for no in [
            "https://x.org/a.md",
            "//x.org/a.md",
            "mailto:a.md",
            "#a.md",
            "/a/",
            "a.html",
        ] {
            assert!(!is_source_link(no), "{no}");
        }
    }

    #[test]
    fn candidates_follow_eleventys_order_and_stay_in_content() {
        let from = Path::new("content/blog/second.md");
        let paths = |p: &str| -> Vec<String> {
            candidates(p, from)
                .iter()
                .map(|p| p.display().to_string())
                .collect()
        };
        assert_eq!(paths("/blog/first.md"), ["content/blog/first.md"]);
        assert_eq!(
            paths("blog/third.md"),
            ["content/blog/third.md", "content/blog/blog/third.md"]
        );
        assert_eq!(paths("../about.md"), ["content/about.md"]);
        assert_eq!(
            paths("my%20post.md"),
            ["content/my post.md", "content/blog/my post.md"]
        );
        assert_eq!(paths("../../../etc/x.md"), Vec::<String>::new());
        assert_eq!(
            paths("/index.njk"),
            ["content/index.html", "content/index.njk"]
        );
    }

    #[test]
    fn raw_html_hrefs_are_found_with_their_offsets() {
        let html = r#"<a class="x" href="/blog/a.md">A</a> <a href='b.md#c'>B</a> <a href="/c/">"#;
        let found = html_hrefs(html);
        assert_eq!(
            found,
            [(13, "/blog/a.md".to_string()), (40, "b.md#c".to_string())]
        );
    }

    #[test]
    fn hrefs_are_replaced_in_both_spellings() {
        let html = r#"<a href="a%20b.md#x">1</a><a href='a b.md#x'>2</a><a href="other.md">"#;
        assert_eq!(
            replace_href(html, "a b.md#x", "/a-b/#x"),
            r#"<a href="/a-b/#x">1</a><a href='/a-b/#x'>2</a><a href="other.md">"#
        );
    }
}
