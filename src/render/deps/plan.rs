//! Planning a rebuild: given the site's pages and lists before and after a change, and what
//! each page's templates read, the pages and tag pages to render again. Pure, so it is tested
//! as tables of cases.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::SiteUse;

/// A page's source path as text: cheap to clone and to compare, which matters on a site of
/// ten thousand pages.
pub type Source = Arc<str>;

/// The parts of a page that other pages can show: where it is and which lists hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageShape {
    /// The page's URL; none for `permalink: false`.
    pub url: Option<String>,
    /// The tags the page is listed under.
    pub tags: Vec<String>,
    /// Whether the page is in any collection (not `eleventyExcludeFromCollections: true`).
    pub listed: bool,
}

/// The site's pages and lists, keyed by source path, so two builds can be compared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// In the site's page order.
    pub pages: Vec<(Source, PageShape)>,
    /// Collection name → members in order.
    pub collections: BTreeMap<String, Vec<Source>>,
    /// Tag slug → members in order.
    pub tags: BTreeMap<String, Vec<Source>>,
    /// Tag slug → the name shown for it.
    pub tag_names: BTreeMap<String, String>,
}

impl Shape {
    fn page(&self, source: &str) -> Option<&PageShape> {
        self.pages
            .iter()
            .find(|(s, _)| &**s == source)
            .map(|(_, p)| p)
    }
}

/// How the changed pages changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edit {
    /// Pages were added, removed, moved or retagged, or their order changed: every list that
    /// holds them is affected, whatever it shows.
    pub structural: bool,
    /// The fields of the changed pages' views that differ (`content`, `title`…).
    pub fields: BTreeSet<String>,
}

/// What must be rendered again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderSet {
    /// Pages, by source path.
    pub pages: BTreeSet<Source>,
    /// Tag slugs.
    pub tags: BTreeSet<String>,
}

/// The pages and tag pages that show any of `changed` (pages whose own content or metadata
/// changed, or that were added or removed), given what each page's templates read.
/// `uses[i]` is the closure of the templates of the `i`th page of `new.pages`;
/// `tag_use` is `layouts/tag.html`'s.
pub fn plan(
    old: &Shape,
    new: &Shape,
    changed: &BTreeSet<Source>,
    uses: &[Option<&SiteUse>],
    tag_use: &SiteUse,
    edit: &Edit,
) -> RenderSet {
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    for source in changed {
        for shape in [old.page(source), new.page(source)].into_iter().flatten() {
            if shape.listed {
                touched.insert("all");
                touched.extend(shape.tags.iter().map(String::as_str));
            }
        }
    }
    let tags_changed = tag_counts(old) != tag_counts(new) || old.tag_names != new.tag_names;
    let neighbours = neighbours_of(old, new, changed, &touched);
    let mut set = RenderSet::default();
    debug_assert_eq!(
        new.pages.len(),
        uses.len(),
        "one use per page, in the same order"
    );
    for ((source, _), uses) in new.pages.iter().zip(uses) {
        let Some(uses) = uses else {
            continue;
        };
        // Without a structural change, a list shows the edit only if it shows a changed field.
        let shows_edit = edit.structural || uses.shows_any(&edit.fields);
        let shows_change = changed.contains(source)
            || (shows_edit && touched.iter().any(|c| uses.reads_collection(c)))
            || (uses.tags && tags_changed)
            || (shows_edit
                && neighbours
                    .iter()
                    .any(|(c, n)| *n == source && uses.neighbours.contains(*c)));
        if shows_change {
            set.pages.insert(source.clone());
        }
    }
    let tag_pages_show_edit = edit.structural || tag_use.shows_any(&edit.fields);
    for (slug, members) in &new.tags {
        let reads_touched = touched
            .iter()
            .any(|c| tag_use.reads_collection(c) || tag_use.neighbours.contains(*c));
        let shows_change = old.tags.get(slug) != Some(members)
            || old.tag_names.get(slug) != new.tag_names.get(slug)
            || (tag_pages_show_edit
                && (members.iter().any(|m| changed.contains(m)) || reads_touched))
            || (tag_use.tags && tags_changed);
        if shows_change {
            set.tags.insert(slug.clone());
        }
    }
    set
}

/// How many pages each tag holds.
fn tag_counts(shape: &Shape) -> BTreeMap<&str, usize> {
    shape
        .tags
        .iter()
        .map(|(slug, members)| (slug.as_str(), members.len()))
        .collect()
}

/// (collection, page) pairs: pages next to a changed page, before or after the change.
fn neighbours_of<'a>(
    old: &'a Shape,
    new: &'a Shape,
    changed: &BTreeSet<Source>,
    touched: &BTreeSet<&'a str>,
) -> Vec<(&'a str, &'a Source)> {
    let mut found = Vec::new();
    for shape in [old, new] {
        for (name, members) in &shape.collections {
            if !touched.contains(name.as_str()) {
                continue;
            }
            for (i, member) in members.iter().enumerate() {
                if !changed.contains(member) {
                    continue;
                }
                for j in [i.wrapping_sub(1), i + 1] {
                    if let Some(n) = members.get(j) {
                        found.push((name.as_str(), n));
                    }
                }
            }
        }
    }
    found
}
