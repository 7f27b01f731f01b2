//! `new` and `check`.

use crate::harness::Site;

#[test]
fn new_scaffolds_a_draft_and_refuses_to_overwrite() {
    let site = Site::fixture("blog");
    let run = site.run(&[
        "new",
        "Cold starts, measured",
        "--tags",
        "lambda,cold-starts",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        "content/blog/posts/cold-starts-measured.md"
    );
    let text = std::fs::read_to_string(site.path("content/blog/posts/cold-starts-measured.md"))
        .expect("written");
    assert!(text.starts_with("---\ntitle: \"Cold starts, measured\"\ndate: "));
    assert!(text.contains("tags: [\"post\", \"lambda\", \"cold-starts\"]\ndraft: true\n"));
    // The draft is left out of a normal build and in with --drafts.
    site.build();
    assert!(!site.exists("blog/posts/cold-starts-measured/index.html"));
    let again = site.run(&["new", "Cold starts, measured"]);
    again.fails_with(2, "already exists; nothing was written");
    assert_eq!(
        std::fs::read_to_string(site.path("content/blog/posts/cold-starts-measured.md"))
            .expect("kept"),
        text
    );
}

#[test]
fn check_passes_on_a_sound_site() {
    let site = Site::fixture("blog");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.exists("index.html"), "check writes nothing");
}

#[test]
fn check_lists_every_broken_link_and_anchor() {
    let site = Site::fixture("blog");
    site.write(
        "content/links.md",
        "---\ntitle: Links\n---\n[gone](/nowhere/) [bad anchor](/blog/posts/servers-vs-serverless/#nope) [ok](/about/) [ext](https://example.org/x)\n",
    );
    let run = site.run(&["check"]);
    run.fails_with(1, "error: content/links.md:4:8: broken link `/nowhere/` in /links/index.html: no page or file has this URL");
    run.fails_with(1, "check failed: 2 broken links");
    run.fails_with(1, "broken link `/blog/posts/servers-vs-serverless/#nope` in /links/index.html: `blog/posts/servers-vs-serverless/index.html` has no element with id `nope`");
    let messages: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(messages.len(), 2, "{}", run.stderr);
    assert!(
        !messages
            .iter()
            .any(|m| m.contains("/about/") || m.contains("example.org"))
    );
}
