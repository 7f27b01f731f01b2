use std::collections::HashMap;

use super::*;

/// Each page's use, in the order of `shape.pages`.
fn lookup<'u>(shape: &Shape, uses: &'u HashMap<Source, SiteUse>) -> Vec<Option<&'u SiteUse>> {
    shape.pages.iter().map(|(p, _)| uses.get(p)).collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn scan_finds_listings_neighbours_and_pulls() {
    let s = scan(
        r#"{% extends "layouts/base.html" %}{% include 'partials/nav.html' %}
        <p>tags and data in prose are not code</p>
        {% for p in collections.post | reverse %}{{ p.title }}{% endfor %}
        {% set prev = collections.post | previous_item(url=page.url) %}
        {{ collections["interview-series"] | length }}
        {% for t in page.tags %}{{ t }}{% endfor %}"#,
    );
    assert_eq!(s.pulls, set(&["layouts/base.html", "partials/nav.html"]));
    assert_eq!(s.uses.collections, set(&["post", "interview-series"]));
    assert_eq!(s.uses.neighbours, set(&["post"]));
    assert!(!s.uses.tags && !s.uses.data && !s.uses.every_collection);
}

/// The blog's post layout guards its neighbour links with `is defined`: that asks whether the
/// tag exists, not what the collection holds, so a post edit does not re-render every post.
#[test]
fn an_existence_test_reads_the_tags_not_the_collection() {
    let s = scan(
        r#"{% if collections.post is defined %}
        {% set older = collections.post | previous_item(url=page.url) %}{% endif %}
        {% if collections.all is defined %}{% endif %}"#,
    );
    assert_eq!(s.uses.neighbours, set(&["post"]));
    assert_eq!(s.uses.collections, set(&["all"]));
    assert!(s.uses.tags);
}

#[test]
fn strings_in_code_count_as_fields_and_not_as_variables() {
    let s = scan(
        r#"{% for p in collections.post | sort(attribute="data.order") %}{{ p.url }}{% endfor %}
        {{ get(key="guest") }}{{ p["title"] }}{{ "tags and data" }}"#,
    );
    // `post` comes from `collections.post`, read as an attribute like any other.
    assert_eq!(
        s.uses.fields,
        set(&[
            "data",
            "order",
            "post",
            "url",
            "guest",
            "title",
            "tags and data"
        ])
    );
    assert!(!s.uses.tags && !s.uses.data && !s.uses.every_field);
}

#[test]
fn whole_values_in_unknown_filters_or_map_loops_count_as_every_field() {
    let cases = [
        ("{{ p | json_encode }}", true),
        ("{% for k, v in p %}{{ k }}{% endfor %}", true),
        ("{{ collections.post | sort }}", true),
        (
            "{{ collections.post | group_by(attribute=\"tags\") | length }}",
            false,
        ),
        (
            "{{ p.title | safe }}{{ p.date | date(format=\"%Y\") }}{{ n | pluralize }}",
            false,
        ),
        ("{{ p.tags | join(sep=\", \") | upper }}", false),
        (
            "{% for p in collections.post %}{{ p.title }}{% endfor %}",
            false,
        ),
    ];
    for (template, every) in cases {
        assert_eq!(scan(template).uses.every_field, every, "{template}");
    }
}

#[test]
fn scan_sees_tags_data_and_dynamic_collections() {
    let s = scan("{% for t in tags %}{{ data.prices.source }}{{ collections[name] }}{% endfor %}");
    assert!(s.uses.tags && s.uses.data && s.uses.every_collection);
}

#[test]
fn an_unreadable_include_pulls_in_every_template() {
    let mut scans = BTreeMap::new();
    scans.insert(
        "a.html".to_string(),
        scan(r#"{% include ["b.html", "c.html"] %}"#),
    );
    scans.insert("c.html".to_string(), scan("{{ data.x }}"));
    let closures = closures(&scans);
    assert!(closures["a.html"].1.contains("c.html"));
    assert!(closures["a.html"].0.data);
}

#[test]
fn closures_merge_what_templates_pull_in() {
    let mut scans = BTreeMap::new();
    scans.insert(
        "layouts/blog.html".to_string(),
        scan(r#"{% extends "layouts/base.html" %}"#),
    );
    scans.insert(
        "layouts/base.html".to_string(),
        scan("{% for t in tags %}{% endfor %}"),
    );
    let closures = closures(&scans);
    let (uses, members) = &closures["layouts/blog.html"];
    assert!(uses.tags);
    assert!(members.contains("layouts/base.html"));
}

fn page(url: &str, tags: &[&str]) -> PageShape {
    PageShape {
        url: Some(url.to_string()),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        listed: true,
    }
}

/// Posts a, b, c in `post` (and tag page `post`); `home` lists `post`; each post shows its
/// neighbours.
fn blog(extra_tag_on_b: bool) -> (Shape, HashMap<Source, SiteUse>) {
    let mut shape = Shape::default();
    let b_tags: &[&str] = if extra_tag_on_b {
        &["post", "x"]
    } else {
        &["post"]
    };
    for (name, tags) in [("a", &["post"][..]), ("b", b_tags), ("c", &["post"][..])] {
        shape
            .pages
            .push((Source::from(name), page(&format!("/{name}/"), tags)));
    }
    for (name, url) in [("home", "/"), ("about", "/about/")] {
        let unlisted = PageShape {
            url: Some(url.into()),
            tags: vec![],
            listed: false,
        };
        shape.pages.push((Source::from(name), unlisted));
    }
    let posts: Vec<Source> = ["a", "b", "c"].into_iter().map(Source::from).collect();
    shape.collections.insert("post".into(), posts.clone());
    shape.tags.insert("post".into(), posts);
    if extra_tag_on_b {
        shape
            .collections
            .insert("x".into(), vec![Source::from("b")]);
        shape.tags.insert("x".into(), vec![Source::from("b")]);
    }
    let mut uses = HashMap::new();
    let post_use = SiteUse {
        neighbours: set(&["post"]),
        ..SiteUse::default()
    };
    for name in ["a", "b", "c"] {
        uses.insert(Source::from(name), post_use.clone());
    }
    uses.insert(
        Source::from("home"),
        SiteUse {
            collections: set(&["post"]),
            ..SiteUse::default()
        },
    );
    uses.insert(Source::from("about"), SiteUse::default());
    (shape, uses)
}

fn structural() -> Edit {
    Edit {
        structural: true,
        fields: BTreeSet::new(),
    }
}

#[test]
fn a_body_edit_skips_listings_that_do_not_show_the_body() {
    let (shape, mut uses) = blog(false);
    let home = SiteUse {
        collections: set(&["post"]),
        fields: set(&["title", "url"]),
        ..SiteUse::default()
    };
    uses.insert(Source::from("home"), home);
    let changed = [Source::from("a")].into_iter().collect();
    let body = Edit {
        structural: false,
        fields: set(&["content", "word_count"]),
    };
    let plan = plan(
        &shape,
        &shape,
        &changed,
        &lookup(&shape, &uses),
        &SiteUse::default(),
        &body,
    );
    let pages: Vec<&str> = plan.pages.iter().map(|p| &**p).collect();
    assert_eq!(pages, ["a"]);
    assert!(plan.tags.is_empty());
    let title = Edit {
        structural: false,
        fields: set(&["title"]),
    };
    let plan = super::plan(
        &shape,
        &shape,
        &changed,
        &lookup(&shape, &uses),
        &SiteUse::default(),
        &title,
    );
    assert!(plan.pages.contains("home"));
}

#[test]
fn a_post_edit_renders_the_post_its_neighbours_and_listings_only() {
    let (shape, uses) = blog(false);
    let changed = [Source::from("a")].into_iter().collect();
    let set = plan(
        &shape,
        &shape,
        &changed,
        &lookup(&shape, &uses),
        &SiteUse::default(),
        &structural(),
    );
    let pages: Vec<&str> = set.pages.iter().map(|p| &**p).collect();
    assert_eq!(pages, ["a", "b", "home"]);
    assert_eq!(set.tags, self::set(&["post"]));
}

#[test]
fn a_new_tag_renders_its_tag_page_and_pages_that_list_tags() {
    let (old, mut uses) = blog(false);
    let (new, _) = blog(true);
    uses.insert(
        Source::from("about"),
        SiteUse {
            tags: true,
            ..SiteUse::default()
        },
    );
    let changed = [Source::from("b")].into_iter().collect();
    let set = plan(
        &old,
        &new,
        &changed,
        &lookup(&new, &uses),
        &SiteUse::default(),
        &structural(),
    );
    assert!(set.pages.contains(&Source::from("about")));
    assert!(set.tags.contains("x"));
}

#[test]
fn an_unlisted_page_edit_renders_only_itself() {
    let (shape, uses) = blog(false);
    let changed = [Source::from("about")].into_iter().collect();
    let set = plan(
        &shape,
        &shape,
        &changed,
        &lookup(&shape, &uses),
        &SiteUse::default(),
        &structural(),
    );
    assert_eq!(set.pages.len(), 1);
    assert!(set.tags.is_empty());
}
