//! Content written for Eleventy, built unchanged: its data files, permalink templates, file
//! slugs, the values it accepts, files beside posts, and the syntax breakeven refuses clearly.

use crate::harness::Site;

#[test]
fn folder_page_and_global_data_merge_in_eleventys_order() {
    let site = Site::fixture("eleventy");
    let run = site.build();
    // blog/blog.json gives layout (`post.njk` is layouts/post.html), tags and permalink;
    // second.11tydata.json adds a tag and a `series` the front matter overrides.
    let second = site.read("second-post/index.html");
    assert!(
        second.contains(r#"<p class="tags">posts,extra</p>"#),
        "{second}"
    );
    assert!(second.contains("from the post&#39;s own data"), "{second}");
    // _data/metadata.json is `data.metadata`.
    assert!(second.contains(r#"<p class="who">Ada</p>"#), "{second}");
    // `override:tags` replaces the folder's tags.
    assert!(
        site.read("untouched/index.html")
            .contains(r#"<p class="tags">notes</p>"#)
    );
    // notes/notes.yaml gives its folder a layout.
    assert!(
        site.read("notes/modified/index.html")
            .contains("<p class=\"who\">")
    );
    assert!(!run.stderr.contains("not a page"), "{}", run.stderr);
}

#[test]
fn permalink_templates_and_file_slugs_follow_eleventy() {
    let site = Site::fixture("eleventy");
    site.build();
    // `/{{ page.fileSlug }}/` drops the date prefix; `/{{ title | slug }}/` slugs the title.
    assert!(site.exists("some-title/index.html"));
    assert!(site.exists("second-post/index.html"));
    // `permalink: null` is the default URL, and `fourthpost/fourthpost.md` is its folder's page.
    assert!(site.exists("blog/fourthpost/index.html"));
    // The date comes from the file name when the front matter has none: oldest first.
    let home = site.read("index.html");
    let first = home.find("/some-title/").expect("listed");
    let second = home.find("/second-post/").expect("listed");
    assert!(first < second, "{home}");
}

#[test]
fn values_eleventy_accepts_build() {
    let site = Site::fixture("eleventy");
    let run = site.build();
    let home = site.read("index.html");
    // `eleventyExcludeFromCollections: [posts]` leaves only that collection; `true` leaves all.
    assert!(!home.contains("/hidden/"), "{home}");
    assert!(site.exists("hidden/index.html"));
    assert!(home.contains("|all 7"), "{home}");
    // No title: a warning, and the page is built.
    assert!(
        run.stderr
            .contains("warning: content/404.md:1: no `title` in front matter"),
        "{}",
        run.stderr
    );
    assert!(site.read("404.html").contains("Not found."));
    // `date: Last Modified` takes the file's time (no git repository here).
    assert!(site.exists("notes/modified/index.html"));
}

#[test]
fn files_beside_posts_are_published_beside_them() {
    let site = Site::fixture("eleventy");
    site.build();
    assert!(
        site.read("blog/fourthpost/index.html")
            .contains(r#"src="./possum.png""#)
    );
    assert_eq!(site.read("blog/fourthpost/possum.png"), "PNG");
}

#[test]
fn raw_markers_are_removed_and_other_template_tags_warn() {
    let site = Site::fixture("eleventy");
    site.write(
        "content/shortcodes.md",
        "---\ntitle: Shortcodes\n---\nText.\n\n<img src=\"{% src 'a.jpg' %}\" alt=\"\">\n\nA <img src=\"{% src 'b.jpg' %}\"> inline.\n",
    );
    let run = site.build();
    // In raw HTML too, block and inline.
    for line in [6, 8] {
        let expected = format!(
            "warning: content/shortcodes.md:{line}: breakeven does not run templates inside Markdown"
        );
        assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    }
    let page = site.read("some-title/index.html");
    assert!(page.contains("{{ kept }} and {{ shown }}"), "{page}");
    assert!(!page.contains("raw"), "{page}");
    assert!(
        run.stderr.contains(
            "warning: content/blog/2007-02-20-some-title.md:4: breakeven does not run templates inside Markdown"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn javascript_data_and_other_template_languages_are_named() {
    let site = Site::fixture("eleventy");
    site.write(
        "content/emails/emails.11tydata.mjs",
        "export default { tags: [\"mail\"] };\n",
    );
    site.write("content/emails/list.njk", "---\ntitle: Mail\n---\n");
    let run = site.build();
    for expected in [
        "warning: content/blog/blog.11tydata.js: JavaScript data is not run: the values it returns are missing from content/blog/2007-02-20-some-title.md,",
        "help: move the keys it returns into `content/blog/blog.json`",
        "warning: _data/site.js: JavaScript data is not run",
        "warning: content/emails/emails.11tydata.mjs: JavaScript data is not run: no page breakeven builds uses them",
        "warning: content/tags.njk: this is a Nunjucks template, which breakeven does not render",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    assert!(!site.exists("tags.njk"));
}

#[test]
fn javascript_front_matter_and_missing_ports_are_clear_errors() {
    let site = Site::fixture("eleventy");
    site.write("content/js.md", "---js\n{ title: \"x\" }\n---\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error: content/js.md:1:1: JavaScript front matter (`---js`) is not supported"
        ),
        "{}",
        run.stderr
    );
    let site = Site::fixture("eleventy");
    site.write("content/page.md", "---\ntitle: P\nlayout: page.njk\n---\n");
    let run = site.run(&["build"]);
    assert!(
        run.messages().contains("unknown layout `page.njk` (no file `layouts/page.html`)\n  help: create `layouts/page.html`, a Tera port of `page.njk`"),
        "{}",
        run.stderr
    );
}

#[test]
fn markdown_features_can_be_turned_off_like_markdown_it() {
    let site = Site::fixture("eleventy");
    site.write(
        "site.yaml",
        "title: Migrated\nbase_url: https://migrated.example\nmarkdown:\n  smart_punctuation: false\n  heading_anchors: false\n  indented_code: false\n",
    );
    site.write(
        "content/plain.md",
        "---\ntitle: Plain\nlayout: post\n---\n## \"Quoted\" -- heading\n\n    indented *text*\n",
    );
    site.build();
    let html = site.read("plain/index.html");
    assert!(
        html.contains("<h2 id=\"quoted-heading\">\"Quoted\" -- heading</h2>"),
        "{html}"
    );
    assert!(html.contains("<p>indented <em>text</em></p>"), "{html}");
}

/// Permalinks written with Eleventy's slug filters keep the Eleventy site's URLs: `slugify`
/// transliterates and drops `'s`, the older `slug` keeps some punctuation.
#[test]
fn eleventys_slug_filters_give_eleventys_urls() {
    let site = Site::fixture("eleventy");
    site.write(
        "content/notes/creme.md",
        "---\ntitle: \"Crème brûlée's recipe & Über\"\npermalink: \"/{{ title | slugify }}/\"\n---\nA.\n",
    );
    site.write(
        "content/notes/fish.md",
        "---\ntitle: \"Fish & Chips: 100% sure!\"\npermalink: \"/{{ title | slug }}/\"\n---\nB.\n",
    );
    site.build();
    assert!(site.exists("creme-brulees-recipe-and-ueber/index.html"));
    assert!(site.exists("fish-and-chips:-100percent-sure!/index.html"));
}

/// Nunjucks' `dump` (and Tera 1's `json_encode`) in a ported template print JSON.
#[test]
fn dump_and_json_encode_print_json() {
    let site = Site::fixture("eleventy");
    site.write(
        "content/dump.html",
        "---\ntitle: Dump\ntags: [a, b]\n---\n<p>{{ page.tags | dump | safe }}</p><p>{{ page.title | json_encode }}</p>\n",
    );
    site.build();
    let page = site.read("dump/index.html");
    assert!(
        page.contains(r#"<p>["a","b"]</p><p>&quot;Dump&quot;</p>"#),
        "{page}"
    );
}

#[test]
fn computed_data_is_worked_out_from_the_rest_of_the_cascade() {
    let site = Site::fixture("eleventy");
    site.write(
        "content/series/series.json",
        r#"{"layout": "post.njk", "tags": ["posts"], "eleventyComputed": {"permalink": "/s/{{ series | slugify }}/{{ page.fileSlug }}/"}}"#,
    );
    site.write(
        "content/series/one.md",
        "---\ntitle: Plain\nseries: Rust Notes\npart: 2\neleventyComputed:\n  title: \"{{ series }}, part {{ part }}\"\n  tags: [computed]\n  eleventyNavigation:\n    key: \"{{ page.url }}\"\n---\nBody\n",
    );
    site.write(
        "content/series/two.md",
        "---\ntitle: Kept\nseries: Go\neleventyComputed:\n  title: \"{{ missing.value }}\"\n---\nBody\n",
    );
    let run = site.build();
    // The folder's computed permalink and the page's computed title and tags (which replace the
    // folder's) merge; a template sees the page's data.
    let one = site.read("s/rust-notes/one/index.html");
    assert!(one.contains("<title>Rust Notes, part 2</title>"), "{one}");
    assert!(one.contains(r#"<p class="tags">computed</p>"#), "{one}");
    // A value that does not render is a warning naming where it is written; the rest stands.
    let two = site.read("s/go/two/index.html");
    assert!(two.contains("<title>Kept</title>"), "{two}");
    assert!(
        run.stderr
            .contains("warning: content/series/two.md:4: `eleventyComputed.title` did not render"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("does not support"), "{}", run.stderr);
    // The computed permalink comes first: the other values see its `page.url`.
    site.write(
        "layouts/nav.html",
        "<nav>{{ page.data.eleventyNavigation.key }}</nav>\n",
    );
    site.write(
        "content/navigated.md",
        "---\ntitle: Nav\nlayout: nav\neleventyComputed:\n  eleventyNavigation:\n    key: \"{{ page.url }}\"\n  permalink: /elsewhere/\n---\n",
    );
    site.build();
    assert!(
        site.read("elsewhere/index.html")
            .contains("<nav>/elsewhere/</nav>")
    );
}

#[test]
fn last_modified_is_the_file_time_to_the_millisecond_as_in_eleventy() {
    let site = Site::blank();
    site.write("site.yaml", "title: T\nbase_url: https://t.example\n");
    site.write("layouts/p.html", "<p>{{ page.date }}</p>\n");
    site.write(
        "content/a.md",
        "---\ntitle: A\nlayout: p\ndate: Last Modified\n---\nText\n",
    );
    let when = std::time::UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 123_456_789);
    std::fs::File::options()
        .write(true)
        .open(site.path("content/a.md"))
        .and_then(|f| f.set_modified(when))
        .expect("set the file's time");
    site.build();
    let page = site.read("a/index.html");
    assert!(page.contains("2023-11-14T22:13:20.123Z"), "{page}");
}

#[test]
fn liquid_date_permalinks_build_and_config_filters_are_named() {
    let site = Site::fixture("eleventy");
    site.write(
        "content/dated.md",
        "---\ntitle: Dated\ndate: 2020-03-04\npermalink: \"/{{ page.date | date: '%Y/%m' }}/{{ page.fileSlug }}/\"\n---\nText\n",
    );
    site.build();
    assert!(site.exists("2020/03/dated/index.html"));
    site.write(
        "content/dated.md",
        "---\ntitle: Dated\ndate: 2020-03-04\npermalink: \"/{{ page.date | toISODate }}/\"\n---\nText\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.messages().contains("content/dated.md:4: bad permalink")
            && run.messages().contains(
                "help: `toISODate` is not a filter breakeven has (filters added in an Eleventy config are not run)"
            ),
        "{}",
        run.stderr
    );
    site.write("content/dated.md", "---\ntitle: Dated\n---\nText\n");
    // A page ported from Nunjucks that still calls a filter of the Eleventy config.
    site.write(
        "content/contact.html",
        "---\ntitle: Contact\n---\n<a href=\"{{ '/' | locale_url }}\">Home</a>\n",
    );
    let page = site.run(&["build"]).messages();
    assert!(
        page.contains("content/contact.html:4:19: template error: Unknown filter `locale_url`")
            && page.contains("help: `locale_url` is not a filter breakeven has"),
        "{page}"
    );
}

#[test]
fn lowercase_tags_fold_tags_into_one_collection() {
    let site = Site::fixture("eleventy");
    site.write(
        "site.yaml",
        "title: Migrated\nbase_url: https://migrated.example\nlowercase_tags: true\n",
    );
    // The folder gives `posts`; the page adds `Posts`, `RoR` and `ror`.
    site.write(
        "content/blog/third.md",
        "---\ntitle: Third\ntags: [Posts, RoR, ror]\n---\nText\n",
    );
    site.build();
    let third = site.read("third/index.html");
    assert!(
        third.contains(r#"<p class="tags">posts,ror</p>"#),
        "{third}"
    );
}

#[test]
fn a_layout_permalink_that_fails_names_the_page_and_a_missing_date() {
    let site = Site::fixture("eleventy");
    site.write(
        "layouts/dated.html",
        "---\npermalink: \"/{{ page.date | date(format='%Y') }}/{{ page.fileSlug }}/\"\n---\n{{ content | safe }}\n",
    );
    site.write(
        "content/undated.md",
        "---\ntitle: U\nlayout: dated\n---\nText\n",
    );
    site.write(
        "content/dated.md",
        "---\ntitle: D\nlayout: dated\ndate: 2021-05-06\npermalink: ''\n---\nText\n",
    );
    let messages = site.run(&["build"]).messages();
    assert!(
        messages.contains("error: layouts/dated.html:2: bad permalink")
            && messages.contains("(for content/undated.md)")
            && messages.contains(
                "help: this page has no date, so `page.date` is empty: give it a `date:`"
            ),
        "{messages}"
    );
    // An empty permalink is the default URL, over the layout's.
    site.write(
        "content/undated.md",
        "---\ntitle: U\nlayout: dated\ndate:\npermalink: ''\n---\nText\n",
    );
    site.build();
    assert!(site.exists("dated/index.html") && site.exists("undated/index.html"));
}
