//! `markdown: {templates: true}`: Markdown bodies run through Tera first, as Eleventy's
//! `markdownTemplateEngine` does; off by default, so code samples stay as written.

use crate::harness::Site;

const SITE: &str =
    "title: Chained layouts\nbase_url: https://chained.example/\nmarkdown:\n  templates: true\n";

const POST: &str = "---\ntitle: Listing\nlayout: post\nmood: calm\n---\n\
Hello from *{{ title }}* ({{ mood }}, {{ page.data.mood }}), by {{ data.metadata.author }}.\n\n\
{% for p in collections.all %}{% if p.title == \"One\" %}- [{{ p.title }}]({{ p.url }})\n{% endif %}{% endfor %}\n\
{% raw %}`${{ secrets.TOKEN }}`{% endraw %}\n\n{% include \"byline.html\" %}\n";

#[test]
fn markdown_bodies_run_through_tera_before_markdown_when_asked() {
    let site = Site::fixture("eleventy-layouts");
    site.write("site.yaml", SITE);
    site.write("data/metadata.yaml", "author: Ada\n");
    site.write("content/blog/listing.md", POST);
    site.write(
        "layouts/byline.html",
        "*Filed by {{ data.metadata.author }}*",
    );
    let run = site.build();
    let page = site.read("blog/listing/index.html");
    assert!(
        page.contains("<p>Hello from <em>Listing</em> (calm, calm), by Ada.</p>\n<ul>\n<li><a href=\"/blog/one/\">One</a></li>\n</ul>\n<p><code>${{ secrets.TOKEN }}</code></p>\n<p><em>Filed by Ada</em></p>"),
        "{page}"
    );
    assert!(!run.stderr.contains("shown as text"), "{}", run.stderr);
}

#[test]
fn markdown_templates_are_off_by_default_and_code_samples_stay_intact() {
    let site = Site::fixture("eleventy-layouts");
    site.write(
        "content/blog/ci.md",
        "---\ntitle: CI\n---\nSet the token: `${{ secrets.TOKEN }}`.\n\nHello {{ title }}.\n",
    );
    let run = site.build();
    let page = site.read("blog/ci/index.html");
    assert!(
        page.contains("<code>${{ secrets.TOKEN }}</code>") && page.contains("Hello {{ title }}."),
        "{page}"
    );
    assert!(
        run.stderr.contains("content/blog/ci.md:6"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_error_in_markdown_names_the_content_file_and_line() {
    let site = Site::fixture("eleventy-layouts");
    site.write("site.yaml", SITE);
    site.write(
        "content/blog/broken.md",
        "---\ntitle: Broken\n---\nFine.\n\n{{ title | no_such_filter }}\n",
    );
    site.run(&["build"])
        .fails_with(1, "content/blog/broken.md:6");
    site.write(
        "content/blog/broken.md",
        "---\ntitle: Broken\n---\nFine.\n\n{{ missing.value }}\n",
    );
    site.run(&["build"])
        .fails_with(1, "content/blog/broken.md:6");
}
