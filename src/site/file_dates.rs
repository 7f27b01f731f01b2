//! Dates a page takes from its file rather than its front matter: `date: Last Modified` /
//! `Created` from the file's history, and a date at the start of the file name.

#![deny(clippy::indexing_slicing)]

use std::path::Path;

use crate::frontmatter::FileDate;

/// `date: Last Modified` / `Created`: the file's last or first commit when the site is in a git
/// repository, else its modification time (which makes the build depend on the checkout).
pub(super) fn file_date(root: &Path, rel: &Path, which: FileDate) -> Option<jiff::Timestamp> {
    let args: &[&str] = match which {
        FileDate::LastModified => &["log", "-1", "--format=%cI"],
        FileDate::Created => &["log", "--diff-filter=A", "--follow", "--format=%cI"],
    };
    let git = std::process::Command::new("git")
        .current_dir(root)
        .args(args)
        .arg("--")
        .arg(rel)
        .output()
        .ok()
        .filter(|out| out.status.success());
    let from_git = git.and_then(|out| {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines().last().and_then(crate::frontmatter::parse_date)
    });
    from_git.or_else(|| {
        let modified = std::fs::metadata(root.join(rel)).ok()?.modified().ok()?;
        // To the millisecond, as Eleventy (a JavaScript `Date`) has it.
        let millis = jiff::Timestamp::try_from(modified).ok()?.as_millisecond();
        jiff::Timestamp::from_millisecond(millis).ok()
    })
}

/// `2025-03-29-title.md` → 2025-03-29, as Eleventy does when front matter has no date.
pub(super) fn from_file_name(rel: &Path) -> Option<jiff::Timestamp> {
    let name = rel.file_name()?.to_str()?;
    crate::frontmatter::parse_date(name.get(..10)?)
}
