//! Incremental rebuilds always equal a clean build: scripted edits (content, layouts, data,
//! static files; add, edit, rename, delete) are applied to a live session, and after every step
//! each output is compared with a clean build of the same files.

use std::collections::BTreeSet;
use std::path::PathBuf;

use breakeven::Options;
use breakeven::output::Content;
use breakeven::rebuild::Session;

use crate::harness::Site;
use crate::same_as_clean::{Compared, equals_a_clean_build};

/// One scripted step: files to write (`Some`) or delete (`None`).
type Step<'a> = (&'a str, Vec<(&'a str, Option<&'a str>)>);

/// Runs `steps` on a copy of `fixture`; gives how each step went.
fn run_script(fixture: &str, steps: &[Step]) -> Vec<Compared> {
    let mut compared = Vec::new();
    let site = Site::fixture(fixture);
    let (mut session, _) =
        Session::start(site.root(), &Options::default()).unwrap_or_else(|f| panic!("start: {f:?}"));
    for (what, edits) in steps {
        let mut changed = BTreeSet::new();
        for (path, text) in edits {
            match text {
                Some(text) => site.write(path, text),
                None => std::fs::remove_file(site.path(path)).expect("delete"),
            }
            changed.insert(PathBuf::from(path));
        }
        match equals_a_clean_build(&mut session, site.root(), changed) {
            Ok(c) => compared.push(c),
            Err(e) => panic!("step `{what}`: {e}"),
        }
    }
    compared
}

const POST: &str = "content/blog/posts/servers-vs-serverless.md";
const SECOND: &str = "content/blog/posts/2025-04-01-second.md";

#[test]
fn content_edits_equal_a_clean_build() {
    let first = std::fs::read_to_string(Site::fixture("blog").path(POST)).expect("post");
    let body_edit = first.replace("is ~~always~~ sometimes cheaper", "is often cheaper");
    let summary_edit = body_edit.replace("Our guest says", "Our guest argues");
    let title_edit = body_edit.replace("It isn't about cost.", "It is about architecture.");
    let reordered = title_edit.replace("date: 2025-03-29", "date: 2025-06-01");
    run_script(
        "blog",
        &[
            ("edit a post's text", vec![(POST, Some(&body_edit))]),
            ("edit a post's summary", vec![(POST, Some(&summary_edit))]),
            (
                "edit a post's title",
                vec![(
                    POST,
                    Some(&title_edit.replace("Our guest says", "Our guest argues")),
                )],
            ),
            (
                "move a post after its neighbour",
                vec![(POST, Some(&reordered))],
            ),
            (
                "add a post with a new tag",
                vec![(
                    "content/blog/posts/third.md",
                    Some("---\ntitle: Third\ndate: 2025-05-01\ntags: [serverless]\n---\nNew.\n"),
                )],
            ),
            (
                "rename a post",
                vec![
                    ("content/blog/posts/third.md", None),
                    (
                        "content/blog/posts/third-renamed.md",
                        Some(
                            "---\ntitle: Third\ndate: 2025-05-01\ntags: [serverless]\n---\nNew.\n",
                        ),
                    ),
                ],
            ),
            ("delete a post", vec![(SECOND, None)]),
            (
                "make a post a draft",
                vec![(
                    "content/blog/posts/third-renamed.md",
                    Some("---\ntitle: Third\ndraft: true\n---\nNew.\n"),
                )],
            ),
            (
                "edit a template page",
                vec![(
                    "content/index.html",
                    Some(
                        "---\ntitle: Home\nlayout: base\npermalink: /\n---\n<p>{{ collections.post | length }} posts</p>\n",
                    ),
                )],
            ),
        ],
    );
}

// One script, one table of steps: each step runs on the site the steps before it left, so
// splitting the table in two would test less.
#[allow(clippy::too_many_lines)]
#[test]
fn layout_data_and_static_edits_equal_a_clean_build() {
    run_script(
        "blog",
        &[
            (
                "edit a layout",
                vec![(
                    "layouts/tag.html",
                    Some(
                        "{% extends \"layouts/base.html\" %}\n{% block main %}<h1>#{{ tag.name }}</h1>{% endblock main %}\n",
                    ),
                )],
            ),
            (
                "edit the base layout",
                vec![(
                    "layouts/base.html",
                    Some(
                        "<!doctype html><html><body><main>{% block main %}{{ page.content | safe }}{% endblock main %}</main></body></html>\n",
                    ),
                )],
            ),
            (
                "edit template data",
                vec![(
                    "data/prices.yaml",
                    Some("source: https://example.org/prices\n"),
                )],
            ),
            (
                "edit a stylesheet",
                vec![("static/css/site.css", Some("body { color: navy; }\n"))],
            ),
            (
                "add a static file",
                vec![("static/robots.txt", Some("User-agent: *\n"))],
            ),
            ("delete a static file", vec![("static/robots.txt", None)]),
            (
                "shadow the feed with a static file",
                vec![("static/feed.xml", Some("<feed/>\n"))],
            ),
            ("stop shadowing the feed", vec![("static/feed.xml", None)]),
            (
                "add a hidden file to static",
                vec![("static/img/.DS_Store", Some("x"))],
            ),
            (
                "a page takes a tag page's URL",
                vec![(
                    "content/clash.md",
                    Some("---\ntitle: Clash\npermalink: /tags/post/\n---\n"),
                )],
            ),
            (
                "the page moves away again",
                vec![(
                    "content/clash.md",
                    Some("---\ntitle: Clash\npermalink: /clash/\n---\n"),
                )],
            ),
            (
                "add a layout",
                vec![(
                    "layouts/page.html",
                    Some("<main>{{ page.content | safe }}</main>\n"),
                )],
            ),
            (
                "edit site.yaml",
                vec![(
                    "site.yaml",
                    Some("title: Renamed\nbase_url: https://fixture.example/\n"),
                )],
            ),
        ],
    );
}

#[test]
fn figure_data_edits_equal_a_clean_build() {
    let site = Site::fixture("figures");
    let pricing = std::fs::read_to_string(site.path("data/pricing.yaml")).expect("pricing");
    let cheaper = pricing.replace("usd_per_hour: 0.0416", "usd_per_hour: 0.0300");
    run_script(
        "figures",
        &[(
            "change a price",
            vec![("data/pricing.yaml", Some(&cheaper))],
        )],
    );
}

/// Pages in `layouts/post.html` render inside `layouts/base.html`, which post.html names in its
/// front matter: an edit to base.html alone must re-render them.
#[test]
fn chained_layout_edits_equal_a_clean_build() {
    let base = "---\nsiteName: From the base layout\nseries: the base layout's series\n---\n";
    let post = "---\nlayout: base.njk\nseries: the post layout's series\nauthor: The layout's author\n---\n";
    let body =
        "<article><p class=\"by\">{{ page.data.author }}</p>{{ content | safe }}</article>\n";
    run_script(
        "eleventy-layouts",
        &[
            (
                "edit the outer layout's template",
                vec![(
                    "layouts/base.html",
                    Some(&format!(
                        "{base}<main class=\"edited\">{{{{ content | safe }}}}</main>\n"
                    )),
                )],
            ),
            (
                "edit the inner layout's template",
                vec![("layouts/post.html", Some(&format!("{post}{body}")))],
            ),
            (
                "edit the outer layout's data",
                vec![(
                    "layouts/base.html",
                    Some(
                        "---\nsiteName: Renamed\n---\n<main>{{ content | safe }}{{ page.data.siteName }}</main>\n",
                    ),
                )],
            ),
            (
                "the inner layout leaves the chain",
                vec![(
                    "layouts/post.html",
                    Some(&format!("---\nauthor: Alone\n---\n{body}")),
                )],
            ),
        ],
    );
}

/// A page linking to another's source file (`one.md`) shows that page's URL: moving, removing
/// and adding back the page it names re-renders it.
#[test]
fn a_link_to_a_source_file_follows_its_page() {
    let one = "---\ntitle: One\nlayout: post\n---\nFirst post.\n";
    run_script(
        "eleventy-layouts",
        &[
            (
                "add a page linking to one.md",
                vec![(
                    "content/links.md",
                    Some("---\ntitle: Links\n---\nSee [one](blog/one.md#part).\n"),
                )],
            ),
            (
                "move the page it names",
                vec![(
                    "content/blog/one.md",
                    Some(&one.replace("layout: post", "layout: post\npermalink: /first/")),
                )],
            ),
            (
                "remove the page it names",
                vec![("content/blog/one.md", None)],
            ),
            ("add it back", vec![("content/blog/one.md", Some(one))]),
        ],
    );
}

/// With `markdown: {templates: true}` a post's body may list other pages: editing one of them
/// changes it.
#[test]
fn markdown_templates_follow_the_pages_they_read() {
    let listing =
        "---\ntitle: Listing\n---\n{% for p in collections.all %}- {{ p.title }}\n{% endfor %}\n";
    run_script(
        "eleventy-layouts",
        &[
            (
                "turn templates on and add a listing",
                vec![
                    (
                        "site.yaml",
                        Some(
                            "title: T\nbase_url: https://t.example/\nmarkdown:\n  templates: true\n",
                        ),
                    ),
                    ("content/listing.md", Some(listing)),
                ],
            ),
            (
                "retitle a listed page",
                vec![(
                    "content/about.md",
                    Some("---\ntitle: About us\nlayout: base\n---\nAbout.\n"),
                )],
            ),
        ],
    );
}

#[test]
fn a_failed_rebuild_is_retried_with_the_next_change() {
    let broken = "---\ntitle: [\n---\n";
    run_script(
        "blog",
        &[
            ("break a post", vec![(SECOND, Some(broken))]),
            (
                "edit another file",
                vec![("static/css/site.css", Some("body { color: red; }\n"))],
            ),
            (
                "fix the post",
                vec![(
                    SECOND,
                    Some("---\ntitle: Second, fixed\ntags: interview-series\n---\nFixed.\n"),
                )],
            ),
        ],
    );
}

/// Listings that order, group or show pages through strings, never by printing the field that
/// changed: a front-matter edit must still re-render each of them.
#[test]
fn a_listing_sorted_by_a_field_it_does_not_print_is_rebuilt() {
    for listing in [
        r#"{% for p in collections.post | sort(attribute="data.order") %}<li>{{ p.url }}</li>{% endfor %}"#,
        r#"{% for g in collections.post | group_by(attribute="data.series") %}<h2>{{ loop.index }}</h2>{% endfor %}"#,
    ] {
        listing_follows_front_matter_edits(listing);
    }
}

/// Listings that print each page, or every page, as a whole value show every field: an edit
/// to any must re-render them. (Tera 2 has no `json_encode`: `str` is how a value is dumped.)
#[test]
fn a_listing_printing_whole_pages_is_rebuilt() {
    for listing in [
        "{% for p in collections.post %}<pre>{{ p }}</pre>{% endfor %}",
        "{% for p in collections.post %}<pre>{{ p | str }}</pre>{% endfor %}",
        "<pre>{{ collections.post }}</pre>",
    ] {
        listing_follows_front_matter_edits(listing);
    }
}

/// Tries `listing` in a site of its own, so no other template's use hides a miss, through edits
/// of front-matter keys (an order, a series, a new key) that no title or URL shows.
fn listing_follows_front_matter_edits(listing: &str) {
    let first = std::fs::read_to_string(Site::fixture("blog").path(POST)).expect("post");
    let second = std::fs::read_to_string(Site::fixture("blog").path(SECOND)).expect("post");
    let with = |text: &str, keys: &str| text.replacen("---\n", &format!("---\n{keys}\n"), 1);
    let page = format!("---\ntitle: Listing\n---\n{listing}\n");
    let compared = run_script(
        "blog",
        &[
            (
                "add the listing and orders",
                vec![
                    ("content/listing.html", Some(&page)),
                    (POST, Some(&with(&first, "order: 1\nseries: a"))),
                    (SECOND, Some(&with(&second, "order: 2\nseries: a"))),
                ],
            ),
            (
                "swap the order",
                vec![(POST, Some(&with(&first, "order: 3\nseries: a")))],
            ),
            (
                "change the series",
                vec![(SECOND, Some(&with(&second, "order: 2\nseries: b")))],
            ),
            (
                "add a key shown only in the whole value",
                vec![(
                    SECOND,
                    Some(&with(&second, "order: 2\nseries: b\nmood: calm")),
                )],
            ),
        ],
    );
    // A listing that does not build would compare two failures.
    assert!(
        compared.iter().all(|c| *c == Compared::Built),
        "{listing}: {compared:?}"
    );
}

const PAGED_HOME: &str = "---\ntitle: Home\nlayout: base\npagination: {data: collections.post, size: 1, reverse: true, alias: p}\npermalink: \"/{% if pagination.pageNumber > 0 %}page/{{ pagination.pageNumber + 1 }}/{% endif %}\"\n---\n<h2>{{ p.title }}</h2>{% if pagination.href.next %}<a href=\"{{ pagination.href.next }}\">older</a>{% endif %}\n";

/// A paged listing: a title edit re-renders the chunk that shows it; adding, removing and
/// reordering posts moves every chunk; each step equals a clean build.
#[test]
fn paged_listings_equal_a_clean_build() {
    let first = std::fs::read_to_string(Site::fixture("blog").path(POST)).expect("post");
    let retitled = first.replace("It isn't about cost.", "It is about architecture.");
    run_script(
        "blog",
        &[
            (
                "page the home page",
                vec![("content/index.html", Some(PAGED_HOME))],
            ),
            ("edit a post's title", vec![(POST, Some(&retitled))]),
            (
                "add a post",
                vec![(
                    "content/blog/posts/third.md",
                    Some("---\ntitle: Third\ndate: 2025-05-01\ntags: [post]\n---\nNew.\n"),
                )],
            ),
            (
                "move a post",
                vec![(
                    POST,
                    Some(&retitled.replace("date: 2025-03-29", "date: 2025-06-01")),
                )],
            ),
            ("delete a post", vec![("content/blog/posts/third.md", None)]),
        ],
    );
}

#[test]
fn a_title_edit_rewrites_only_the_chunk_that_shows_it() {
    let site = Site::fixture("blog");
    site.write("content/index.html", PAGED_HOME);
    let (mut session, _) =
        Session::start(site.root(), &Options::default()).unwrap_or_else(|f| panic!("start: {f:?}"));
    let text = std::fs::read_to_string(site.path(POST)).expect("post");
    site.write(
        POST,
        text.replace("It isn't about cost.", "It is about architecture."),
    );
    let update = session
        .apply([PathBuf::from(POST)].into())
        .unwrap_or_else(|f| panic!("rebuild: {f:?}"));
    let listings: Vec<&String> = update
        .changed
        .iter()
        .filter(|p| *p == "index.html" || p.starts_with("page/"))
        .collect();
    assert_eq!(listings.len(), 1, "{:?}", update.changed);
    let shown = String::from_utf8_lossy(match &session.outputs()[listings[0].as_str()].content {
        Content::Bytes(b) => b,
        Content::Copy(_) => panic!("a rendered page"),
    })
    .into_owned();
    assert!(shown.contains("It is about architecture."), "{shown}");
}

/// Tag pages paged one post a chunk: edits that move nothing rewrite the chunk that shows them,
/// others move every chunk; each step equals a clean build.
#[test]
fn paged_tag_pages_equal_a_clean_build() {
    let first = std::fs::read_to_string(Site::fixture("blog").path(POST)).expect("post");
    let retitled = first.replace("It isn't about cost.", "It is about architecture.");
    let config = "title: Fixture Blog\nbase_url: https://fixture.example/\ntag_page_size: 1\n";
    run_script(
        "blog",
        &[
            ("page the tag pages", vec![("site.yaml", Some(config))]),
            ("edit a post's title", vec![(POST, Some(&retitled))]),
            (
                "add a post",
                vec![(
                    "content/blog/posts/third.md",
                    Some(
                        "---\ntitle: Third\ndate: 2025-05-01\ntags: [interview-series]\n---\nNew.\n",
                    ),
                )],
            ),
            ("delete a post", vec![("content/blog/posts/third.md", None)]),
        ],
    );
}

/// A layout edit reaches every chunk of a paged listing, though no listed page changed.
#[test]
fn a_layout_edit_rewrites_every_chunk_of_a_paged_listing() {
    let base = std::fs::read_to_string(Site::fixture("blog").path("layouts/base.html"))
        .expect("base layout");
    run_script(
        "blog",
        &[
            (
                "page the home page",
                vec![("content/index.html", Some(PAGED_HOME))],
            ),
            (
                "edit the layout the chunks use",
                vec![(
                    "layouts/base.html",
                    Some(&base.replace("</main>", "</main><footer>new</footer>")),
                )],
            ),
        ],
    );
}

#[test]
fn a_title_edit_rewrites_only_the_tag_page_chunk_that_shows_it() {
    let site = Site::fixture("blog");
    site.write(
        "site.yaml",
        "title: Fixture Blog\nbase_url: https://fixture.example/\ntag_page_size: 1\n",
    );
    site.write(
        "layouts/tag.html",
        "{{ tag.count }}: {% for p in pagination.items %}{{ p.title }}{% endfor %}\n",
    );
    let (mut session, _) =
        Session::start(site.root(), &Options::default()).unwrap_or_else(|f| panic!("start: {f:?}"));
    let text = std::fs::read_to_string(site.path(POST)).expect("post");
    site.write(
        POST,
        text.replace("It isn't about cost.", "It is about architecture."),
    );
    let update = session
        .apply([PathBuf::from(POST)].into())
        .unwrap_or_else(|f| panic!("rebuild: {f:?}"));
    let tag_pages: Vec<&str> = update
        .changed
        .iter()
        .filter(|p| p.starts_with("tags/post/"))
        .map(String::as_str)
        .collect();
    // The post is the older of the two in `post`, newest first: the second chunk.
    assert_eq!(
        tag_pages,
        ["tags/post/page/2/index.html"],
        "{:?}",
        update.changed
    );
}

/// A paged listing whose layout lists every post shows a title edit in every chunk, not only
/// in the chunk that holds the edited post.
#[test]
fn a_title_shown_by_the_layout_of_a_paged_listing_is_rewritten_in_every_chunk() {
    let base = std::fs::read_to_string(Site::fixture("blog").path("layouts/base.html"))
        .expect("base layout");
    let listing = "</main><nav>{% for p in collections.post %}{{ p.title }} {% endfor %}</nav>";
    let first = std::fs::read_to_string(Site::fixture("blog").path(POST)).expect("post");
    run_script(
        "blog",
        &[
            (
                "page the home page, its layout listing every post",
                vec![
                    ("content/index.html", Some(PAGED_HOME)),
                    ("layouts/base.html", Some(&base.replace("</main>", listing))),
                ],
            ),
            (
                "edit a post's title",
                vec![(
                    POST,
                    Some(&first.replace("It isn't about cost.", "It is about architecture.")),
                )],
            ),
        ],
    );
}

/// A listing paged over a data list that empties keeps its one page, now with no items: the
/// chunk that held the last item has none left to show that it changed.
#[test]
fn a_page_paged_over_a_data_list_that_empties_is_rewritten() {
    let paged = "---\ntitle: Items\npagination: {data: data.list.items, size: 1}\npermalink: /items/\n---\n{% for i in pagination.items %}<li>{{ i }}</li>{% endfor %}\n";
    run_script(
        "blog",
        &[
            (
                "page a data list",
                vec![
                    ("data/list.yaml", Some("items: [a]\n")),
                    ("content/items.html", Some(paged)),
                ],
            ),
            (
                "empty the list",
                vec![("data/list.yaml", Some("items: []\n"))],
            ),
        ],
    );
}

/// A paged home page that also lists a collection of its own (`notes`), beside one note.
fn home_reading_notes() -> [(&'static str, Option<&'static str>); 2] {
    const HOME: &str = "---\ntitle: Home\nlayout: base\npagination: {data: collections.post, size: 1, reverse: true, alias: p}\npermalink: \"/{% if pagination.pageNumber > 0 %}page/{{ pagination.pageNumber + 1 }}/{% endif %}\"\n---\n<h2>{{ p.title }}</h2><aside>{% for n in collections.notes %}{{ n.title }}{% endfor %}</aside>\n";
    [
        ("content/index.html", Some(HOME)),
        (
            "content/note.md",
            Some("---\ntitle: A note\ntags: notes\n---\nNoted.\n"),
        ),
    ]
}

/// The listing reads `collections.notes`, which the edited post is not in: a title edit of
/// the post renders again only the chunk that holds it; the other keeps the very same file.
#[test]
fn a_title_edit_renders_only_its_chunk_of_a_listing_reading_other_collections() {
    let site = Site::fixture("blog");
    for (path, text) in home_reading_notes() {
        site.write(path, text.expect("a file"));
    }
    let (mut session, _) =
        Session::start(site.root(), &Options::default()).unwrap_or_else(|f| panic!("start: {f:?}"));
    let first_chunk = std::sync::Arc::clone(&session.outputs()["index.html"]);
    let text = std::fs::read_to_string(site.path(POST)).expect("post");
    site.write(
        POST,
        text.replace("It isn't about cost.", "It is about architecture."),
    );
    session
        .apply([PathBuf::from(POST)].into())
        .unwrap_or_else(|f| panic!("rebuild: {f:?}"));
    // The post is the older of the two, newest first: the second chunk shows it.
    let second = match &session.outputs()["page/2/index.html"].content {
        Content::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Content::Copy(_) => panic!("a rendered page"),
    };
    assert!(second.contains("It is about architecture."), "{second}");
    assert!(
        std::sync::Arc::ptr_eq(&first_chunk, &session.outputs()["index.html"]),
        "the first chunk, which shows another post, was rendered again"
    );
}

/// The same listing equals a clean build after a post's title edit (one chunk rewritten) and
/// after the note's (every chunk shows it).
#[test]
fn a_paged_listing_reading_another_collection_equals_a_clean_build() {
    let post = std::fs::read_to_string(Site::fixture("blog").path(POST)).expect("post");
    run_script(
        "blog",
        &[
            (
                "page the home page, listing notes",
                home_reading_notes().to_vec(),
            ),
            (
                "edit a post's title",
                vec![(
                    POST,
                    Some(&post.replace("It isn't about cost.", "It is about architecture.")),
                )],
            ),
            (
                "edit the note's title",
                vec![(
                    "content/note.md",
                    Some("---\ntitle: A longer note\ntags: notes\n---\nNoted.\n"),
                )],
            ),
        ],
    );
}

/// The fixture blog with a feed of its one newest post (the second).
const FEED_OF_ONE: &str =
    "title: Fixture Blog\nbase_url: https://fixture.example/\nfeed: {limit: 1}\n";

/// The feed shows its entries whole: a title edit of a post it does not show keeps the very
/// same feed; one of the post it shows writes it again.
#[test]
fn a_title_edit_of_a_post_the_feed_does_not_show_keeps_the_feed() {
    let site = Site::fixture("blog");
    site.write("site.yaml", FEED_OF_ONE);
    let (mut session, _) =
        Session::start(site.root(), &Options::default()).unwrap_or_else(|f| panic!("start: {f:?}"));
    let feed = std::sync::Arc::clone(&session.outputs()["feed.xml"]);
    let text = std::fs::read_to_string(site.path(POST)).expect("post");
    site.write(
        POST,
        text.replace("It isn't about cost.", "It is about architecture."),
    );
    let apply = |session: &mut Session, path: &str| {
        let update = session.apply([PathBuf::from(path)].into());
        update.unwrap_or_else(|f| panic!("rebuild: {f:?}"))
    };
    apply(&mut session, POST);
    assert!(std::sync::Arc::ptr_eq(
        &feed,
        &session.outputs()["feed.xml"]
    ));
    let text = std::fs::read_to_string(site.path(SECOND)).expect("second post");
    site.write(
        SECOND,
        text.replace("title: Second post", "title: Second, retitled"),
    );
    apply(&mut session, SECOND);
    let feed = match &session.outputs()["feed.xml"].content {
        Content::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Content::Copy(_) => panic!("a generated file"),
    };
    assert!(feed.contains("<title>Second, retitled</title>"), "{feed}");
}

/// The same edits, each step equal to a clean build.
#[test]
fn title_edits_beside_a_short_feed_equal_a_clean_build() {
    let post = std::fs::read_to_string(Site::fixture("blog").path(POST)).expect("post");
    let second = std::fs::read_to_string(Site::fixture("blog").path(SECOND)).expect("second");
    run_script(
        "blog",
        &[
            ("shorten the feed", vec![("site.yaml", Some(FEED_OF_ONE))]),
            (
                "edit the title of a post the feed does not show",
                vec![(
                    POST,
                    Some(&post.replace("It isn't about cost.", "It is about architecture.")),
                )],
            ),
            (
                "edit the title of the post it shows",
                vec![(
                    SECOND,
                    Some(&second.replace("title: Second post", "title: Second, retitled")),
                )],
            ),
        ],
    );
}

#[test]
fn computed_data_and_pages_over_a_global_data_file_equal_a_clean_build() {
    let letter = "---\ntitle: Letter\nlayout: base\npagination:\n  data: letters\n  size: 1\n  alias: letter\npermalink: \"/letters/{{ letter.slug }}/\"\neleventyComputed:\n  title: \"Letter: {{ letter.subject }}\"\n---\n{% for l in pagination.items %}<p>{{ l.subject }}</p>{% endfor %}\n";
    let notes_data = r#"{"eleventyComputed": {"permalink": "/n/{{ page.fileSlug }}/", "title": "{{ title }} ({{ series }})"}, "series": "one"}"#;
    run_script(
        "blog",
        &[
            (
                "add pages over a global data file, and computed folder data",
                vec![
                    (
                        "_data/letters.json",
                        Some(r#"[{"slug": "a", "subject": "Hi"}]"#),
                    ),
                    ("content/letter.html", Some(letter)),
                    ("content/notes/notes.json", Some(notes_data)),
                    (
                        "content/notes/first.md",
                        Some("---\ntitle: First\n---\nText\n"),
                    ),
                ],
            ),
            (
                "add a letter and change a subject",
                vec![(
                    "_data/letters.json",
                    Some(r#"[{"slug": "a", "subject": "Hello"}, {"slug": "b", "subject": "Bye"}]"#),
                )],
            ),
            (
                "change the computed folder data",
                vec![(
                    "content/notes/notes.json",
                    Some(
                        &notes_data
                            .replace("\"one\"", "\"two\"")
                            .replace("/n/", "/notes-"),
                    ),
                )],
            ),
            (
                "empty the letters",
                vec![("_data/letters.json", Some("[]"))],
            ),
        ],
    );
}
