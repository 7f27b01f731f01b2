//! One broken input per test: the message names the file and line, the exit code is 1 (2 for
//! usage problems), and the previous output is left exactly as it was.

use crate::harness::{Run, Site};

/// Builds the good fixture, breaks it with `edit`, builds again: returns the failed run after
/// checking that `public/` did not change.
fn break_site(edit: impl FnOnce(&Site)) -> Run {
    let site = Site::fixture("blog");
    site.build();
    let before = site.output();
    edit(&site);
    let run = site.run(&["build"]);
    assert_ne!(run.code, 0, "the broken build succeeded");
    assert!(before == site.output(), "a failed build changed public/");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

#[test]
fn yaml_error_points_at_the_line_that_opens_the_unclosed_list() {
    let run = break_site(|s| {
        s.write(
            "content/blog/posts/bad.md",
            "---\ntitle: Bad\ntags: [a, b\ndate: 2025-01-01\n---\nText\n",
        )
    });
    run.fails_with(
        1,
        "error: content/blog/posts/bad.md:3:7: invalid YAML: the `[` opened here is never closed on this line",
    );
    run.fails_with(1, "help: end the value with a closing `]` on the same line");
}

#[test]
fn unclosed_quote_is_reported_on_its_own_line_not_at_the_fence() {
    let run = break_site(|s| {
        s.write(
            "content/blog/posts/bad.md",
            "---\nlayout: blog\ndate: 2025-01-01\ntitle: \"Unclosed\ntags: [a]\n---\nText\n",
        )
    });
    run.fails_with(
        1,
        "error: content/blog/posts/bad.md:4:8: invalid YAML: the `\"` opened here",
    );
    run.fails_with(1, "4 | title: \"Unclosed\n  |        ^");
}

#[test]
fn every_error_in_one_file_is_reported() {
    let run = break_site(|s| {
        s.write(
            "content/x.md",
            "---\ntitle: X\ndate: 2025-13-45\nlayout: blgo\n---\nCosts `=cost nosuch lambda-x86`.\n",
        )
    });
    run.fails_with(1, "error: content/x.md:3: `date` must be a date");
    run.fails_with(1, "error: content/x.md:4: unknown layout `blgo`");
    run.fails_with(1, "build failed with 3 errors");
}

#[test]
fn colour_only_when_asked_for_or_on_a_terminal() {
    let site = Site::fixture("blog");
    site.write("content/x.md", "---\ntitle: X\nlayout: blgo\n---\n");
    let coloured = site.run_with_env(&["build"], &[("CLICOLOR_FORCE", "1")]);
    assert!(coloured.stderr.contains("\u{1b}["), "{}", coloured.stderr);
    let plain = site.run_with_env(&["build"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!plain.stderr.contains('\u{1b}'), "{}", plain.stderr);
    plain.fails_with(1, "error: content/x.md:3: unknown layout `blgo`");
}

#[test]
fn unknown_layout_lists_the_available_ones() {
    let run = break_site(|s| s.write("content/x.md", "---\ntitle: X\nlayout: blgo\n---\nText\n"));
    run.fails_with(
        1,
        "error: content/x.md:3: unknown layout `blgo` (no file `layouts/blgo.html`)",
    );
    run.fails_with(1, "help: available layouts: base, blog, tag");
}

#[test]
fn two_pages_with_one_url_name_both_files() {
    let run = break_site(|s| {
        s.write(
            "content/copy.md",
            "---\ntitle: Copy\npermalink: /blog/posts/servers-vs-serverless/\n---\n",
        )
    });
    run.fails_with(
        1,
        "two pages have the URL `/blog/posts/servers-vs-serverless/`: content/blog/posts/servers-vs-serverless.md and content/copy.md",
    );
}

#[test]
fn permalink_may_not_leave_the_output_folder() {
    let run = break_site(|s| {
        s.write(
            "content/evil.md",
            "---\ntitle: Evil\npermalink: ../../etc/passwd\n---\n",
        )
    });
    run.fails_with(
        1,
        "error: content/evil.md:3: bad permalink: `../../etc/passwd` leaves the output folder",
    );
}

#[test]
fn template_error_names_template_and_line() {
    let run = break_site(|s| {
        s.write("layouts/tag.html", "{% extends \"layouts/base.html\" %}\n{% block main %}\n{{ tag.name | nosuchfilter }}\n{% endblock main %}\n")
    });
    run.fails_with(1, "error: layouts/tag.html:3:");
    run.fails_with(1, "nosuchfilter");
}

#[test]
fn template_rendering_error_names_template_line_and_page() {
    let run = break_site(|s| {
        s.write(
            "content/page.html",
            "---\ntitle: P\n---\n<p>ok</p>\n{{ page.nope.deeper }}\n",
        )
    });
    run.fails_with(1, "error: content/page.html:5:");
}

#[test]
fn a_layout_failing_on_every_page_prints_one_error() {
    let run = break_site(|s| {
        for i in 0..40 {
            s.write(
                &format!("content/blog/posts/extra-{i:02}.md"),
                format!("---\ntitle: Extra {i}\n---\nText.\n"),
            );
        }
        s.write(
            "layouts/blog.html",
            "{% extends \"layouts/base.html\" %}\n{% block main %}\n{{ page.data.missing.key }}\n{% endblock main %}\n",
        );
    });
    run.fails_with(1, "error: layouts/blog.html:3:");
    // The fixture's two posts and the 40 written here all use layouts/blog.html.
    run.fails_with(
        1,
        "help: while rendering 42 pages: content/blog/posts/2025-04-01-second.md, \
         content/blog/posts/extra-00.md, content/blog/posts/extra-01.md and 39 more",
    );
    assert_eq!(
        run.stderr.matches("layouts/blog.html:3:").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(run.stderr.lines().count() <= 20, "{}", run.stderr);
}

#[test]
fn non_utf8_file_is_named() {
    let run = break_site(|s| {
        s.write(
            "content/latin1.md",
            b"---\ntitle: Caf\xe9\n---\n".as_slice(),
        )
    });
    run.fails_with(
        1,
        "error: content/latin1.md:2: this file is not valid UTF-8",
    );
}

#[test]
fn unterminated_front_matter_is_an_error() {
    let run = break_site(|s| {
        s.write(
            "content/open.md",
            "---\ntitle: Open\n\nText that would be published as YAML\n",
        )
    });
    run.fails_with(
        1,
        "error: content/open.md:1:1: the front matter block opened on line 1 is never closed",
    );
}

#[test]
fn missing_title_is_a_warning_and_the_page_builds() {
    let site = Site::fixture("blog");
    site.write("content/untitled.md", "---\ndate: 2025-01-01\n---\nText\n");
    let run = site.build();
    assert!(
        run.stderr.contains(
            "warning: content/untitled.md:1: no `title` in front matter: `page.title` is empty"
        ),
        "{}",
        run.stderr
    );
    assert!(site.read("untitled/index.html").contains("Text"));
}

#[test]
fn wrong_type_points_at_the_key() {
    let run = break_site(|s| s.write("content/typed.md", "---\ntitle: T\ndraft: maybe\n---\n"));
    run.fails_with(
        1,
        "error: content/typed.md:3: `draft` must be true or false",
    );
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let run = break_site(|s| {
        s.write("content/a.md", "---\ntitle: A\nlayout: nope\n---\n");
        s.write("content/b.md", "---\ntitle: [\n---\n");
    });
    run.fails_with(1, "content/a.md:3");
    run.fails_with(1, "content/b.md:");
    run.fails_with(1, "build failed with 2 errors");
}

#[test]
fn site_yaml_typo_is_an_error() {
    let run = break_site(|s| {
        s.write(
            "site.yaml",
            "title: T\nbase_url: https://x.example\ntitel: oops\n",
        )
    });
    run.fails_with(
        1,
        "error: site.yaml:3:1: invalid YAML: unknown field `titel`",
    );
}

#[test]
fn misspelt_front_matter_key_warns_with_a_suggestion() {
    let site = Site::fixture("blog");
    site.write("content/typo.md", "---\ntitle: T\npermalnk: /t/\n---\n");
    let run = site.build();
    // Piped, so plain: the message, the source line with carets under it, the help.
    assert!(run.stderr.contains("warning: content/typo.md:3: unknown key `permalnk` in front matter\n  |\n3 | permalnk: /t/\n  | ^^^^^^^^^^^^^\n  help: did you mean `permalink`?"), "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "no colour in a pipe");
}

#[test]
fn out_may_not_be_the_site_root_or_a_source_folder() {
    let site = Site::fixture("blog");
    let root = site.root().to_str().expect("utf-8").to_string();
    site.run(&["build", "--out", &root])
        .fails_with(2, "refusing to write to");
    let content = format!("{root}/content/out");
    site.run(&["build", "--out", &content])
        .fails_with(2, "inside the site's `content/` folder");
    assert!(
        site.path("content/blog/posts/servers-vs-serverless.md")
            .is_file()
    );
}

#[test]
fn a_folder_without_site_yaml_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_breakeven"))
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("this is not a breakeven site"));
}
