//! Eleventy's pagination: paged listings over a collection, one page per tag over
//! `collections`, lists from data; each chunk at its own URL, with Eleventy's variables.

use crate::harness::Site;

/// A site of `n` posts (dated one day apart, `post-1` oldest), a layout, and `extra` files.
fn site_with_posts(n: usize, extra: &[(&str, &str)]) -> Site {
    let site = Site::blank();
    site.write(
        "site.yaml",
        "title: Paged\nbase_url: https://paged.example/\n",
    );
    site.write("layouts/base.html", "<main>{{ content | safe }}</main>\n");
    for i in 1..=n {
        let tag = if i % 2 == 0 { "even" } else { "odd" };
        site.write(
            &format!("content/posts/post-{i}.md"),
            format!(
                "---\ntitle: Post {i}\ndate: 2025-01-{i:02}\ntags: [post, {tag}]\n---\nText {i}.\n"
            ),
        );
    }
    for (path, text) in extra {
        site.write(path, text);
    }
    site
}

const HOME: &str = r#"---
title: Home
layout: base
pagination:
  data: collections.post
  size: 2
  reverse: true
  alias: posts
permalink: "/{% if pagination.pageNumber > 0 %}page/{{ pagination.pageNumber + 1 }}/{% endif %}"
---
<ol>{% for p in posts %}<li><a href="{{ p.url }}">{{ p.title }}</a></li>{% endfor %}</ol>
<p>page {{ pagination.pageNumber + 1 }} of {{ pagination.hrefs | length }} at {{ page.url }}</p>
{% if pagination.href.previous %}<a rel="prev" href="{{ pagination.href.previous }}">newer</a>{% endif %}
{% if pagination.href.next %}<a rel="next" href="{{ pagination.href.next }}">older</a>{% endif %}
"#;

#[test]
fn a_collection_is_paged_newest_first_with_links_between_the_pages() {
    let site = site_with_posts(5, &[("content/index.html", HOME)]);
    site.build();
    let first = site.read("index.html");
    assert!(
        first.contains(r#"<li><a href="/posts/post-5/">Post 5</a></li><li><a href="/posts/post-4/">Post 4</a></li></ol>"#),
        "{first}"
    );
    assert!(first.contains("page 1 of 3 at /"), "{first}");
    assert!(
        first.contains(r#"<a rel="next" href="/page/2/">"#),
        "{first}"
    );
    assert!(!first.contains(r#"rel="prev""#), "{first}");
    let second = site.read("page/2/index.html");
    assert!(
        second.contains("Post 3</a></li><li><a href=\"/posts/post-2/\">Post 2"),
        "{second}"
    );
    assert!(second.contains(r#"<a rel="prev" href="/">"#), "{second}");
    assert!(
        second.contains(r#"<a rel="next" href="/page/3/">"#),
        "{second}"
    );
    let last = site.read("page/3/index.html");
    assert!(
        last.contains("<ol><li><a href=\"/posts/post-1/\">Post 1</a></li></ol>"),
        "{last}"
    );
    assert!(last.contains("page 3 of 3 at /page/3/"), "{last}");
    assert!(!site.exists("page/4/index.html"));
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("https://paged.example/page/3/"),
        "{sitemap}"
    );
}

#[test]
fn one_page_per_tag_over_collections_as_eleventy_tag_pages_do() {
    let tag_page = r#"---
title: Tagged
layout: base
eleventyExcludeFromCollections: true
pagination:
  data: collections
  size: 1
  alias: tag
  filter: [all, post]
permalink: "/tags/{{ tag | slug }}/"
---
<h1>{{ tag }}</h1><ul>{% for p in collections[tag] %}<li>{{ p.title }}</li>{% endfor %}</ul>
"#;
    let site = site_with_posts(3, &[("content/tag-pages.html", tag_page)]);
    site.build();
    let odd = site.read("tags/odd/index.html");
    assert!(
        odd.contains("<h1>odd</h1><ul><li>Post 1</li><li>Post 3</li></ul>"),
        "{odd}"
    );
    let even = site.read("tags/even/index.html");
    assert!(
        even.contains("<h1>even</h1><ul><li>Post 2</li></ul>"),
        "{even}"
    );
    assert!(!site.exists("tags/all/index.html"));
    assert!(!site.exists("tags/post/index.html"));
}

#[test]
fn a_list_from_data_is_paged_at_numbered_urls_without_a_permalink_template() {
    let people = r#"---
title: People
layout: base
pagination: {data: data.people.names, size: 2}
---
{% for name in pagination.items %}<b>{{ name }}</b>{% endfor %}
"#;
    let site = site_with_posts(
        0,
        &[
            ("data/people.yaml", "names: [Ada, Grace, Edsger]\n"),
            ("content/people.html", people),
        ],
    );
    site.build();
    let first = site.read("people/index.html");
    assert!(first.contains("<b>Ada</b><b>Grace</b>"), "{first}");
    let second = site.read("people/1/index.html");
    assert!(second.contains("<b>Edsger</b>"), "{second}");
}

#[test]
fn pagination_over_data_that_does_not_exist_names_the_line() {
    let page = "---\ntitle: People\nlayout: base\npagination:\n  data: data.nobody\n---\nx\n";
    let site = site_with_posts(0, &[("content/people.html", page)]);
    let run = site.run(&["build"]);
    run.fails_with(1, "content/people.html:4");
    assert!(
        run.stderr
            .contains("pagination data `data.nobody` is not defined"),
        "{}",
        run.stderr
    );
}

#[test]
fn two_chunks_at_one_url_are_an_error_naming_the_page() {
    let page = "---\ntitle: Same\nlayout: base\npagination: {data: collections.post, size: 1}\npermalink: \"/same/{{ title | slug }}/\"\n---\nx\n";
    let site = site_with_posts(2, &[("content/same.html", page)]);
    site.run(&["build"])
        .fails_with(1, "two pages have the URL `/same/same/`");
}

const TAG_LAYOUT: &str = r#"<h1>{{ tag.name }} ({{ tag.pages | length }})</h1><ol>{% for p in pagination.items %}<li>{{ p.title }}</li>{% endfor %}</ol>
<p>{{ page.url }}{% if pagination.href.next %} next {{ pagination.href.next }}{% endif %}</p>
"#;

#[test]
fn tag_pages_are_paged_newest_first_when_site_yaml_says_how_many() {
    let site = site_with_posts(5, &[("layouts/tag.html", TAG_LAYOUT)]);
    site.write(
        "site.yaml",
        "title: Paged\nbase_url: https://paged.example/\ntag_page_size: 2\n",
    );
    site.build();
    let first = site.read("tags/post/index.html");
    assert!(
        first.contains("<h1>post (5)</h1><ol><li>Post 5</li><li>Post 4</li></ol>"),
        "{first}"
    );
    assert!(
        first.contains("/tags/post/ next /tags/post/page/2/"),
        "{first}"
    );
    let last = site.read("tags/post/page/3/index.html");
    assert!(last.contains("<ol><li>Post 1</li></ol>"), "{last}");
    assert!(last.contains("<p>/tags/post/page/3/</p>"), "{last}");
    // A tag with no more posts than a page holds has one page.
    let odd = site.read("tags/odd/index.html");
    assert!(odd.contains("<li>Post 5</li><li>Post 3</li></ol>"), "{odd}");
    assert!(site.exists("tags/odd/page/2/index.html"));
    assert!(!site.exists("tags/even/page/2/index.html"));
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("https://paged.example/tags/post/page/3/"),
        "{sitemap}"
    );
}

#[test]
fn without_a_page_size_a_tag_page_lists_every_post() {
    let site = site_with_posts(5, &[("layouts/tag.html", TAG_LAYOUT)]);
    site.build();
    let all = site.read("tags/post/index.html");
    assert!(
        all.contains(
            "<li>Post 5</li><li>Post 4</li><li>Post 3</li><li>Post 2</li><li>Post 1</li></ol>"
        ),
        "{all}"
    );
    assert!(!site.exists("tags/post/page/2/index.html"));
}

#[test]
fn a_global_data_file_can_be_paged_by_its_name_and_an_empty_list_gives_no_page() {
    const PAGE: &str = "---\ntitle: Letter\nlayout: base\npagination:\n  data: letters\n  size: 1\n  alias: letter\npermalink: \"/letters/{{ letter.slug }}/\"\n---\n{% for l in pagination.items %}{{ l.subject }}{% endfor %}\n";
    let site = site_with_posts(
        0,
        &[
            (
                "_data/letters.json",
                r#"[{"slug": "hi", "subject": "Hello"}]"#,
            ),
            ("content/letter.html", PAGE),
        ],
    );
    site.build();
    assert!(site.read("letters/hi/index.html").contains("Hello"));
    // Eleventy makes no page of an empty list; `generatePageOnEmptyData` asks for one.
    site.write("_data/letters.json", "[]");
    let run = site.build();
    assert!(!site.exists("letters/index.html") && !site.exists("letter/index.html"));
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    site.write(
        "content/letter.html",
        PAGE.replace(
            "  alias: letter\n",
            "  alias: letter\n  generatePageOnEmptyData: true\n",
        )
        .replace("/letters/{{ letter.slug }}/", "/letters/"),
    );
    site.build();
    assert!(site.exists("letters/index.html"));
}

#[test]
fn computed_values_reading_the_alias_are_worked_out_for_each_chunk() {
    let page = "---\ntitle: Letter\nlayout: base\npagination:\n  data: data.letters\n  size: 1\n  alias: letter\npermalink: \"/letters/{{ letter.slug }}/\"\neleventyComputed:\n  title: \"Letter: {{ letter.subject }}\"\n  description: \"{{ site_name }}\"\n  permalink: \"/x/{{ letter.slug }}/\"\n  at: \"{{ page.fileSlug }} {{ page.url }} {{ letter.slug }}\"\nsite_name: Mail\n---\n<p>{{ page.title }} / {{ page.description }} / {{ page.data.title }}</p><i>{{ page.data.at }}</i>\n";
    let site = site_with_posts(
        0,
        &[
            (
                "data/letters.json",
                r#"[{"slug": "a", "subject": "Hi"}, {"slug": "b", "subject": "Bye"}]"#,
            ),
            ("content/letter.html", page),
        ],
    );
    let run = site.build();
    assert!(
        site.read("letters/b/index.html")
            .contains("<p>Letter: Bye / Mail / Letter: Bye</p>"),
        "{}",
        site.read("letters/b/index.html")
    );
    assert!(
        site.read("letters/a/index.html")
            .contains("<p>Letter: Hi /")
    );
    // A chunk's values see the page's own variables and the chunk's URL.
    assert!(
        site.read("letters/b/index.html")
            .contains("<i>letter /letters/b/ b</i>"),
        "{}",
        site.read("letters/b/index.html")
    );
    assert!(!run.stderr.contains("did not render"), "{}", run.stderr);
    // A computed permalink per chunk is not worked out: a warning, and `permalink:` stands.
    assert!(
        run.stderr.contains(
            "warning: content/letter.html:9: `eleventyComputed.permalink` reads the chunk"
        ),
        "{}",
        run.stderr
    );
}
