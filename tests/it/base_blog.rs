//! The official Eleventy starter blog (eleventy-base-blog v9), ported as a migrating author
//! would (`tests/fixtures/base-blog/README.md` lists what changed): its posts keep the URLs,
//! dates and tags Eleventy gives them, and its listings, tag pages and menu render from Tera.

use std::fs;

use crate::harness::{Site, main_of};

/// `(file slug, title, datetime, readable date, tags)` of each published post, oldest first.
const POSTS: [(&str, &str, &str, &str, &[&str]); 4] = [
    (
        "firstpost",
        "This is my first post.",
        "2018-05-01",
        "01 May 2018",
        &["another tag"],
    ),
    (
        "secondpost",
        "This is my second post with a much longer title.",
        "2018-07-04",
        "04 July 2018",
        &["number 2"],
    ),
    (
        "thirdpost",
        "This is my third post.",
        "2018-08-24",
        "24 August 2018",
        &["second tag", "posts with two tags"],
    ),
    (
        "fourthpost",
        "This is my fourth post",
        "2018-09-30",
        "30 September 2018",
        &["second tag"],
    ),
];

/// Where each needle first occurs in `html`; panics if one is missing.
fn positions(html: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            html.find(n)
                .unwrap_or_else(|| panic!("`{n}` not found in:\n{html}"))
        })
        .collect()
}

fn is_increasing(at: &[usize]) -> bool {
    at.windows(2).all(|w| w[0] < w[1])
}

#[test]
fn posts_keep_their_eleventy_urls_dates_and_tags() {
    let site = Site::fixture("base-blog");
    site.build();
    for (slug, title, datetime, readable, tags) in POSTS {
        let page = site.read(&format!("blog/{slug}/index.html"));
        assert!(page.contains(&format!("<title>{title}</title>")), "{page}");
        let main = main_of(&page);
        assert!(main.contains(&format!("<h1>{title}</h1>")), "{main}");
        assert!(
            main.contains(&format!(
                r#"<li><time datetime="{datetime}">{readable}</time></li>"#
            )),
            "{main}"
        );
        // `posts` comes from blog.11tydata.json and is left out of the list, as by the
        // starter's `filterTagList`.
        assert!(!main.contains(r#"href="/tags/posts/""#), "{main}");
        for tag in tags {
            let slug = tag.replace(' ', "-");
            assert!(
                main.contains(&format!(
                    r#"<a href="/tags/{slug}/" class="post-tag">{tag}</a>"#
                )),
                "{tag}: {main}"
            );
        }
    }
    // Two tags are separated as in the starter's markup.
    assert!(
        site.read("blog/thirdpost/index.html")
            .contains(r#"<a href="/tags/second-tag/" class="post-tag">second tag</a>, </li>"#)
    );
}

#[test]
fn fourthpost_is_its_folders_page_with_the_possum_beside_it() {
    let site = Site::fixture("base-blog");
    site.build();
    let page = site.read("blog/fourthpost/index.html");
    assert!(
        page.contains(r#"<img src="./possum.png" alt="A possum parent"#),
        "{page}"
    );
    let published = site.output();
    let source = fs::read(site.path("content/blog/fourthpost/possum.png")).expect("source png");
    assert_eq!(published.get("blog/fourthpost/possum.png"), Some(&source));
    assert!(!site.exists("blog/fourthpost/fourthpost/index.html"));
}

#[test]
fn posts_link_to_their_neighbours_by_date() {
    let site = Site::fixture("base-blog");
    site.build();
    let first = site.read("blog/firstpost/index.html");
    assert!(
        first.contains(r#"<ul class="links-nextprev"><li class="links-nextprev-next">Next →<br><a href="/blog/secondpost/">This is my second post with a much longer title.</a></li>"#),
        "{first}"
    );
    assert!(!first.contains("links-nextprev-prev"), "{first}");
    let third = site.read("blog/thirdpost/index.html");
    assert!(
        third.contains(
            r#"<li class="links-nextprev-prev">← Previous<br> <a href="/blog/secondpost/">"#
        ),
        "{third}"
    );
    assert!(
        third.contains(r#"<li class="links-nextprev-next">Next →<br><a href="/blog/fourthpost/">This is my fourth post</a></li>"#),
        "{third}"
    );
    // The draft is left out of the build, so the fourth post is the last.
    let fourth = site.read("blog/fourthpost/index.html");
    assert!(!fourth.contains("links-nextprev-next"), "{fourth}");
}

#[test]
fn home_lists_the_latest_three_posts_newest_first() {
    let site = Site::fixture("base-blog");
    site.build();
    let home = site.read("index.html");
    let main = main_of(&home);
    assert!(main.contains("<h1>Latest 3 Posts</h1>"), "{main}");
    // `--postlist-index` counts every post, as `postslistCounter` does in the starter.
    assert!(
        main.contains(r#"<ol reversed class="postlist" style="--postlist-index: 5">"#),
        "{main}"
    );
    let at = positions(
        main,
        &[
            r#"<a href="/blog/fourthpost/" class="postlist-link">This is my fourth post</a>"#,
            r#"<time class="postlist-date" datetime="2018-09-30">September 2018</time>"#,
            r#"<a href="/blog/thirdpost/" class="postlist-link">This is my third post.</a>"#,
            r#"<a href="/blog/secondpost/" class="postlist-link">"#,
            r#"<time class="postlist-date" datetime="2018-07-04">July 2018</time>"#,
        ],
    );
    assert!(is_increasing(&at), "{main}");
    assert!(!main.contains("/blog/firstpost/"), "{main}");
    assert_eq!(main.matches(r#"<li class="postlist-item">"#).count(), 3);
    assert!(
        main.contains(r#"<p>1 more post can be found in <a href="/blog/">the archive</a>.</p>"#),
        "{main}"
    );
    // content.11tydata.json gives every page in content/ the home layout and its message box.
    assert!(main.contains(r#"<div class="message-box">"#), "{main}");
}

#[test]
fn archive_lists_every_post_newest_first() {
    let site = Site::fixture("base-blog");
    site.build();
    let archive = site.read("blog/index.html");
    let main = main_of(&archive);
    assert!(main.contains("<h1>Archive</h1>"), "{main}");
    assert_eq!(main.matches(r#"<li class="postlist-item">"#).count(), 4);
    let at = positions(
        main,
        &[
            r#"<a href="/blog/fourthpost/" class="postlist-link">"#,
            r#"<a href="/blog/thirdpost/" class="postlist-link">"#,
            r#"<a href="/blog/secondpost/" class="postlist-link">"#,
            r#"<a href="/blog/firstpost/" class="postlist-link">This is my first post.</a>"#,
            r#"<time class="postlist-date" datetime="2018-05-01">May 2018</time>"#,
        ],
    );
    assert!(is_increasing(&at), "{main}");
    assert!(!main.contains("fifthpost"), "{main}");
}

#[test]
fn every_tag_has_a_page_and_the_tags_page_lists_them() {
    let site = Site::fixture("base-blog");
    site.build();
    for slug in [
        "another-tag",
        "number-2",
        "posts-with-two-tags",
        "second-tag",
    ] {
        assert!(site.exists(&format!("tags/{slug}/index.html")), "{slug}");
    }
    let second = site.read("tags/second-tag/index.html");
    assert!(
        second.contains("<title>Tagged 'second tag'</title>"),
        "{second}"
    );
    let main = main_of(&second);
    assert!(main.contains("<h1>Tagged “second tag”</h1>"), "{main}");
    let at = positions(
        main,
        &[
            r#"<ol reversed class="postlist" style="--postlist-index: 3">"#,
            r#"<a href="/blog/fourthpost/" class="postlist-link">"#,
            r#"<a href="/blog/thirdpost/" class="postlist-link">"#,
            r#"<p>See <a href="/tags/">all tags</a>.</p>"#,
        ],
    );
    assert!(is_increasing(&at), "{main}");
    assert!(!main.contains("/blog/firstpost/"), "{main}");

    let tags = site.read("tags/index.html");
    let main = main_of(&tags);
    let at = positions(
        main,
        &[
            "<h1>Tags</h1>",
            r#"<li><a href="/tags/another-tag/" class="post-tag">another tag</a></li>"#,
            r#"<li><a href="/tags/number-2/" class="post-tag">number 2</a></li>"#,
            r#"<li><a href="/tags/posts-with-two-tags/" class="post-tag">posts with two tags</a></li>"#,
            r#"<li><a href="/tags/second-tag/" class="post-tag">second tag</a></li>"#,
        ],
    );
    assert!(is_increasing(&at), "{main}");
    assert!(!main.contains(r#"href="/tags/posts/""#), "{main}");
}

#[test]
fn the_menu_comes_from_eleventy_navigation_data() {
    let site = Site::fixture("base-blog");
    site.build();
    let about = site.read("about/index.html");
    let at = positions(
        &about,
        &[
            r#"<li class="nav-item"><a href="/">Home</a></li>"#,
            r#"<li class="nav-item"><a href="/blog/">Archive</a></li>"#,
            r#"<li class="nav-item"><a href="/about/" aria-current="page">About</a></li>"#,
            r#"<li class="nav-item"><a href="/feed.xml">Feed</a></li>"#,
        ],
    );
    assert!(is_increasing(&at), "{about}");
    // Pages without a title fall back to the metadata's, as `title or metadata.title` does.
    assert!(
        about.contains("<title>Eleventy Base Blog v9</title>"),
        "{about}"
    );
    assert!(
        main_of(&about).contains(r#"<h1 id="about">About</h1>"#),
        "{about}"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("base-blog");
    site.build();
    assert!(!site.exists("blog/fifthpost/index.html"));
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let draft = site.read("blog/fifthpost/index.html");
    assert!(
        draft.contains("<h1>This is a fifth post (draft)</h1>"),
        "{draft}"
    );
    assert!(
        draft.contains(r#"<li><time datetime="2023-01-23">23 January 2023</time></li>"#),
        "{draft}"
    );
    let home = site.read("index.html");
    assert!(
        home.contains(
            r#"<a href="/blog/fifthpost/" class="postlist-link">This is a fifth post (draft)</a>"#
        ),
        "{home}"
    );
}

#[test]
fn feed_sitemap_and_404_page_are_generated() {
    let site = Site::fixture("base-blog");
    site.build();
    let feed = site.read("feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 4, "{feed}");
    let at = positions(
        &feed,
        &[
            r#"<link href="https://example.com/blog/fourthpost/" rel="alternate""#,
            r#"<link href="https://example.com/blog/firstpost/" rel="alternate""#,
        ],
    );
    assert!(is_increasing(&at), "{feed}");
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.com/blog/thirdpost/</loc>"),
        "{sitemap}"
    );
    // `eleventyExcludeFromCollections: true` keeps the 404 page out of the sitemap.
    assert!(!sitemap.contains("404"), "{sitemap}");
    let not_found = site.read("404.html");
    assert!(
        not_found.contains(r#"<h1 id="content-not-found">Content not found.</h1>"#),
        "{not_found}"
    );
    // The starter's stylesheet for its feed is published where Eleventy copies it.
    assert!(site.exists("feed/pretty-atom-feed.xsl"));
}

#[test]
fn code_blocks_keep_the_starters_blank_lines() {
    let site = Site::fixture("base-blog");
    site.build();
    let third = site.read("blog/thirdpost/index.html");
    assert!(
        third.contains(r#"<pre class="code" tabindex="0" data-lang="js">"#),
        "{third}"
    );
    assert!(
        third.contains("}\n\n// Test with a line break above this line.\n"),
        "{third}"
    );
    let first = site.read("blog/firstpost/index.html");
    assert!(first.contains(r#"data-lang="diff-js""#), "{first}");
    assert!(
        first.contains(r#"<link rel="stylesheet" href="/css/highlight.css">"#),
        "{first}"
    );
}

#[test]
fn the_port_builds_with_only_the_expected_warnings_and_checks_clean() {
    let site = Site::fixture("base-blog");
    let run = site.build();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    // Eleventy's pages without a title; `eleventyNavigation` is plain data the layouts read.
    let untitled = "no `title` in front matter: `page.title` is empty";
    let expected = [
        format!("warning: content/404.md:1: {untitled}"),
        format!("warning: content/about.md:1: {untitled}"),
        format!("warning: content/blog.html:1: {untitled}"),
        format!("warning: content/index.html:1: {untitled}"),
        format!("warning: content/tags.html:1: {untitled}"),
    ];
    assert_eq!(warnings, expected, "{}", run.stderr);

    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stdout
            .contains("every internal link and anchor resolves"),
        "{}",
        check.stdout
    );
}

/// The starter links to source files, which Eleventy's InputPathToUrl plugin rewrites:
/// `/blog/firstpost.md` from `content/`, `blog/thirdpost.md` also from `content/` (tried before
/// the linking file's folder), and the ported `index.njk`.
#[test]
fn links_to_source_files_become_their_pages_urls() {
    let site = Site::fixture("base-blog");
    let run = site.build();
    assert!(!run.stderr.contains("source file"), "{}", run.stderr);
    let second = site.read("blog/secondpost/index.html");
    assert!(
        second.contains("<a href=\"/blog/firstpost/\">First post</a>\n<a href=\"/blog/thirdpost/\">Third post</a>"),
        "{second}"
    );
    assert!(
        site.read("404.html")
            .contains(r#"Go <a href="/">home</a>."#)
    );
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}
