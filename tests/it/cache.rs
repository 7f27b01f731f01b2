//! The warm-build cache in `.breakeven/`: a warm build writes exactly what a clean one does,
//! whatever state the cache is in, and `--no-cache` leaves it alone.

use std::fs;

use crate::harness::{Run, Site};

const CACHE: &str = ".breakeven/markdown.cache";
const POST: &str = "content/blog/posts/2025-04-01-second.md";

/// The output and messages of a `--no-cache` build of the site as it is now, into `clean/`.
fn clean_build(site: &Site) -> (Vec<(String, Vec<u8>)>, String) {
    let out = site.path("clean").to_string_lossy().into_owned();
    let run = site.run(&["build", "--no-cache", "--out", &out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = read_tree(site, "clean");
    fs::remove_dir_all(site.path("clean")).expect("remove clean/");
    (files, run.stderr)
}

fn read_tree(site: &Site, dir: &str) -> Vec<(String, Vec<u8>)> {
    let base = site.path(dir);
    let mut files: Vec<(String, Vec<u8>)> = walk(&base)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&base)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Builds with the cache and checks the output and messages equal a clean build's.
fn warm_build_matches_clean(site: &Site) -> Run {
    let run = site.build();
    let (clean, clean_stderr) = clean_build(site);
    assert!(
        read_tree(site, "public") == clean,
        "a cached build differs from a clean one"
    );
    let warnings = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.contains("build cache"))
            .filter(|l| !l.contains("rebuilt by this build"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(warnings(&run.stderr), warnings(&clean_stderr));
    run
}

#[test]
fn a_second_build_from_the_cache_writes_the_same_site() {
    let site = Site::fixture("blog");
    site.write(
        "content/blog/posts/odd.md",
        "---\ntitle: Odd\ndate: 2025-05-01\n---\n```nosuchlang\nx\n```\n",
    );
    site.build();
    assert!(
        site.path(CACHE).is_file(),
        "the first build writes the cache"
    );
    let written = fs::read(site.path(CACHE)).expect("cache");
    // The warning found while rendering (an unknown code language) is printed again.
    let run = warm_build_matches_clean(&site);
    assert!(
        run.stderr.contains("unknown code language `nosuchlang`"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read(site.path(CACHE)).expect("cache"), written);
}

#[test]
fn an_edited_post_is_rendered_again() {
    let site = Site::fixture("blog");
    site.build();
    let text = fs::read_to_string(site.path(POST)).expect("post");
    site.write(POST, text.replace("Second", "Edited second"));
    warm_build_matches_clean(&site);
    assert!(
        site.read("blog/posts/2025-04-01-second/index.html")
            .contains("Edited second")
    );
}

#[test]
fn a_changed_price_renders_the_figures_again() {
    let site = Site::fixture("figures");
    site.build();
    let before = site.read("costs/index.html");
    let prices = fs::read_to_string(site.path("data/pricing.yaml")).expect("data");
    site.write(
        "data/pricing.yaml",
        prices.replace("usd_per_hour: 0.0416", "usd_per_hour: 0.0832"),
    );
    warm_build_matches_clean(&site);
    assert_ne!(site.read("costs/index.html"), before, "the new price shows");
}

#[test]
fn a_damaged_truncated_or_foreign_cache_is_ignored_with_a_warning() {
    let site = Site::fixture("blog");
    site.build();
    let good = fs::read(site.path(CACHE)).expect("cache");
    let mut flipped = good.clone();
    // Inside the payload, so the file still looks like a cache: only the checksum tells.
    let middle = good.len() / 2;
    flipped[middle] ^= 0x01;
    let damaged = [
        (flipped, "checksum does not match"),
        (good[..good.len() / 2].to_vec(), "truncated"),
        (b"not a cache at all".to_vec(), "not a breakeven cache file"),
    ];
    for (bytes, why) in damaged {
        fs::write(site.path(CACHE), &bytes).expect("damage the cache");
        let run = warm_build_matches_clean(&site);
        assert!(
            run.stderr
                .contains(&format!("warning: {CACHE}: ignoring the build cache: ")),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{why}: {}", run.stderr);
        // The build wrote a good cache again.
        assert_eq!(fs::read(site.path(CACHE)).expect("cache"), good);
    }
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let site = Site::fixture("blog");
    let run = site.run(&["build", "--no-cache"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path(".breakeven").exists());
    site.write(CACHE, "damaged");
    let run = site.run(&["build", "--no-cache"]);
    assert!(!run.stderr.contains("build cache"), "{}", run.stderr);
    assert_eq!(fs::read(site.path(CACHE)).expect("cache"), b"damaged");
}

#[test]
fn the_cache_keeps_only_the_pages_of_the_last_build() {
    let site = Site::fixture("blog");
    site.build();
    let text = fs::read_to_string(site.path(POST)).expect("post");
    let mut sizes = Vec::new();
    for i in 0..4 {
        site.write(POST, format!("{text}\nEdit number {i}.\n"));
        site.build();
        sizes.push(fs::metadata(site.path(CACHE)).expect("cache").len());
    }
    // Each edit replaces the post's entry: the file does not grow.
    assert!(sizes.windows(2).all(|w| w[0] == w[1]), "{sizes:?}");
    fs::remove_file(site.path(POST)).expect("delete the post");
    site.build();
    assert!(fs::metadata(site.path(CACHE)).expect("cache").len() < sizes[0]);
}

/// A page linking to another's source file shows that page's URL, which the cache cannot know
/// has moved: such pages are rendered again on every build.
#[test]
fn a_link_to_a_moved_page_follows_it_in_a_warm_build() {
    let site = Site::fixture("blog");
    site.write(
        "content/links.md",
        "---\ntitle: Links\n---\nSee [the second post](blog/posts/2025-04-01-second.md).\n",
    );
    site.build();
    let text = fs::read_to_string(site.path(POST)).expect("post");
    site.write(POST, text.replacen("---\n", "---\npermalink: /moved/\n", 1));
    warm_build_matches_clean(&site);
    assert!(
        site.read("links/index.html")
            .contains(r#"<a href="/moved/">the second post</a>"#)
    );
}
