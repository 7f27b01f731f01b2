//! Hostile and clumsy inputs, faults and interruptions (issue 10): one test per case, named
//! after what broke. Each asserts what a user sees: the files left, the message, the exit code.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::harness::Site;
use crate::serve::Server;

/// The names directly inside `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn out_replaced_an_unrelated_folder() {
    let site = Site::fixture("blog");
    let other = tempfile::tempdir().expect("temp dir");
    fs::write(other.path().join("keep.txt"), "mine").expect("write");
    let out = other.path().to_str().expect("utf-8").to_string();
    let run = site.run(&["build", "--out", &out]);
    run.fails_with(2, "is not empty and was not written by breakeven");
    run.fails_with(2, "pass `--force` to replace it");
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert_eq!(names(other.path()), ["keep.txt"]);
    // With --force it is replaced and marked; the next build needs no --force.
    let run = site.run(&["build", "--out", &out, "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(other.path().join("index.html").is_file());
    assert!(other.path().join(".breakeven-output").is_file());
    assert!(!other.path().join("keep.txt").exists());
    let run = site.run(&["build", "--out", &out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn out_replaced_the_projects_src_folder() {
    let site = Site::fixture("blog");
    site.write("src/main.rs", "fn main() {}\n");
    let out = site.path("src");
    let run = site.run(&["build", "--out", out.to_str().expect("utf-8")]);
    run.fails_with(2, "refusing to write to `<root>/src`");
    assert_eq!(names(&out), ["main.rs"]);
    // An empty or new folder needs no --force.
    let fresh = site.path("fresh/out");
    let run = site.run(&["build", "--out", fresh.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fresh.join("index.html").is_file());
}

#[test]
fn out_turned_a_regular_file_into_a_folder() {
    let site = Site::fixture("blog");
    let before = fs::read(site.path("site.yaml")).expect("read");
    for force in [false, true] {
        let mut args = vec!["build", "--out", "site.yaml"];
        if force {
            args.push("--force");
        }
        let out = site.path("site.yaml");
        args[2] = out.to_str().expect("utf-8");
        let run = site.run(&args);
        run.fails_with(2, "refusing to write to `<root>/site.yaml`: it is a file");
        assert_eq!(fs::read(site.path("site.yaml")).expect("read"), before);
    }
}

/// A file and a folder outside the site, for links to point at.
fn secrets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("passwd"), "root:x:0:0").expect("write");
    fs::create_dir(dir.path().join("ssh")).expect("mkdir");
    fs::write(dir.path().join("ssh/id_rsa"), "PRIVATE KEY").expect("write");
    dir
}

#[test]
fn symlink_out_of_the_site_was_published() {
    let site = Site::fixture("blog");
    let outside = secrets();
    std::os::unix::fs::symlink(outside.path().join("passwd"), site.path("static/passwd.txt"))
        .expect("link");
    std::os::unix::fs::symlink(outside.path().join("ssh"), site.path("content/keys"))
        .expect("link");
    // A link that stays inside the site keeps working.
    std::os::unix::fs::symlink("css/site.css", site.path("static/alias.css")).expect("link");
    let run = site.run(&["build"]);
    let target = outside.path().join("passwd");
    run.fails_with(
        1,
        &format!(
            "error: static/passwd.txt: this symbolic link points outside the site's folder, to `{}`",
            target.display()
        ),
    );
    run.fails_with(1, "error: content/keys: this symbolic link points outside");
    assert!(!site.path("public").exists());
    fs::remove_file(site.path("static/passwd.txt")).expect("unlink");
    fs::remove_file(site.path("content/keys")).expect("unlink");
    site.build();
    assert_eq!(site.read("alias.css"), site.read("css/site.css"));
}

#[test]
fn interrupted_builds_left_staging_folders() {
    let site = Site::fixture("blog");
    site.build();
    let clean = site.output();
    let listing = names(site.root());
    for point in ["staging", "write", "before-swap", "after-swap"] {
        let status = Command::new(env!("CARGO_BIN_EXE_breakeven"))
            .arg("--root")
            .arg(site.root())
            .arg("build")
            .env("BREAKEVEN_FAILPOINT", point)
            .stderr(std::process::Stdio::null())
            .status()
            .expect("run");
        assert!(!status.success(), "the build stopped at `{point}`");
        assert!(site.path("public/index.html").is_file(), "{point}: output gone");
        site.build();
        assert_eq!(names(site.root()), listing, "after a stop at `{point}`");
        assert!(site.output() == clean, "after a stop at `{point}`");
    }
}

#[test]
fn killed_builds_left_staging_folders() {
    let site = Site::fixture("blog");
    site.build();
    let clean = site.output();
    let listing = names(site.root());
    // Kills land wherever the build has got to: starting, rendering, writing, swapping.
    for delay_ms in [0, 2, 5, 10, 20, 40, 80] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_breakeven"))
            .arg("--root")
            .arg(site.root())
            .arg("build")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("run");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert!(site.path("public/index.html").is_file(), "output gone");
    }
    site.build();
    assert_eq!(names(site.root()), listing);
    assert!(site.output() == clean);
}

#[test]
fn swap_stopped_between_renames_left_no_output() {
    let site = Site::fixture("blog");
    site.build();
    let clean = site.output();
    // Where the system cannot exchange two folders, a stop between the two renames leaves the
    // previous output set aside under its staging name. No process has this id (Linux's
    // largest is 2^22).
    let set_aside = site.path(".public.staging-4194999.old");
    fs::rename(site.path("public"), &set_aside).expect("rename");
    // Even a build that fails puts the previous output back first.
    site.write("content/bad.md", "---\ntitle: [\n---\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!set_aside.exists());
    assert!(site.output() == clean);
}

#[test]
fn symlink_out_of_the_site_was_served() {
    let site = Site::fixture("blog");
    let outside = secrets();
    let server = Server::start(&site);
    std::os::unix::fs::symlink(outside.path().join("passwd"), site.path("static/passwd.txt"))
        .expect("link");
    let page = server.wait_for("/about/", |b| b.contains("symbolic link points outside"));
    assert!(page.contains("static/passwd.txt"), "{page}");
    let (status, body) = server.get("/passwd.txt");
    assert_ne!(status, 200);
    assert!(!body.contains("root:x:0:0"));
}

#[test]
fn heading_id_escaped_in_id_but_not_in_its_anchor_link() {
    let site = Site::fixture("blog");
    site.write(
        "content/x.md",
        "---\ntitle: X\nlayout: base\n---\n## One {#x\"onmouseover=\"alert(1)}\n",
    );
    site.build();
    let page = site.read("x/index.html");
    assert!(!page.contains("\"onmouseover"), "{page}");
    assert!(
        page.contains("href=\"#x&quot;onmouseover=&quot;alert(1)\""),
        "{page}"
    );
}

#[test]
fn file_names_with_spaces_gave_unencoded_urls() {
    let site = Site::fixture("blog");
    site.write(
        "content/blog/posts/my post?#100%.md",
        "---\ntitle: Odd name\ndate: 2025-05-01\n---\nText.\n",
    );
    site.build();
    assert!(site.exists("blog/posts/my post?#100%/index.html"));
    let url = "https://fixture.example/blog/posts/my%20post%3F%23100%25/";
    assert!(site.read("feed.xml").contains(&format!("<id>{url}</id>")));
    assert!(site.read("sitemap.xml").contains(&format!("<loc>{url}</loc>")));
    assert!(
        site.read("index.html")
            .contains("/blog/posts/my%20post%3F%23100%25/"),
        "{}",
        site.read("index.html")
    );
    // Every link to it resolves.
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn check_misread_entities_in_hrefs() {
    let site = Site::fixture("blog");
    site.write(
        "content/odd.md",
        "---\ntitle: Odd\nlayout: base\npermalink: /a<b/it's/\n---\nHere.\n",
    );
    site.write(
        "content/links.md",
        "---\ntitle: Links\nlayout: base\n---\n<a href=\"/a&lt;b/it&#39;s/\">odd</a> <a href=\"/a%3Cb/it&apos;s/\">again</a>\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A link that does not resolve is still reported, decoded.
    site.write(
        "content/links.md",
        "---\ntitle: Links\nlayout: base\n---\n<a href=\"/a&lt;c/\">odd</a>\n",
    );
    site.run(&["check"]).fails_with(1, "broken link `/a<c/`");
}

#[test]
fn tag_named_all_linked_to_a_page_never_generated() {
    let site = Site::fixture("blog");
    site.write(
        "content/x.md",
        "---\ntitle: X\nlayout: base\ntags: [news, all]\n---\n",
    );
    site.run(&["build"])
        .fails_with(1, "error: content/x.md:4: `all` cannot be a tag");
}

#[test]
fn control_characters_made_the_feed_ill_formed() {
    let site = Site::fixture("blog");
    site.write(
        "content/blog/posts/ansi.md",
        "---\ntitle: \"Bell \\a and NUL \\0 in a title\"\ndate: 2025-06-01\ndescription: \"\\x01\"\n---\nA raw \u{1}byte.\n\n```bash\n\u{1b}[31mred\u{1b}[0m\n```\n",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("warning: content/blog/posts/ansi.md:6: control character U+0001"),
        "{}",
        run.stderr
    );
    for file in ["feed.xml", "sitemap.xml"] {
        let xml = site.read(file);
        if let Err(e) = roxmltree::Document::parse(&xml) {
            panic!("{file} is not well-formed: {e}\n{xml}");
        }
    }
    let feed = site.read("feed.xml");
    assert!(feed.contains("<title>Bell  and NUL  in a title</title>"), "{feed}");
    assert!(feed.contains("[31mred"), "{feed}");
    let page = site.read("blog/posts/ansi/index.html");
    assert!(!page.contains(|c: char| c.is_control() && !"\n\t\r".contains(c)), "{page}");
}
