//! Generated files: the Atom feed of one collection (`/feed.xml`) and `/sitemap.xml`,
//! with absolute URLs and no build timestamps, so they are the same bytes on every build.

use crate::discover::is_forbidden_control;
use crate::highlight::escape_html;
use crate::permalink::output_path;
use crate::site::{Page, PageId, Site};

/// Where the Atom feed is written, relative to the output folder.
pub const FEED_PATH: &str = "feed.xml";
/// Where the sitemap is written, relative to the output folder.
pub const SITEMAP_PATH: &str = "sitemap.xml";

/// The pages the feed shows, newest first: the newest dated pages with a URL of `site.yaml`'s
/// `feed.collection`, at most `feed.limit`.
pub fn entries(site: &Site) -> Vec<PageId> {
    let config = &site.config;
    let mut entries: Vec<PageId> = site
        .collections
        .get(&config.feed.collection)
        .into_iter()
        .flatten()
        .copied()
        .filter(|&id| site.pages[id].url.is_some() && site.pages[id].fm.date.is_some())
        .collect();
    entries.reverse();
    entries.truncate(config.feed.limit);
    entries
}

/// An Atom 1.0 feed of the newest pages of `site.yaml`'s `feed.collection`.
pub fn atom(site: &Site) -> String {
    let config = &site.config;
    let entries = entries(site);
    // The feed changes when its newest entry does, never because the build ran again.
    let updated = entries
        .iter()
        .filter_map(|&id| site.pages[id].fm.updated.or(site.pages[id].fm.date))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |t| t.to_string());
    let home = config.absolute("/");
    let author = config.author.as_deref().unwrap_or(&config.title);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&config.language)
    ));
    let title = config.feed.title.as_deref().unwrap_or(&config.title);
    xml.push_str(&format!("  <title>{}</title>\n", escape(title)));
    if let Some(description) = &config.description {
        xml.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(description)));
    }
    xml.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n",
        escape(&config.absolute(FEED_PATH))
    ));
    xml.push_str(&format!(
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        escape(&home)
    ));
    xml.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}</updated>\n",
        escape(&home)
    ));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(author)
    ));
    xml.push_str("  <generator>breakeven</generator>\n");
    for id in entries {
        entry(
            &mut xml,
            site,
            &site.pages[id],
            &site.pages[id].markdown.html.html(),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

fn entry(xml: &mut String, site: &Site, page: &Page, content: &str) {
    let url = site.config.absolute(page.url.as_deref().unwrap_or("/"));
    let published = page.fm.date.map(|d| d.to_string()).unwrap_or_default();
    let updated = page
        .fm
        .updated
        .map_or_else(|| published.clone(), |d| d.to_string());
    xml.push_str("  <entry>\n");
    xml.push_str(&format!("    <title>{}</title>\n", escape(&page.fm.title)));
    xml.push_str(&format!(
        "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n",
        escape(&url)
    ));
    xml.push_str(&format!("    <id>{}</id>\n", escape(&url)));
    xml.push_str(&format!(
        "    <published>{published}</published>\n    <updated>{updated}</updated>\n"
    ));
    for tag in &page.fm.tags {
        xml.push_str(&format!("    <category term=\"{}\"/>\n", escape(tag)));
    }
    if let Some(description) = &page.fm.description {
        xml.push_str(&format!("    <summary>{}</summary>\n", escape(description)));
    }
    // xml:base lets readers resolve the content's relative links against the page's own URL.
    xml.push_str(&format!(
        "    <content type=\"html\" xml:base=\"{}\">{}</content>\n",
        escape(&url),
        escape(content)
    ));
    xml.push_str("  </entry>\n");
}

/// Text as XML character data: escaped, and without the control characters XML forbids even
/// as references (site.yaml's YAML can still spell them, e.g. `"\a"`).
fn escape(text: &str) -> String {
    if text.contains(is_forbidden_control) {
        let allowed: String = text.chars().filter(|&c| !is_forbidden_control(c)).collect();
        escape_html(&allowed)
    } else {
        escape_html(text)
    }
}

/// Every HTML page with a URL except the 404 page, and the tag pages.
pub fn sitemap(site: &Site, tag_pages: bool) -> String {
    let mut urls: Vec<(String, Option<String>)> = Vec::new();
    for (id, page) in site.pages.iter().enumerate() {
        // Every chunk of a paginated page is a page of its own.
        for url in site.urls(id) {
            let path = output_path(url);
            if path.ends_with(".html") && path != "404.html" {
                let lastmod = page.fm.updated.or(page.fm.date).map(|d| d.to_string());
                urls.push((url.to_string(), lastmod));
            }
        }
    }
    if tag_pages {
        for tag in &site.tags {
            urls.extend(site.tag_chunks(tag).into_iter().map(|(url, _)| (url, None)));
        }
    }
    urls.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in urls {
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&site.config.absolute(&url))
        ));
        if let Some(lastmod) = lastmod {
            xml.push_str(&format!("<lastmod>{lastmod}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
