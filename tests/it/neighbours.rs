//! `previous_item` / `next_item`: neighbours at the ends of a collection, for pages outside it,
//! for pages in several collections, and in lists that are not a site collection.

use crate::harness::Site;

/// Prints, for one page, its neighbours in `x`, `y`, `all` and in `x` reversed (`-` for none).
const LAYOUT: &str = r#"{%- set xp = collections.x | previous_item(url=page.url) -%}
{%- set xn = collections.x | next_item(url=page.url) -%}
{%- set yp = collections.y | previous_item(url=page.url) -%}
{%- set yn = collections.y | next_item(url=page.url) -%}
{%- set ap = collections.all | previous_item(url=page.url) -%}
{%- set an = collections.all | next_item(url=page.url) -%}
{%- set rp = collections.x | reverse | previous_item(url=page.url) -%}
{%- set rn = collections.x | reverse | next_item(url=page.url) -%}
x {% if xp %}{{ xp.url }}{% else %}-{% endif %} {% if xn %}{{ xn.url }}{% else %}-{% endif %}
y {% if yp %}{{ yp.url }}{% else %}-{% endif %} {% if yn %}{{ yn.url }}{% else %}-{% endif %}
all {% if ap %}{{ ap.url }}{% else %}-{% endif %} {% if an %}{{ an.url }}{% else %}-{% endif %}
reversed-x {% if rp %}{{ rp.url }}{% else %}-{% endif %} {% if rn %}{{ rn.url }}{% else %}-{% endif %}
"#;

/// Collections are oldest first: x = [a, b], y = [b, c], all = [about (undated), a, b, c].
fn site() -> Site {
    let site = Site::blank();
    site.write("site.yaml", "title: N\nbase_url: https://n.example/\n");
    site.write("layouts/n.html", LAYOUT);
    let post = |name: &str, date: &str, tags: &str| {
        site.write(
            &format!("content/{name}.md"),
            format!("---\ntitle: {name}\ndate: {date}\ntags: [{tags}]\nlayout: n\n---\nText.\n"),
        );
    };
    post("a", "2025-01-01", "x");
    post("b", "2025-01-02", "x, y");
    post("c", "2025-01-03", "y");
    site.write(
        "content/about.md",
        "---\ntitle: About\nlayout: n\n---\nText.\n",
    );
    site.build();
    site
}

fn neighbours(site: &Site, page: &str) -> Vec<String> {
    site.read(&format!("{page}/index.html"))
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn neighbours_at_the_ends_of_a_collection_are_none() {
    let site = site();
    assert_eq!(
        neighbours(&site, "a"),
        ["x - /b/", "y - -", "all /about/ /b/", "reversed-x /b/ -"]
    );
    assert_eq!(
        neighbours(&site, "c"),
        ["x - -", "y /b/ -", "all /b/ -", "reversed-x - -"]
    );
}

#[test]
fn a_page_in_several_collections_has_neighbours_in_each() {
    let site = site();
    assert_eq!(
        neighbours(&site, "b"),
        ["x /a/ -", "y - /c/", "all /a/ /c/", "reversed-x - /a/"]
    );
}

#[test]
fn a_page_outside_a_collection_has_no_neighbours_in_it() {
    let site = site();
    assert_eq!(
        neighbours(&site, "about"),
        ["x - -", "y - -", "all - /a/", "reversed-x - -"]
    );
}
