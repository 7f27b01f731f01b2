//! What a change made stale: from the previous and the next version of a site and the changed
//! files, which pages and tag pages to render again and which generated files to write again.
//! Pure: no I/O, so the rules are tested as tables of cases.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::classify::Changes;
use crate::deps::{self, PageShape, Shape};
use crate::paginate::Item;
use crate::plan::{Generated, Stale};
use crate::render::{self, Layouts, Views};
use crate::site::{Page, PageId, PageKind, Site};

/// One version of a site, as a rebuild compares it with the next.
pub struct Version<'a> {
    pub site: &'a Site,
    pub views: &'a Views,
    pub layouts: &'a Layouts,
    pub shape: &'a Shape,
}

/// Everything `new` must produce again besides the files whose path is new or changed hands
/// (the plans show those). `reload` names every page file that changed, removed ones included.
pub fn stale(old: &Version, new: &Version, reload: &BTreeSet<PathBuf>, changes: &Changes) -> Stale {
    let edit = edit(old, new, reload);
    let (ids, whole, tags) = to_render((old.shape, new.shape, &edit), new, reload, changes);
    // The sitemap lists URLs and dates: on a large site it is worth keeping when those stay.
    let sitemap_stays = new.shape.pages == old.shape.pages
        && new.shape.tags.keys().eq(old.shape.tags.keys())
        && !dates_changed(old.site, new.site, reload)
        && paged_urls(old.site).eq(paged_urls(new.site));
    let mut generated = BTreeSet::from([Generated::Feed]);
    if !sitemap_stays {
        generated.insert(Generated::Sitemap);
    }
    let (whole, chunks) = chunks_to_render(&ids, &whole, new.site, reload, edit.structural);
    Stale {
        pages: whole,
        chunks,
        tags: tags
            .iter()
            .map(|&i| new.site.tags[i].slug.clone())
            .collect(),
        statics: changes.statics.clone(),
        generated,
    }
}

/// How the reloaded pages changed: structurally (added, removed, moved, retagged, reordered),
/// or only in the fields of their views.
fn paged_urls(site: &Site) -> impl Iterator<Item = &Vec<String>> {
    site.paged.values().map(|paged| &paged.urls)
}

/// The pages to render whole, and the chunks of paginated pages to render: after an edit that
/// moved nothing, a paginated list shows it only in the chunks that hold an edited page, unless
/// `whole` says every chunk shows a change (in what its templates read besides its items).
fn chunks_to_render(
    ids: &[PageId],
    whole_ids: &BTreeSet<PageId>,
    site: &Site,
    reload: &BTreeSet<PathBuf>,
    structural: bool,
) -> (BTreeSet<PathBuf>, BTreeSet<(PathBuf, usize)>) {
    let mut whole = BTreeSet::new();
    let mut chunks = BTreeSet::new();
    for &id in ids {
        let source = &site.pages[id].source;
        let paged = site
            .paged
            .get(&id)
            .filter(|_| !structural && !reload.contains(source) && !whole_ids.contains(&id));
        let Some(paged) = paged else {
            whole.insert(source.clone());
            continue;
        };
        for (k, chunk) in paged.chunks.iter().enumerate() {
            let shows_edit = chunk.iter().any(|item| match item {
                Item::Page(shown) => reload.contains(&site.pages[*shown].source),
                // A list from data: any change may show anywhere in it.
                Item::Value(_) => true,
            });
            if shows_edit {
                chunks.insert((source.clone(), k));
            }
        }
    }
    (whole, chunks)
}

fn edit(old: &Version, new: &Version, reload: &BTreeSet<PathBuf>) -> deps::Edit {
    let mut edit = deps::Edit {
        structural: new.shape.collections != old.shape.collections
            || new.shape.tags != old.shape.tags,
        fields: BTreeSet::new(),
    };
    for source in reload {
        let (Some(old_id), Some(new_id)) = (old.site.find(source), new.site.find(source)) else {
            edit.structural = true;
            continue;
        };
        let (old_view, new_view) = (old.views.get(old_id), new.views.get(new_id));
        let (Some(old_map), Some(new_map)) = (old_view.as_map(), new_view.as_map()) else {
            edit.structural = true;
            continue;
        };
        for (key, value) in new_map {
            if old_map.get(key) != Some(value) {
                edit.fields.insert(key.to_string());
            }
        }
        edit.structural |= old.site.pages[old_id].url != new.site.pages[new_id].url;
    }
    edit
}

/// The pages and tag pages a rebuild renders: what `deps::plan` finds, plus every user of a
/// changed template, and the users of `data` when data files changed.
fn to_render(
    (old, new_shape, edit): (&Shape, &Shape, &deps::Edit),
    version: &Version,
    reload: &BTreeSet<PathBuf>,
    changes: &Changes,
) -> (Vec<PageId>, BTreeSet<PageId>, Vec<usize>) {
    let (new, layouts) = (version.site, version.layouts);
    // A removed page is a changed file too, so `reload` names every page that changed.
    // Pages share a handful of layouts: work out each combination's use once.
    let keys: Vec<(Option<&str>, Option<String>, Option<&str>)> = new
        .pages
        .iter()
        .map(|p| {
            (
                p.layout.as_deref(),
                (p.kind == PageKind::Template).then(|| render::template_name(p)),
                p.fm.pagination.as_ref().map(|spec| spec.data.as_str()),
            )
        })
        .collect();
    type Key<'a> = (Option<&'a str>, Option<String>, Option<&'a str>);
    let mut by_templates: HashMap<&Key, deps::SiteUse> = HashMap::new();
    for (page, key) in new.pages.iter().zip(&keys) {
        by_templates
            .entry(key)
            .or_insert_with(|| layouts.page_use(page));
    }
    // Pages are sorted by source, as the shape's keys are: the two line up.
    let page_uses: Vec<Option<&deps::SiteUse>> = keys.iter().map(|k| by_templates.get(k)).collect();
    let tag_use = layouts.tag_use();
    let changed: BTreeSet<deps::Source> = reload.iter().map(|p| source_key(p)).collect();
    let plan = deps::plan(old, new_shape, &changed, &page_uses, &tag_use, edit);
    let ids: Vec<PageId> = (0..new.pages.len())
        .filter(|&id| {
            let page = &new.pages[id];
            plan.pages.contains(&new_shape.pages[id].0)
                || (!changes.layouts.is_empty() && layouts.page_uses_any(page, &changes.layouts))
                || (changes.top_data && page_uses[id].is_some_and(|u| u.data))
        })
        .collect();
    let all_tags = layouts.tags_use_any(&changes.layouts) || (changes.top_data && tag_use.data);
    let tags = (0..new.tags.len())
        .filter(|&i| all_tags || plan.tags.contains(&new.tags[i].slug))
        .collect();
    let whole = whole_paged(&ids, version, (old, new_shape, edit), &changed, changes);
    (ids, whole, tags)
}

/// The paginated pages among `ids` that every chunk of shows a change: their templates changed,
/// what the templates read besides the chunk's items (a listing in the layout, data) did, or
/// the data list they are paged over.
fn whole_paged(
    ids: &[PageId],
    version: &Version,
    (old, new_shape, edit): (&Shape, &Shape, &deps::Edit),
    changed: &BTreeSet<deps::Source>,
    changes: &Changes,
) -> BTreeSet<PageId> {
    let (site, layouts) = (version.site, version.layouts);
    let paged = |id: PageId| site.paged.contains_key(&id) && ids.binary_search(&id).is_ok();
    if !ids.iter().any(|&id| paged(id)) {
        return BTreeSet::new();
    }
    let own: Vec<Option<deps::SiteUse>> = (0..site.pages.len())
        .map(|id| paged(id).then(|| layouts.templates_use(&site.pages[id])))
        .collect();
    let uses: Vec<Option<&deps::SiteUse>> = own.iter().map(Option::as_ref).collect();
    let no_tags = deps::SiteUse::default();
    let plan = deps::plan(old, new_shape, changed, &uses, &no_tags, edit);
    ids.iter()
        .copied()
        .filter(|&id| {
            own[id].as_ref().is_some_and(|own| {
                plan.pages.contains(&new_shape.pages[id].0)
                    || layouts.page_uses_any(&site.pages[id], &changes.layouts)
                    // A chunk of a data list may show the change without holding an item:
                    // the list emptied.
                    || (changes.top_data && (own.data || layouts.page_use(&site.pages[id]).data))
            })
        })
        .collect()
}

/// Where each page is and which lists hold it.
pub fn shape(site: &Site) -> Shape {
    let keys: Vec<deps::Source> = site.pages.iter().map(|p| source_key(&p.source)).collect();
    let members = |ids: &[PageId]| ids.iter().map(|&id| keys[id].clone()).collect();
    Shape {
        pages: site
            .pages
            .iter()
            .zip(&keys)
            .map(|(p, key)| {
                let shape = PageShape {
                    url: p.url.clone(),
                    tags: p.fm.tags.clone(),
                    listed: p.fm.exclude_from_collections
                        != crate::frontmatter::Excluded::Everywhere,
                };
                (key.clone(), shape)
            })
            .collect(),
        collections: site
            .collections
            .iter()
            .map(|(name, ids)| (name.clone(), members(ids)))
            .collect(),
        tags: site
            .tags
            .iter()
            .map(|t| (t.slug.clone(), members(&t.pages)))
            .collect(),
        tag_names: site
            .tags
            .iter()
            .map(|t| (t.slug.clone(), t.name.clone()))
            .collect(),
    }
}

fn source_key(source: &Path) -> deps::Source {
    Arc::from(source.to_string_lossy().as_ref())
}

/// Whether two versions of a page sit in the same place: same source, URL and lists.
pub fn same_place(new: &Page, old: &Page) -> bool {
    new.source == old.source
        && new.url == old.url
        && new.fm.date == old.fm.date
        && new.fm.tags == old.fm.tags
        && new.fm.exclude_from_collections == old.fm.exclude_from_collections
}

fn dates_changed(old: &Site, new: &Site, reload: &BTreeSet<PathBuf>) -> bool {
    reload.iter().any(|source| {
        let dates = |site: &Site| {
            site.find(source)
                .map(|id| (site.pages[id].fm.date, site.pages[id].fm.updated))
        };
        dates(old) != dates(new)
    })
}
