//! Eleventy's layout front matter: a layout's `layout:` chains it into another, and its other
//! keys are data under the page's own.

use crate::harness::Site;

#[test]
fn chained_layouts_render_inside_each_other_with_their_data_under_the_pages() {
    let site = Site::fixture("eleventy-layouts");
    site.build();
    let one = site.read("blog/one/index.html");
    // post.html renders the Markdown, base.html (named `base.njk` in post.html) renders that.
    // The folder's data file is over both layouts' data, as in Eleventy since 1.0; tags add up,
    // the layouts' first.
    assert!(
        one.contains(r#"<body data-site="From the folder data"><main><article><p class="by">The page&#39;s author</p><p class="series">the post layout&#39;s series</p><p class="tags">from-layout,posts</p>"#),
        "{one}"
    );
    assert!(
        one.contains("<p>First post.</p>\n</article>\n</main></body></html>"),
        "{one}"
    );
    // The page's own front matter wins; without it the inner layout's value shows.
    let two = site.read("blog/two/index.html");
    assert!(
        two.contains(r#"<p class="by">The layout&#39;s author</p>"#),
        "{two}"
    );
    // A page in the outer layout alone sees only its data.
    let about = site.read("about/index.html");
    assert!(
        about.contains(r#"<body data-site="From the base layout"><main><p>About this site.</p>"#),
        "{about}"
    );
    // No front matter is printed as text.
    for page in [&one, &two, &about] {
        assert!(
            !page.contains("siteName:") && !page.contains("---"),
            "{page}"
        );
    }
}

#[test]
fn a_layout_cycle_is_an_error_naming_the_files() {
    let site = Site::fixture("eleventy-layouts");
    site.write(
        "layouts/base.html",
        "---\nlayout: post.html\n---\n<main>{{ content | safe }}</main>\n",
    );
    let run = site.run(&["build"]);
    run.fails_with(
        1,
        "error: layouts/base.html:2: layouts render into each other in a cycle: layouts/base.html → layouts/post.html → layouts/base.html",
    );
    assert!(
        run.stderr.contains("help: remove `layout:`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_error_in_a_chained_layout_names_its_file_and_line() {
    let site = Site::fixture("eleventy-layouts");
    site.write(
        "layouts/base.html",
        "---\ntitle: x\n---\n<main>\n{{ content | nope }}</main>\n",
    );
    site.run(&["build"]).fails_with(1, "layouts/base.html:5");
}
