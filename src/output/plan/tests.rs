use super::*;

fn page(source: &str) -> Origin {
    Origin::Page {
        source: PathBuf::from(source),
        chunk: 0,
    }
}

fn tag(slug: &str) -> Origin {
    Origin::Tag {
        slug: slug.into(),
        chunk: 0,
    }
}

fn file(rel: &str) -> Origin {
    Origin::Static(PathBuf::from(rel))
}

fn claims(items: &[(&str, Origin)]) -> impl Iterator<Item = (String, Origin)> {
    items
        .iter()
        .map(|(p, o)| (p.to_string(), o.clone()))
        .collect::<Vec<_>>()
        .into_iter()
}

fn messages(problems: &[Diagnostic]) -> Vec<&str> {
    problems.iter().map(|d| d.message.as_str()).collect()
}

#[test]
fn a_file_where_a_folder_is_needed_names_both() {
    let (_, problems) = decide(claims(&[
        ("about", page("content/about.md")),
        ("about/team/index.html", page("content/team.md")),
        ("css", page("content/css.md")),
        ("css/site.css", file("static/css/site.css")),
        ("about-us/index.html", page("content/us.md")),
    ]));
    assert_eq!(
        messages(&problems),
        [
            "content/about.md is published as the file `/about`, but content/team.md needs `/about/` as a folder",
            "content/css.md is published as the file `/css`, but static/css/site.css needs `/css/` as a folder",
        ]
    );
}

#[test]
fn nested_folders_alone_do_not_clash() {
    let (plan, problems) = decide(claims(&[
        ("a/index.html", page("content/a.md")),
        ("a/b/index.html", page("content/a/b.md")),
    ]));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(plan.len(), 2 + Generated::ALL.len());
}

#[test]
fn the_first_claim_keeps_a_path_and_later_ones_are_errors_naming_both() {
    let (plan, problems) = decide(claims(&[
        ("a/index.html", page("content/a.md")),
        ("tags/a/index.html", tag("a")),
        ("tags/a/index.html", file("static/tags/a/index.html")),
        ("a/index.html", file("static/a/index.html")),
    ]));
    assert_eq!(plan["a/index.html"], page("content/a.md"));
    assert_eq!(plan["tags/a/index.html"], tag("a"));
    assert_eq!(
        messages(&problems),
        [
            "`/a/index.html` is written by both content/a.md and static/a/index.html",
            "`/tags/a/index.html` is written by both the page of tag `a` (layouts/tag.html) and static/tags/a/index.html",
        ]
    );
    assert!(
        problems
            .iter()
            .all(|d| d.file.as_deref().is_some_and(|f| f.starts_with("static")))
    );
}

#[test]
fn generated_files_give_way_to_the_sites_own() {
    let (plan, problems) = decide(claims(&[
        ("feed.xml", page("content/feed.md")),
        ("css/highlight.css", file("static/css/highlight.css")),
    ]));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(plan["feed.xml"], page("content/feed.md"));
    assert_eq!(plan["css/highlight.css"], file("static/css/highlight.css"));
    assert_eq!(plan["sitemap.xml"], Origin::Generated(Generated::Sitemap));
}

#[test]
fn static_files_publish_without_their_input_folder() {
    assert_eq!(
        static_output_path(Path::new("static/css/site.css")),
        "css/site.css"
    );
    assert_eq!(
        static_output_path(Path::new("content/blog/cat.png")),
        "blog/cat.png"
    );
}

/// Each row: the old plan, what went stale, and the paths of the new plan to produce.
#[test]
fn only_new_moved_and_stale_files_are_produced() {
    let (new, _) = decide(claims(&[
        ("a/index.html", page("content/a.md")),
        ("b/index.html", page("content/b.md")),
        ("c/index.html", page("content/c.md")),
        ("tags/x/index.html", tag("x")),
        ("site.css", file("static/site.css")),
    ]));
    let (old_plan, _) = decide(claims(&[
        ("a/index.html", page("content/a.md")),
        // b moved here from another URL; c is new.
        ("b-old/index.html", page("content/b.md")),
        ("tags/x/index.html", tag("x")),
        ("site.css", file("static/site.css")),
    ]));
    let old = |p: &str| old_plan.get(p);
    let produced = |stale: &Stale| -> Vec<&str> {
        to_produce(old, &new, stale)
            .into_iter()
            .map(|(p, _)| p.as_str())
            .collect()
    };
    assert_eq!(
        produced(&Stale::default()),
        ["b/index.html", "c/index.html"]
    );
    let stale = Stale {
        pages: [PathBuf::from("content/a.md")].into(),
        chunks: BTreeSet::new(),
        tags: ["x".to_string()].into(),
        tag_chunks: BTreeSet::new(),
        statics: [PathBuf::from("static/site.css")].into(),
        generated: [Generated::Feed].into(),
    };
    assert_eq!(
        produced(&stale),
        [
            "a/index.html",
            "b/index.html",
            "c/index.html",
            "feed.xml",
            "site.css",
            "tags/x/index.html"
        ]
    );
}

/// A plan kept from the last build: looking up the stale files by owner gives what comparing
/// every planned file with the last build gives.
#[test]
fn stale_files_of_a_kept_plan_are_looked_up_by_owner() {
    let chunk = |source: &str, chunk| Origin::Page {
        source: PathBuf::from(source),
        chunk,
    };
    let (plan, _) = decide(claims(&[
        ("a/index.html", page("content/a.md")),
        ("list/index.html", chunk("content/list.html", 0)),
        ("list/2/index.html", chunk("content/list.html", 1)),
        ("list/3/index.html", chunk("content/list.html", 2)),
        ("tags/x/index.html", tag("x")),
        ("site.css", file("static/site.css")),
    ]));
    let index = ByOrigin::new(&plan);
    let rows = [
        Stale::default(),
        Stale {
            pages: [PathBuf::from("content/a.md")].into(),
            chunks: [(PathBuf::from("content/list.html"), 1)].into(),
            generated: [Generated::Sitemap].into(),
            ..Stale::default()
        },
        Stale {
            pages: [PathBuf::from("content/list.html"), "content/gone.md".into()].into(),
            chunks: [(PathBuf::from("content/list.html"), 2)].into(),
            tags: ["x".to_string()].into(),
            tag_chunks: [("x".to_string(), 0)].into(),
            statics: [PathBuf::from("static/site.css")].into(),
            generated: [Generated::Feed].into(),
        },
    ];
    for stale in rows {
        assert_eq!(
            index.stale_files(&plan, &stale),
            to_produce(|p| plan.get(p), &plan, &stale),
            "{stale:?}"
        );
    }
}
