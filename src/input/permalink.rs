//! URLs: slugs, default permalinks from source paths, and the output file a URL is written to.

#![deny(clippy::indexing_slicing)]

use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::diag::Diagnostic;

/// What a URL path may not carry as is (RFC 3986): spaces, `?`, `#`, `%` and other delimiters
/// are percent-encoded, as is every byte outside ASCII; `/` stays.
const NOT_IN_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A site path (`/my post/`) as a URL path (`/my%20post/`): the form every link, feed entry
/// and sitemap entry carries.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, NOT_IN_PATH).to_string()
}

/// Lower-case words joined by `-`: `Cold starts, measured!` → `cold-starts-measured`.
/// Letters outside ASCII are kept (lower-cased), so non-English titles keep readable URLs.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            dash = true;
        }
    }
    slug
}

/// `blog/posts/foo.md` → `/blog/posts/foo/`; `index.md` → `/`; `about/index.html` → `/about/`.
/// `rel` is relative to `content/`.
pub fn default_url(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // `blog/blog.md` is the folder's own page, as in Eleventy.
    if stem != "index" && parts.last() != Some(&stem) {
        parts.push(stem);
    }
    let mut url = String::from("/");
    for part in parts {
        url.push_str(&part);
        url.push('/');
    }
    url
}

/// Eleventy's `page.fileSlug`: the file name without extension or `YYYY-MM-DD-` date prefix;
/// for `index` files, the folder's name. `rel` is relative to `content/`.
pub fn file_slug(rel: &Path) -> String {
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if stem == "index" {
        return rel
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
    }
    // `2024-05-01-title`: the date, a `-`, and a name that is not empty.
    let undated = stem
        .split_at_checked(10)
        .and_then(|(date, rest)| Some((date, rest.strip_prefix('-')?)))
        .filter(|(date, rest)| !rest.is_empty() && crate::frontmatter::parse_date(date).is_some())
        .map(|(_, rest)| rest);
    undated.unwrap_or(stem).to_string()
}

/// Eleventy's `page.filePathStem`: `/blog/first-post` for `blog/first-post.md`.
pub fn file_path_stem(rel: &Path) -> String {
    let without = rel.with_extension("");
    format!("/{}", without.to_string_lossy().replace('\\', "/"))
}

/// Whether a permalink is a template to render (`/{{ page.fileSlug }}/`).
pub fn is_template(permalink: &str) -> bool {
    permalink.contains("{{") || permalink.contains("{%")
}

/// What a permalink template sees: the page's data keys, `title`, and Eleventy's `page`
/// variables (`fileSlug`, `filePathStem`, `inputPath`, `date`).
pub fn page_vars(fm: &crate::frontmatter::FrontMatter, rel: &std::path::Path) -> serde_json::Value {
    let content_rel = rel.strip_prefix("content").unwrap_or(rel);
    let mut vars = serde_json::to_value(&fm.data).unwrap_or_default();
    let page = serde_json::json!({
        "fileSlug": file_slug(content_rel),
        "filePathStem": file_path_stem(content_rel),
        "inputPath": format!("./{}", rel.display()),
        "date": fm.date.map(|d| d.to_string()),
    });
    if let Some(map) = vars.as_object_mut() {
        map.insert("title".into(), fm.title.clone().into());
        map.insert("page".into(), page);
    }
    vars
}

/// A permalink template compiled once, to render for one page or for each chunk of a paged one.
pub struct Template {
    tera: tera::Tera,
    source: String,
}

impl Template {
    /// Compiles `template` with breakeven's filters and Eleventy's `slug` and `slugify`.
    pub fn new(template: &str, config: &crate::config::SiteConfig) -> Result<Template, Diagnostic> {
        let mut compiled = Template {
            tera: crate::data_template::tera(config),
            source: template.to_string(),
        };
        let source = crate::data_template::from_liquid(template);
        let added = compiled.tera.add_raw_template("permalink", &source);
        added.map_err(|e| compiled.failed(&e))?;
        Ok(compiled)
    }

    /// Renders against `vars`: the page's data keys and `page`.
    pub fn render(&self, vars: &serde_json::Value) -> Result<String, Diagnostic> {
        let context = tera::Context::from_serialize(vars).map_err(|e| self.failed(&e))?;
        self.tera
            .render("permalink", &context)
            .map_err(|e| self.failed(&e))
    }

    fn failed(&self, e: &tera::Error) -> Diagnostic {
        let why = crate::data_template::first_line(e);
        let d = Diagnostic::error(format!(
            "bad permalink: the permalink template `{}` failed: {why}",
            self.source
        ));
        match crate::data_template::help(&why) {
            Some(help) => d.help(help),
            None => d.help(PATHS_HELP),
        }
    }
}

/// Renders a permalink template once.
pub fn render_template(
    template: &str,
    vars: &serde_json::Value,
    config: &crate::config::SiteConfig,
) -> Result<String, Diagnostic> {
    Template::new(template, config)?.render(vars)
}

/// A permalink that cannot be used; the caller says where it was written.
fn bad(why: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(format!("bad permalink: {why}")).help(PATHS_HELP)
}

const PATHS_HELP: &str = "permalinks are paths inside the site, such as `/blog/my-post/`";

/// Checks a permalink from front matter and gives it a leading `/`.
/// A permalink may not climb out of the output folder, nor carry characters no file can hold.
pub fn normalise(permalink: &str) -> Result<String, Diagnostic> {
    let trimmed = permalink.trim();
    if trimmed.is_empty() {
        return Err(bad("the permalink is empty"));
    }
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err(bad(format!(
            "`{trimmed}` is a full URL; a permalink is a path on this site"
        )));
    }
    if trimmed.contains(['\\', '\0', '?', '#']) {
        return Err(bad(format!(
            "`{trimmed}` holds a character a permalink cannot have (`\\`, `?`, `#`)"
        )));
    }
    let mut depth = 0i32;
    for segment in trimmed.split('/') {
        match segment {
            ".." => depth -= 1,
            "" | "." => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return Err(bad(format!("`{trimmed}` leaves the output folder")));
        }
    }
    let mut url = String::from("/");
    let segments: Vec<&str> = trimmed
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let mut kept: Vec<&str> = Vec::new();
    for s in segments {
        if s == ".." {
            kept.pop();
        } else {
            kept.push(s);
        }
    }
    url.push_str(&kept.join("/"));
    if trimmed.ends_with('/') && url != "/" {
        url.push('/');
    }
    // `/about/index.html` is written where `/about/` is, and Eleventy's `page.url` says `/about/`.
    if let Some(folder) = url.strip_suffix("index.html").filter(|f| f.ends_with('/')) {
        url.truncate(folder.len());
    }
    Ok(url)
}

/// `%2e%2e` → `..`: the bytes a percent-encoded URL path stands for.
pub fn percent_decode(s: &str) -> Vec<u8> {
    percent_decode_str(s).collect()
}

/// The file a URL is written to, relative to the output folder: `/a/` → `a/index.html`,
/// `/feed.xml` → `feed.xml`, `/my%20post/` → `my post/index.html`.
pub fn output_path(url: &str) -> String {
    let decoded = String::from_utf8_lossy(&percent_decode(url)).into_owned();
    let path = decoded.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_slugs_and_default_urls_follow_eleventy() {
        let cases = [
            (
                "blog/2007-02-20-some-title.md",
                "some-title",
                "/blog/2007-02-20-some-title/",
            ),
            (
                "blog/fourthpost/fourthpost.md",
                "fourthpost",
                "/blog/fourthpost/",
            ),
            (
                "blog/fourthpost/index.md",
                "fourthpost",
                "/blog/fourthpost/",
            ),
            ("index.md", "", "/"),
            ("2007-02-20.md", "2007-02-20", "/2007-02-20/"),
            ("about.md", "about", "/about/"),
        ];
        for (rel, slug, url) in cases {
            assert_eq!(file_slug(Path::new(rel)), slug, "{rel}");
            assert_eq!(default_url(Path::new(rel)), url, "{rel}");
        }
        assert_eq!(file_path_stem(Path::new("blog/first.md")), "/blog/first");
    }

    #[test]
    fn slugs_are_lowercase_words() {
        assert_eq!(slugify("Cold starts, measured!"), "cold-starts-measured");
        assert_eq!(slugify("  When isn't it cheap?  "), "when-isnt-it-cheap");
        assert_eq!(slugify("Café au lait"), "café-au-lait");
        assert_eq!(slugify("interview-series"), "interview-series");
    }

    #[test]
    fn default_urls_follow_the_path() {
        assert_eq!(
            default_url(Path::new("blog/posts/foo.md")),
            "/blog/posts/foo/"
        );
        assert_eq!(default_url(Path::new("index.md")), "/");
        assert_eq!(default_url(Path::new("about/index.html")), "/about/");
    }

    #[test]
    fn permalinks_are_normalised() {
        assert_eq!(normalise("/blog/x/").unwrap(), "/blog/x/");
        assert_eq!(normalise("blog/x/").unwrap(), "/blog/x/");
        assert_eq!(normalise("/feed.xml").unwrap(), "/feed.xml");
        assert_eq!(normalise("/a/../b/").unwrap(), "/b/");
        assert_eq!(normalise("/").unwrap(), "/");
        assert_eq!(normalise("/about/index.html").unwrap(), "/about/");
        assert_eq!(normalise("index.html").unwrap(), "/");
        assert_eq!(
            normalise("/about/myindex.html").unwrap(),
            "/about/myindex.html"
        );
    }

    #[test]
    fn permalinks_may_not_escape() {
        assert!(normalise("/../../etc/passwd").is_err());
        assert!(normalise("a/../../x").is_err());
        assert!(normalise("https://example.org/").is_err());
    }

    #[test]
    fn urls_are_encoded_and_files_are_not() {
        assert_eq!(encode_path("/my post?#1/"), "/my%20post%3F%231/");
        assert_eq!(encode_path("/100%/café/"), "/100%25/caf%C3%A9/");
        assert_eq!(output_path("/my%20post%3F%231/"), "my post?#1/index.html");
        assert_eq!(output_path("/100%25/caf%C3%A9/"), "100%/café/index.html");
    }

    #[test]
    fn output_paths_end_in_index_html_for_folders() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/a/b/"), "a/b/index.html");
        assert_eq!(output_path("/404.html"), "404.html");
    }
}
