//! Listings that show other pages' content. A build keeps page bodies packed and unpacks each
//! for its own page unless a template can show it elsewhere: those templates must still see
//! every page's content, in a clean build and in `serve` when a template starts showing it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use breakeven::Options;
use breakeven::rebuild::Session;

use crate::harness::{Site, main_of};
use crate::same_as_clean::{Compared, equals_a_clean_build};

const POST: &str = "content/blog/posts/servers-vs-serverless.md";
const SECOND: &str = "content/blog/posts/2025-04-01-second.md";

/// Listings of the posts' content in the ways a template can reach it.
const LISTINGS: &[&str] = &[
    "{% for p in collections.post %}<section>{{ p.content | safe }}</section>{% endfor %}",
    "{% set oldest = collections.post | first %}{{ oldest[\"content\"] | safe }}",
    "{% for p in collections.post %}{% for k, v in p %}{% if k == \"content\" %}{{ v | safe }}{% endif %}{% endfor %}{% endfor %}",
    "{% for page in collections.post %}{{ page.content | safe }}{% endfor %}",
];

#[test]
fn a_listing_shows_the_content_of_the_pages_it_lists() {
    for listing in LISTINGS {
        let site = Site::fixture("blog");
        site.write(
            "content/all.html",
            format!("---\ntitle: All\n---\n{listing}\n"),
        );
        site.build();
        let all = site.read("all/index.html");
        assert!(all.contains("Our guest says it"), "{listing}: {all}");
        assert!(all.contains("Paying per request"), "{listing}: {all}");
        // Each post still shows its own content, and the feed every post's.
        let post = site.read("blog/posts/servers-vs-serverless/index.html");
        assert!(main_of(&post).contains("Paying per request"));
        assert!(site.read("feed.xml").contains("Paying per request"));
    }
}

#[test]
fn a_listing_shows_the_tables_of_contents_of_the_pages_it_lists() {
    let site = Site::fixture("blog");
    let listing = "{% for p in collections.post %}{% for h in p.toc %}<li>{{ h.title }}</li>{% endfor %}{% endfor %}";
    site.write(
        "content/all.html",
        format!("---\ntitle: All\n---\n{listing}\n"),
    );
    site.build();
    let all = site.read("all/index.html");
    assert!(all.contains("<li>Cost per request</li>"), "{all}");
}

#[test]
fn pages_show_their_own_content_when_no_listing_does() {
    let site = Site::fixture("blog");
    site.build();
    let post = site.read("blog/posts/servers-vs-serverless/index.html");
    assert!(main_of(&post).contains("Paying per request"), "{post}");
    // The post's own table of contents (the fixture's layout lists it).
    assert!(post.contains("href=\"#cost-per-request\""), "{post}");
    assert!(site.read("feed.xml").contains("Paying per request"));
}

/// A listing of content added while `serve` runs, a body edit it shows, and the listing
/// removed again: every step equals a clean build.
#[test]
fn serve_follows_a_listing_that_starts_showing_content() {
    let site = Site::fixture("blog");
    let (mut session, _) =
        Session::start(site.root(), &Options::default()).unwrap_or_else(|f| panic!("start: {f:?}"));
    let post = std::fs::read_to_string(site.path(POST)).expect("post");
    let second = std::fs::read_to_string(site.path(SECOND)).expect("post");
    let listing = format!("---\ntitle: All\n---\n{}\n", LISTINGS[0]);
    let steps: Vec<Vec<(&str, Option<String>)>> = vec![
        vec![("content/all.html", Some(listing))],
        vec![(
            POST,
            Some(post.replace("Paying per request", "Paying per call")),
        )],
        vec![(SECOND, Some(format!("{second}\nA new closing line.\n")))],
        vec![("content/all.html", None)],
        vec![(POST, Some(post.clone()))],
    ];
    for edits in steps {
        let mut changed = BTreeSet::new();
        for (path, text) in &edits {
            match text {
                Some(text) => site.write(path, text),
                None => std::fs::remove_file(site.path(path)).expect("delete"),
            }
            changed.insert(PathBuf::from(path));
        }
        let compared = equals_a_clean_build(&mut session, site.root(), changed);
        assert_eq!(compared, Ok(Compared::Built), "{edits:?}");
    }
}
