//! A successful build: URLs, layouts, collections, Markdown, highlighting and generated files.

use crate::harness::{Site, main_of};

#[test]
fn eleventy_post_builds_unchanged_through_its_layout() {
    let site = Site::fixture("blog");
    site.build();
    let html = site.read("blog/posts/servers-vs-serverless/index.html");
    assert!(html.contains(
        "<h1>Interview series: When should I use serverless? It isn&#39;t about cost.</h1>"
    ));
    assert!(html.contains(r#"<a href="/tags/interview-series/">interview-series</a>"#));
    assert!(html.contains(r#"<a href="/tags/post/">post</a>"#));
    assert!(html.contains("March 29, 2025"));
    insta::assert_snapshot!("post_main", main_of(&html));
}

#[test]
fn post_is_listed_in_its_collections_and_tag_pages() {
    let site = Site::fixture("blog");
    site.build();
    let home = site.read("index.html");
    // Newest first via `| reverse`: the second post is dated 2025-04-01 by its file name.
    let second = home.find("Second post").expect("second post listed");
    let first = home.find("Interview series").expect("first post listed");
    assert!(second < first, "{home}");
    assert!(home.contains("2 interviews"), "{home}");
    let tag = site.read("tags/interview-series/index.html");
    assert!(tag.contains("/blog/posts/servers-vs-serverless/"));
    assert!(tag.contains("/blog/posts/2025-04-01-second/"));
    insta::assert_snapshot!("home_main", main_of(&home));
}

#[test]
fn summaries_stop_at_the_more_marker() {
    let site = Site::fixture("blog");
    site.build();
    let home = site.read("index.html");
    assert!(
        home.contains("Our guest says it’s about “architecture”."),
        "smart punctuation in summary:\n{home}"
    );
    let summary_end = home.find("</li>").expect("list item");
    assert!(!home[..summary_end].contains("Cost per request"));
}

#[test]
fn front_matter_variants() {
    let site = Site::fixture("blog");
    site.build();
    // Folder defaults give the layout; the tag string is merged with `_dir.yaml`'s.
    let second = site.read("blog/posts/2025-04-01-second/index.html");
    assert!(
        second.contains(r#"<time datetime="2025-04-01T00:00:00Z">"#),
        "{second}"
    );
    assert!(second.contains(r#"<a href="/tags/post/">post</a>"#));
    // Unknown keys reach templates as page.data.
    assert!(second.contains("A platform engineer"));
    // Previous/next within collections.post.
    assert!(second.contains(r#"<a rel="prev" href="/blog/posts/servers-vs-serverless/">"#));
    // permalink: false renders nothing, drafts are left out, excluded pages stay out of collections.
    assert!(!site.exists("hidden/index.html"));
    assert!(!site.exists("blog/posts/draft/index.html"));
    assert!(site.exists("about/index.html"));
    assert!(
        site.read("index.html").contains("4 pages"),
        "all = home, hidden, two posts"
    );
    // Data files reach templates.
    assert!(
        site.read("index.html")
            .contains("Prices from https://aws.amazon.com/lambda/pricing/")
    );
}

#[test]
fn drafts_are_built_with_the_flag() {
    let site = Site::fixture("blog");
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.read("blog/posts/draft/index.html")
            .contains("Draft text.")
    );
}

#[test]
fn markdown_extensions_and_headings() {
    let site = Site::fixture("blog");
    site.build();
    let html = site.read("blog/posts/servers-vs-serverless/index.html");
    assert!(html.contains("<table>"));
    assert!(html.contains("<del>always</del>"));
    assert!(
        html.contains(r#"<input disabled="" type="checkbox" checked=""/>"#),
        "{html}"
    );
    assert!(html.contains(r#"class="footnote-definition""#));
    // Duplicate headings get unique ids; explicit ids are kept; all get anchor links.
    assert!(html.contains(r#"<h2 id="cost-per-request">"#));
    assert!(html.contains(r#"<h2 id="cost-per-request-1">"#));
    assert!(html.contains(r##"<h3 id="custom-id">Deeper <a class="anchor" href="#custom-id""##));
    assert!(
        html.contains(r##"<li><a href="#cost-per-request-1">"##),
        "toc lists headings"
    );
}

#[test]
fn code_is_highlighted_with_classes_and_unknown_languages_warn() {
    let site = Site::fixture("blog");
    let run = site.build();
    let html = site.read("blog/posts/servers-vs-serverless/index.html");
    assert!(
        html.contains(
            r#"<pre class="code" tabindex="0" data-lang="python"><code><span class="hl-source hl-python">"#
        ),
        "{html}"
    );
    // Prism's `diff-js` is a diff.
    assert!(
        html.contains(
            r#"<pre class="code" tabindex="0" data-lang="diff-js"><code><span class="hl-source hl-diff">"#
        ),
        "{html}"
    );
    assert!(!run.stderr.contains("diff-js"), "{}", run.stderr);
    site.write(
        "content/odd.md",
        "---\ntitle: Odd\n---\n\n```brainfudge\n+[]\n```\n",
    );
    let run = site.build();
    assert!(
        run.stderr
            .contains("warning: content/odd.md:5:1: unknown code language `brainfudge`"),
        "{}",
        run.stderr
    );
    assert!(
        site.read("odd/index.html")
            .contains(r#"<pre class="code" tabindex="0" data-lang="brainfudge"><code>+[]"#)
    );
    let css = site.read("css/highlight.css");
    assert!(css.contains(".hl-") && css.contains("@media (prefers-color-scheme: dark)"));
}

#[test]
fn feed_and_sitemap_use_absolute_urls() {
    let site = Site::fixture("blog");
    site.build();
    let feed = site.read("feed.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    assert!(feed.contains("<id>https://fixture.example/blog/posts/servers-vs-serverless/</id>"));
    assert!(
        feed.contains("<updated>2025-04-01T00:00:00Z</updated>"),
        "{feed}"
    );
    assert!(!feed.contains("Hidden"));
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://fixture.example/about/</loc>"));
    assert!(sitemap.contains("<loc>https://fixture.example/tags/post/</loc>"));
}

#[test]
fn static_files_are_copied() {
    let site = Site::fixture("blog");
    site.build();
    assert_eq!(site.read("css/site.css"), "body { color: black; }\n");
}

#[test]
fn building_twice_gives_identical_bytes() {
    let site = Site::fixture("blog");
    site.build();
    let first = site.output();
    site.build();
    assert_eq!(first, site.output());
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = Site::fixture("blog");
    let run = site.run(&["build", "--base-url", "https://other.example"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.read("feed.xml")
            .contains("<id>https://other.example/</id>")
    );
}

#[test]
fn out_flag_writes_elsewhere() {
    let site = Site::fixture("blog");
    let out = tempfile::tempdir().expect("temp");
    let target = out.path().join("site");
    let run = site.run(&["build", "--out", target.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(target.join("index.html").is_file());
    assert!(!site.exists("index.html"));
}

#[test]
fn a_piped_build_prints_one_summary_line_and_no_progress() {
    let site = Site::fixture("blog");
    let run = site.build();
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.starts_with("built "), "{}", run.stdout);
    // Only the fixture's warning: no progress line and no escape codes when not on a terminal.
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(!run.stderr.contains("rendering"), "{}", run.stderr);
}

#[test]
fn quiet_build_prints_only_warnings() {
    let site = Site::fixture("blog");
    let run = site.run(&["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .lines()
            .all(|l| l.starts_with("warning: ") || l.starts_with("  help: ")),
        "{}",
        run.stderr
    );
    assert!(site.exists("index.html"));
}
