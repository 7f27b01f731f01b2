//! Hostile and clumsy inputs, faults and interruptions (issue 10): one test per case, named
//! after what broke. Each asserts what a user sees: the files left, the message, the exit code.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::harness::{Site, copy_dir};
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
    std::os::unix::fs::symlink(
        outside.path().join("passwd"),
        site.path("static/passwd.txt"),
    )
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
        assert!(
            site.path("public/index.html").is_file(),
            "{point}: output gone"
        );
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
    std::os::unix::fs::symlink(
        outside.path().join("passwd"),
        site.path("static/passwd.txt"),
    )
    .expect("link");
    let page = server.wait_for("/about/", |b| b.contains("symbolic link points outside"));
    assert!(page.contains("static/passwd.txt"), "{page}");
    let (status, body) = server.get("/passwd.txt");
    assert_ne!(status, 200);
    assert!(!body.contains("root:x:0:0"));
    // A link already there when serve starts is refused the same way.
    drop(server);
    let server = Server::start(&site);
    let page = server.wait_for("/about/", |b| b.contains("symbolic link points outside"));
    assert!(page.contains("static/passwd.txt"), "{page}");
    assert!(!server.get("/passwd.txt").1.contains("root:x:0:0"));
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
    assert!(
        site.read("sitemap.xml")
            .contains(&format!("<loc>{url}</loc>"))
    );
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
        run.stderr
            .contains("warning: content/blog/posts/ansi.md:6: control character U+0001"),
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
    assert!(
        feed.contains("<title>Bell  and NUL  in a title</title>"),
        "{feed}"
    );
    assert!(feed.contains("[31mred"), "{feed}");
    let page = site.read("blog/posts/ansi/index.html");
    assert!(
        !page.contains(|c: char| c.is_control() && !"\n\t\r".contains(c)),
        "{page}"
    );
}

#[test]
fn long_line_highlighting_stalled_the_build() {
    let site = Site::fixture("blog");
    // One line of 80 KB JSON took 83 s to highlight as YAML.
    let json = format!(
        "[{}]",
        vec!["{\"key\": [1, 2, {\"x\": \"y\"}]}"; 3000].join(", ")
    );
    site.write(
        "content/x.md",
        format!("---\ntitle: X\nlayout: base\n---\nData:\n\n```yaml\n{json}\n```\n"),
    );
    let run = site.build();
    assert!(
        run.stderr.contains(
            "warning: content/x.md:7:1: line 1 of this `yaml` block is longer than 2000 bytes; the block is shown without highlighting"
        ),
        "{}",
        run.stderr
    );
    let page = site.read("x/index.html");
    assert!(
        page.contains(
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"yaml\"><code>[{&quot;key&quot;"
        )
    );
    assert!(!page.contains("hl-"), "the block is plain");
    // Long runs of `(` in bash and `/*` in ruby behaved alike.
    site.write(
        "content/x.md",
        format!(
            "---\ntitle: X\nlayout: base\n---\n```bash\n{}\n```\n\n```ruby\n{}\n```\n",
            "(".repeat(20_000),
            "/*".repeat(10_000)
        ),
    );
    let run = site.build();
    assert!(
        run.stderr
            .contains("warning: content/x.md:5:1: line 1 of this `bash` block")
    );
    assert!(
        run.stderr
            .contains("warning: content/x.md:9:1: line 1 of this `ruby` block")
    );
}

#[test]
fn nested_range_loops_ran_for_minutes() {
    let site = Site::fixture("blog");
    let config = fs::read_to_string(site.path("site.yaml")).expect("read");
    site.write("site.yaml", format!("{config}template_time_limit_s: 0.5\n"));
    site.write(
        "layouts/slow.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
    );
    site.write("content/x.md", "---\ntitle: X\nlayout: slow\n---\n");
    site.run(&["build"]).fails_with(
        1,
        "error: layouts/slow.html: `layouts/slow.html` took longer than 0.5 s to render content/x.md and was stopped",
    );
    // A loop that writes on every turn is stopped as well.
    site.write(
        "layouts/slow.html",
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}.{% endfor %}{% endfor %}",
    );
    site.run(&["build"])
        .fails_with(1, "took longer than 0.5 s to render content/x.md");
}

#[test]
fn deeply_nested_yaml_took_a_minute() {
    let site = Site::fixture("blog");
    let deep = format!("list: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    site.write("data/deep.yaml", &deep);
    site.write("content/x.md", format!("---\ntitle: X\n{deep}---\n"));
    let run = site.run(&["build"]);
    run.fails_with(
        1,
        "error: data/deep.yaml:1:135: YAML nested more than 128 levels deep",
    );
    run.fails_with(
        1,
        "error: content/x.md:3:135: YAML nested more than 128 levels deep",
    );
}

#[test]
fn toml_front_matter_reported_a_missing_title() {
    let site = Site::fixture("blog");
    site.write("content/x.md", "+++\ntitle = \"X\"\n+++\nText\n");
    site.run(&["build"]).fails_with(
        1,
        "error: content/x.md:1:1: TOML front matter (between `+++` lines) is not supported",
    );
}

#[test]
fn byte_order_mark_before_extends_broke_the_layout() {
    let site = Site::fixture("blog");
    let blog = fs::read_to_string(site.path("layouts/blog.html")).expect("read");
    site.write("layouts/blog.html", format!("\u{feff}{blog}"));
    site.build();
    assert!(
        site.read("blog/posts/2025-04-01-second/index.html")
            .contains("<article>")
    );
}

#[test]
fn include_of_an_existing_layout_was_unknown() {
    let site = Site::fixture("blog");
    site.write("layouts/note.html", "<aside>a note</aside>");
    site.write(
        "layouts/page.html",
        "{% extends \"base.html\" %}{% block main %}{% include \"layouts/note.html\" %}{% include \"note.html\" %}{% endblock main %}",
    );
    site.write("content/x.md", "---\ntitle: X\nlayout: page\n---\n");
    site.build();
    assert_eq!(
        site.read("x/index.html")
            .matches("<aside>a note</aside>")
            .count(),
        2
    );
    site.write("layouts/page.html", "{% include \"note\" %}");
    let run = site.run(&["build"]);
    run.fails_with(1, "Unknown template `note`");
    run.fails_with(
        1,
        "help: templates are named by their path: `layouts/b.html`, or `b.html` for short",
    );
}

#[test]
fn permalink_clashing_with_a_folder_gave_an_os_error() {
    let site = Site::fixture("blog");
    site.build();
    let before = site.output();
    site.write(
        "content/x.md",
        "---\ntitle: X\nlayout: base\npermalink: /css\n---\n",
    );
    let message = "error: content/x.md: content/x.md is published as the file `/css`, but static/css/site.css needs `/css/` as a folder";
    site.run(&["build"]).fails_with(1, message);
    assert!(site.output() == before);
    site.run(&["check"]).fails_with(1, message);
    fs::remove_file(site.path("content/x.md")).expect("rm");
    site.write(
        "content/y.md",
        "---\ntitle: Y\nlayout: base\npermalink: /about\n---\n",
    );
    site.run(&["build"]).fails_with(
        1,
        "content/y.md is published as the file `/about`, but content/about.md needs `/about/` as a folder",
    );
}

#[test]
fn full_disk_exited_as_a_site_error() {
    let site = Site::fixture("blog");
    site.build();
    let before = site.output();
    let run = Command::new(env!("CARGO_BIN_EXE_breakeven"))
        .arg("--root")
        .arg(site.root())
        .arg("build")
        .env("BREAKEVEN_FAILPOINT", "disk-full")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        stderr.contains(&format!("into `{}`", site.root().display())),
        "{stderr}"
    );
    assert!(site.output() == before);
    assert_eq!(
        names(site.root())
            .iter()
            .filter(|n| n.starts_with(".public"))
            .count(),
        0
    );
}

#[test]
fn huge_figure_inputs_printed_infinite_costs() {
    let cases = [
        (
            "duration_ms: 1e308\n    memory_mb: 512",
            "`duration_ms` is 1e308, outside the model's range of 0 to 3600000",
        ),
        (
            "duration_ms: 100\n    memory_mb: 1e308",
            "`memory_mb` is 1e308, outside the model's range of 0 to 1048576",
        ),
        (
            "duration_ms: 100\n    memory_mb: 512\n    capacity_per_instance: 1e-308",
            "`capacity_per_instance` is 1e-308, outside the model's range of 0.001 to 1e9",
        ),
        (
            "duration_ms: 100\n    memory_mb: 512\n    hourly_profile: [1.7e308, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
            "`a weight` is 1.7e308, outside the model's range of 0 to 1e9",
        ),
    ];
    for (keys, message) in cases {
        let site = Site::fixture("figures");
        site.write(
            "content/huge.md",
            format!(
                "---\ntitle: Huge\nscenarios:\n  huge:\n    rate_per_second: 10\n    {keys}\n---\nIt costs `=cost huge lambda-x86`.\n"
            ),
        );
        let run = site.run(&["build"]);
        run.fails_with(1, message);
        assert!(
            run.stderr.contains("error: content/huge.md:"),
            "{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("inf") && !run.stderr.contains("NaN"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn huge_rates_list_made_a_496_mb_page() {
    let site = Site::fixture("figures");
    let rates: Vec<String> = (1..=100_000).map(|n| n.to_string()).collect();
    site.write(
        "content/many.md",
        format!(
            "---\ntitle: Many\n---\nText.\n\n```cost-table\nscenario: api\noffers: [lambda-x86]\nrates: [{}]\n```\n",
            rates.join(", ")
        ),
    );
    site.run(&["build"]).fails_with(
        1,
        "error: content/many.md:9: `rates` lists 100000 values; a figure takes at most 100",
    );
}

#[test]
fn serve_stopped_watching_a_recreated_folder() {
    let site = Site::fixture("blog");
    let backup = tempfile::tempdir().expect("temp dir");
    copy_dir(&site.path("content"), backup.path());
    let about = backup.path().join("about.md");
    let text = fs::read_to_string(&about).expect("read");
    fs::write(
        &about,
        text.replace("About this site.", "Restored from the backup."),
    )
    .expect("write");
    // `static/` is created only after the start.
    fs::remove_dir_all(site.path("static")).expect("rm");
    let server = Server::start(&site);
    server.wait_for("/about/", |b| b.contains("About this site."));
    fs::remove_dir_all(site.path("content")).expect("rm");
    copy_dir(backup.path(), &site.path("content"));
    server.wait_for("/about/", |b| b.contains("Restored from the backup."));
    // The new folder is watched: a later edit inside it shows.
    site.write(
        "content/about.md",
        text.replace("About this site.", "Edited afterwards."),
    );
    server.wait_for("/about/", |b| b.contains("Edited afterwards."));
    site.write("static/css/site.css", "body { color: teal; }\n");
    server.wait_for("/css/site.css", |b| b.contains("teal"));
    site.write("static/css/site.css", "body { color: plum; }\n");
    server.wait_for("/css/site.css", |b| b.contains("plum"));
    // The preview now holds what a clean build of the same inputs writes.
    site.build();
    for (path, page) in [
        ("/about/", "about/index.html"),
        ("/css/site.css", "css/site.css"),
    ] {
        let served = server.get(path).1;
        let built = site.read(page);
        // The preview adds its reload script; every line of the built file is there as well.
        assert!(
            built.lines().all(|l| served.contains(l)),
            "{path} differs from a clean build:\n{served}\n---\n{built}"
        );
    }
}
