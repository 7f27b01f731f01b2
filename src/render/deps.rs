//! Dependencies for incremental rebuilds: what each template reads from the whole site, and
//! the pure planning function that decides which pages a change must re-render.
//!
//! This file holds what a template reads (`SiteUse`) and how templates pulling in others add up
//! (`closures`); `scan` finds the reads in a template's text, `plan` turns a change into the
//! pages to render again.

use std::collections::{BTreeMap, BTreeSet};

mod plan;
mod scan;

pub use plan::{Edit, PageShape, RenderSet, Shape, Source, plan};
pub use scan::scan;

/// What a template, with every template it extends, includes or imports, reads beyond its own page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteUse {
    /// Collections read in full (a listing), by name.
    pub collections: BTreeSet<String>,
    /// `collections` used in a way we cannot name (`collections[name]`, a loop over all).
    pub every_collection: bool,
    /// Collections read only through `previous_item` / `next_item`: only neighbours matter.
    pub neighbours: BTreeSet<String>,
    /// The `tags` variable (every tag with its count).
    pub tags: bool,
    /// The `data` variable (top-level data files).
    pub data: bool,
    /// Every attribute name read anywhere (`p.title` → `title`), and every part of every
    /// string in code (`sort(attribute="data.order")` → `data`, `order`): what a listing can
    /// show of the pages it lists, or order them by.
    pub fields: BTreeSet<String>,
    /// A whole value is used in a way that may show any field: passed to a filter that reads
    /// more than the value's text (`json_encode`, an unknown filter) or looped over as a map.
    pub every_field: bool,
}

impl SiteUse {
    /// Adds what `other` reads (a template this one pulls in) to this use.
    pub fn merge(&mut self, other: &SiteUse) {
        self.collections.extend(other.collections.iter().cloned());
        self.every_collection |= other.every_collection;
        self.neighbours.extend(other.neighbours.iter().cloned());
        self.tags |= other.tags;
        self.data |= other.data;
        self.fields.extend(other.fields.iter().cloned());
        self.every_field |= other.every_field;
    }

    /// Whether a listing with this use shows any of `fields`.
    fn shows_any(&self, fields: &BTreeSet<String>) -> bool {
        (self.every_field && !fields.is_empty()) || self.fields.iter().any(|f| fields.contains(f))
    }

    /// Whether this use reads the collection `name` (by name, or every collection).
    fn reads_collection(&self, name: &str) -> bool {
        self.every_collection || self.collections.contains(name)
    }
}

/// One template's own use of the site and the templates it pulls in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateScan {
    /// What the template itself reads of the site.
    pub uses: SiteUse,
    /// Names in `{% extends %}`, `{% include %}` and `{% import %}`.
    pub pulls: BTreeSet<String>,
    /// One of those names is not a plain string (a list, a variable): it may pull in any template.
    pub pulls_unknown: bool,
}

/// Every template's closure: its own use merged with everything it pulls in.
pub fn closures(
    scans: &BTreeMap<String, TemplateScan>,
) -> BTreeMap<String, (SiteUse, BTreeSet<String>)> {
    scans
        .keys()
        .map(|name| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![name.clone()];
            let mut uses = SiteUse::default();
            while let Some(n) = stack.pop() {
                if !seen.insert(n.clone()) {
                    continue;
                }
                if let Some(scan) = scans.get(&n) {
                    uses.merge(&scan.uses);
                    stack.extend(scan.pulls.iter().cloned());
                    // A name we cannot read: count every template as pulled in.
                    if scan.pulls_unknown {
                        stack.extend(scans.keys().cloned());
                    }
                }
            }
            (name.clone(), (uses, seen))
        })
        .collect()
}

#[cfg(test)]
mod tests;
