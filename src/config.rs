//! `site.yaml`: the site's title, URL and settings, read into typed fields (typos are errors).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::frontmatter::yaml_error;

/// The site's settings. Unknown keys are errors, so a typo never goes unnoticed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    /// Where the site is published, e.g. `https://example.org` (used for feeds, sitemaps, absolute URLs).
    pub base_url: String,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Layout for pages that name none (folder `_dir.yaml` files can override it).
    #[serde(default)]
    pub default_layout: Option<String>,
    #[serde(default)]
    pub feed: FeedConfig,
    #[serde(default)]
    pub highlight: HighlightConfig,
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
    pub light: String,
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

fn default_language() -> String {
    "en".into()
}

pub const FILE: &str = "site.yaml";

impl SiteConfig {
    /// Reads `root/site.yaml`. `base_url` is given without a trailing `/`.
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostic> {
        let text = crate::discover::read_text(root, Path::new(FILE))?;
        let mut config: SiteConfig =
            yaml_serde::from_str(&text).map_err(|e| yaml_error(&e, &text, Path::new(FILE), 1))?;
        config.set_base_url(&config.base_url.clone());
        Ok(config)
    }

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
