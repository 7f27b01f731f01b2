//! What a change made stale: from the previous and the next version of a site and the changed
//! files, which pages and tag pages to render again and which generated files to write again.
//! Pure: no I/O, so the rules are tested as tables of cases.

use std::collections::{BTreeSet, HashMap, HashSet};
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
    let (ids, tags) = to_render((old.shape, new.shape, &edit), new, reload, changes);
    // An edit that moved nothing shows in a paged list only in the chunks holding the page.
    let only_lists = !edit.structural && changes.layouts.is_empty() && !changes.top_data;
    let mut generated = BTreeSet::new();
    if !(only_lists && feed_stays(old.site, new.site, reload)) {
        generated.insert(Generated::Feed);
    }
    if !sitemap_stays(old, new, reload) {
        generated.insert(Generated::Sitemap);
    }
    let mut stale = Stale {
        statics: changes.statics.clone(),
        generated,
        ..Stale::default()
    };
    let by_chunk = only_lists.then(|| Chunked {
        touched: touched_collections(old.site, new.site, reload),
        edited: reload.iter().filter_map(|s| new.site.find(s)).collect(),
    });
    stale_pages(&mut stale, new, &ids, by_chunk.as_ref());
    stale_tags(&mut stale, new, &tags, by_chunk.as_ref());
    stale
}

/// What decides which chunks of a paged list show an edit that moved nothing.
struct Chunked<'a> {
    /// The collections holding an edited page.
    touched: BTreeSet<&'a str>,
    /// The edited pages, in the new version.
    edited: HashSet<PageId>,
}

impl Chunked<'_> {
    /// The numbers of the chunks holding an item that shows the edit.
    fn showing(&self, chunks: &[Vec<Item>]) -> Vec<usize> {
        let shows = |item: &Item| match item {
            Item::Page(id) => self.edited.contains(id),
            // A list from data: any change may show anywhere in it.
            Item::Value(_) => true,
        };
        let holding = |(k, chunk): (usize, &Vec<Item>)| chunk.iter().any(shows).then_some(k);
        chunks.iter().enumerate().filter_map(holding).collect()
    }
}

/// Adds the pages `ids` to render again: whole, or only the chunks showing the edit.
fn stale_pages(stale: &mut Stale, new: &Version, ids: &[PageId], by_chunk: Option<&Chunked>) {
    for &id in ids {
        let page = &new.site.pages[id];
        let paged = new.site.paged.get(&id);
        let chunked = by_chunk.filter(|c| {
            !c.edited.contains(&id) && reads_no_list(&new.layouts.template_use(page), &c.touched)
        });
        match paged.zip(chunked) {
            Some((paged, chunked)) => stale.chunks.extend(
                (chunked.showing(&paged.chunks).into_iter()).map(|k| (page.source.clone(), k)),
            ),
            None => {
                stale.pages.insert(page.source.clone());
            }
        }
    }
}

/// Adds the tag pages `tags` to render again: whole, or only the chunks showing the edit.
fn stale_tags(stale: &mut Stale, new: &Version, tags: &[usize], by_chunk: Option<&Chunked>) {
    let tag_use = new.layouts.tag_use();
    let chunked = by_chunk.filter(|c| reads_no_list(&tag_use, &c.touched));
    for tag in tags.iter().map(|&i| &new.site.tags[i]) {
        let Some(chunked) = chunked else {
            stale.tags.insert(tag.slug.clone());
            continue;
        };
        let chunks: Vec<Vec<Item>> = (new.site.tag_chunks(tag).into_iter())
            .map(|(_, ids)| ids.into_iter().map(Item::Page).collect())
            .collect();
        let shown = chunked.showing(&chunks).into_iter();
        stale
            .tag_chunks
            .extend(shown.map(|k| (tag.slug.clone(), k)));
    }
}

/// Whether the feed stays after an edit that moved nothing: it shows its entries whole, so it
/// does when they are the same pages, none of them edited.
fn feed_stays(old: &Site, new: &Site, reload: &BTreeSet<PathBuf>) -> bool {
    let sources = |site: &Site| {
        let entries = crate::feed::entries(site).into_iter();
        entries
            .map(|id| site.pages[id].source.clone())
            .collect::<Vec<_>>()
    };
    let shown = sources(old);
    shown == sources(new) && !shown.iter().any(|source| reload.contains(source))
}

/// Whether the sitemap, which lists URLs and dates, stays: on a large site it is worth keeping.
fn sitemap_stays(old: &Version, new: &Version, reload: &BTreeSet<PathBuf>) -> bool {
    // The very same lists: every page and tag page kept its URL.
    let same_lists = std::ptr::eq(old.shape, new.shape)
        || (new.shape.pages == old.shape.pages
            && new.shape.tags.keys().eq(old.shape.tags.keys())
            && tag_urls(old.site).eq(tag_urls(new.site)));
    same_lists
        && !dates_changed(old.site, new.site, reload)
        && paged_urls(old.site).eq(paged_urls(new.site))
}

/// Whether a template's use of the site leaves a chunk's items as the only edited pages it
/// shows, so an edit that moved nothing shows only in the chunks holding an edited page: it
/// reads no collection holding an edited page (`touched`), and neither the whole list
/// (`tag.pages`, `pagination.pages`) nor whole values.
fn reads_no_list(uses: &deps::SiteUse, touched: &BTreeSet<&str>) -> bool {
    let untouched = |name: &String| !touched.contains(name.as_str());
    uses.collections.iter().all(untouched)
        && !uses.every_collection
        && uses.neighbours.iter().all(untouched)
        && !uses.every_field
        && !uses.fields.contains("pages")
}

/// The collections that hold an edited page, before or after the edit: `all` and its tags,
/// unless it is left out of every collection.
fn touched_collections<'a>(
    old: &'a Site,
    new: &'a Site,
    reload: &BTreeSet<PathBuf>,
) -> BTreeSet<&'a str> {
    let mut touched = BTreeSet::new();
    for site in [old, new] {
        let pages = reload.iter().filter_map(|source| site.find(source));
        for page in pages.map(|id| &site.pages[id]) {
            if page.fm.exclude_from_collections != crate::frontmatter::Excluded::Everywhere {
                touched.insert("all");
                touched.extend(page.fm.tags.iter().map(String::as_str));
            }
        }
    }
    touched
}

fn tag_urls(site: &Site) -> impl Iterator<Item = String> + '_ {
    site.tags
        .iter()
        .flat_map(|t| site.tag_chunks(t).into_iter().map(|(url, _)| url))
}

fn paged_urls(site: &Site) -> impl Iterator<Item = &Vec<String>> {
    site.paged.values().map(|paged| &paged.urls)
}

/// How the reloaded pages changed: structurally (added, removed, moved, retagged, reordered),
/// or only in the fields of their views.
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
        // Views hold the content and table of contents only when a listing shows them; the
        // feed shows the content anyway.
        if old.site.pages[old_id].markdown.html != new.site.pages[new_id].markdown.html {
            edit.fields
                .extend(["content".to_string(), "toc".to_string()]);
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
) -> (Vec<PageId>, Vec<usize>) {
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
    let ids = (0..new.pages.len())
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
    (ids, tags)
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
