//! Eleventy's `.eleventyignore`: the files it names are not pages, data or published files.

use crate::harness::Site;

#[test]
fn files_named_in_eleventyignore_are_not_published() {
    let site = Site::blank();
    site.write(
        "site.yaml",
        "title: Kept\nbase_url: https://kept.example/\n",
    );
    site.write("layouts/base.html", "<main>{{ content | safe }}</main>\n");
    let page = |title: &str| format!("---\ntitle: {title}\nlayout: base\n---\nAbout {title}.\n");
    site.write("content/README.md", page("Readme"));
    site.write("content/LICENSE", "All rights kept.\n");
    site.write("content/docs/README.md", page("Docs readme"));
    site.write("content/drafts/idea.md", page("Idea"));
    site.write("content/notes/half.wip.md", page("Half"));
    site.write("content/notes/whole.md", page("Whole"));
    site.write("content/private/diary.md", page("Diary"));
    // Lines of `content/.eleventyignore` are relative to `content/`, as Eleventy reads the file
    // in its input folder; the root's are relative to the root.
    site.write(
        "content/.eleventyignore",
        "# not for the site\nREADME.md\nLICENSE\ndrafts\nnotes/*.wip.md\n",
    );
    site.write(".eleventyignore", "./content/private/**\n");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Checked over every file written, whatever URL the page would have had.
    for (path, bytes) in site.output() {
        let text = String::from_utf8_lossy(&bytes);
        for gone in [
            "About Readme.",
            "All rights kept.",
            "About Idea.",
            "About Half.",
            "About Diary.",
        ] {
            assert!(!text.contains(gone), "{path} holds {gone}");
        }
    }
    assert!(site.read("notes/whole/index.html").contains("About Whole."));
    // A line names a path from its file's folder, not a file name anywhere.
    assert!(
        site.read("docs/README/index.html")
            .contains("About Docs readme.")
    );
    assert!(!run.stderr.contains("README.md:1"), "{}", run.stderr);
}
