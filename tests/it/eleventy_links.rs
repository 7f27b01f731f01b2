//! Links written to source files (`other.md`), as Eleventy's InputPathToUrl plugin reads them:
//! rewritten to the pages' URLs; an unknown one is a warning in `build`, an error in `check`.

use crate::harness::Site;

const POST: &str = "---\ntitle: Links\nlayout: post\n---\n\
See [one](one.md), [one's part](/blog/one.md#part), [about](../about.md) \
and [a page of notes](notes/my%20notes.md).\n\n<a href='../about.md#team'>team</a>\n";

#[test]
fn markdown_and_html_links_to_source_files_become_urls_keeping_the_fragment() {
    let site = Site::fixture("eleventy-layouts");
    site.write("content/blog/links.md", POST);
    site.write(
        "content/blog/notes/my notes.md",
        "---\ntitle: Notes\npermalink: /notes/\n---\nNotes.\n",
    );
    // The fragments name headings: `check` finds them.
    let one = std::fs::read_to_string(site.path("content/blog/one.md")).expect("one");
    site.write("content/blog/one.md", format!("{one}\n## Part\n"));
    site.write("content/about.md", "---\ntitle: About\n---\n## Team\n");
    let run = site.build();
    assert!(!run.stderr.contains("source file"), "{}", run.stderr);
    let page = site.read("blog/links/index.html");
    assert!(
        page.contains(r#"See <a href="/blog/one/">one</a>, <a href="/blog/one/#part">one’s part</a>, <a href="/about/">about</a> and <a href="/notes/">a page of notes</a>."#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href='/about/#team'>team</a>"#),
        "{page}"
    );
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn an_unknown_source_link_warns_in_build_and_fails_check_at_its_line() {
    let site = Site::fixture("eleventy-layouts");
    site.write(
        "content/blog/links.md",
        "---\ntitle: Links\n---\nFine.\n\nSee [gone](gone.md#x).\n",
    );
    let build = site.build();
    let warning = "warning: content/blog/links.md:6: link to a source file that is no page: `gone.md#x`: there is no page `content/gone.md` or `content/blog/gone.md`";
    assert!(build.stderr.contains(warning), "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("help: name a page's source file from `content/`"),
        "{}",
        build.stderr
    );
    let check = site.run(&["check"]);
    check.fails_with(1, &warning.replace("warning:", "error:"));
    // Reported once, by the build, not again as a broken URL.
    assert_eq!(
        check.stderr.matches("error:").count(),
        1,
        "{}",
        check.stderr
    );
}
