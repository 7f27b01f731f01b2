//! `site.yaml`: the site's title, URL and settings, read into typed fields (typos are errors).

#![deny(clippy::indexing_slicing)]

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;

/// The site's settings. Unknown keys are errors, so a typo never goes unnoticed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown in page titles, the header and the feed.
    pub title: String,
    /// Where the site is published, e.g. `https://example.org` (used for feeds, sitemaps, absolute URLs).
    pub base_url: String,
    /// Who writes the site, for pages' metadata and the feed (which falls back to the title).
    #[serde(default)]
    pub author: Option<String>,
    /// The content's language as a BCP 47 tag for `<html lang>` (`en` unless set).
    #[serde(default = "default_language")]
    pub language: String,
    /// One sentence about the site: the meta description of pages that have none of their own.
    #[serde(default)]
    pub description: Option<String>,
    /// Layout for pages that name none (folder `_dir.yaml` files can override it).
    #[serde(default)]
    pub default_layout: Option<String>,
    /// The Atom feed's settings.
    #[serde(default)]
    pub feed: FeedConfig,
    /// The code highlighting themes.
    #[serde(default)]
    pub highlight: HighlightConfig,
    /// Seconds one page may take to render before it fails (a runaway loop in a layout).
    #[serde(default = "default_time_limit")]
    pub template_time_limit_s: f64,
    /// Which Markdown extensions the site's pages use.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Posts per tag page (newest first; `/tags/x/`, `/tags/x/page/2/`…); all on one page when
    /// absent.
    #[serde(default)]
    pub tag_page_size: Option<std::num::NonZeroUsize>,
    /// Tags are folded to lower case (`React` and `react` are one collection), as a site whose
    /// Eleventy config lowercased them had it.
    #[serde(default)]
    pub lowercase_tags: bool,
    /// Anything else the templates need, as `site.extra.<key>`.
    #[serde(default)]
    pub extra: yaml_serde::Mapping,
}

/// The Atom feed at `/feed.xml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedConfig {
    /// The feed's title (default: the site's).
    pub title: Option<String>,
    /// The collection the feed lists.
    pub collection: String,
    /// How many entries, newest first.
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            title: None,
            collection: "post".into(),
            limit: 20,
        }
    }
}

/// Code highlighting themes (names from the bundled theme set), for light and dark mode.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HighlightConfig {
    /// Theme for the light colour scheme.
    pub light: String,
    /// Theme for the dark colour scheme (`prefers-color-scheme: dark`).
    pub dark: String,
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig {
            light: "InspiredGitHub".into(),
            dark: "base16-ocean.dark".into(),
        }
    }
}

fn default_time_limit() -> f64 {
    crate::deadline::DEFAULT_LIMIT.as_secs_f64()
}

/// Markdown features that a site migrating from another generator may need off (Eleventy's
/// markdown-it has no smart punctuation and, in most configurations, no indented code).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses.
    pub smart_punctuation: bool,
    /// A `#` link after every heading.
    pub heading_anchors: bool,
    /// Lines indented by four spaces are code; off, they are text.
    pub indented_code: bool,
    /// Run each Markdown page's body through Tera before Markdown, as Eleventy's
    /// `markdownTemplateEngine` does. Off by default: code samples such as
    /// `${{ secrets.TOKEN }}` are then shown as written.
    pub templates: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
            heading_anchors: true,
            indented_code: true,
            templates: false,
        }
    }
}

fn default_language() -> String {
    "en".into()
}

/// The settings file's name, at the site root.
pub const FILE: &str = "site.yaml";

impl SiteConfig {
    /// Reads `root/site.yaml`. `base_url` is given without a trailing `/`.
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostic> {
        let text = crate::discover::read_text(root, Path::new(FILE))?;
        let mut config: SiteConfig = crate::yaml::parse(&text, Path::new(FILE), 1)?;
        config.set_base_url(&config.base_url.clone());
        if config.template_time_limit().is_none() {
            return Err(Diagnostic::error(format!(
                "`template_time_limit_s` is {}, not a number of seconds above 0",
                config.template_time_limit_s
            ))
            .in_file(FILE)
            .help("leave it out for 30 seconds, or give e.g. `template_time_limit_s: 60`"));
        }
        Ok(config)
    }

    /// How long one page may take to render.
    pub fn template_time_limit(&self) -> Option<std::time::Duration> {
        std::time::Duration::try_from_secs_f64(self.template_time_limit_s)
            .ok()
            .filter(|d| !d.is_zero())
    }

    /// Publishes the site under `url` instead (`--base-url`); a trailing `/` is dropped.
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = url.trim_end_matches('/').to_string();
    }

    /// `base_url` + a site path.
    pub fn absolute(&self, path: &str) -> String {
        if path.contains("://") {
            return path.to_string();
        }
        format!("{}/{}", self.base_url, path.trim_start_matches('/'))
    }
}
