//! The output plan: which files a site publishes and where each comes from. `build` produces
//! every planned file; `serve` plans again after each change and produces only the files that
//! are new or stale, so both decide what exists, and who wins a path, in this one place.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::discover::Inputs;
use crate::site::Site;
use crate::{feed, highlight, permalink};

/// Where an output file comes from. Origins name inputs by path or slug, never by index, so the
/// plans of two versions of a site can be compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// A page (Markdown or a Tera template), by its source relative to the site root, and which
    /// chunk of it for a paginated page (0 otherwise).
    Page {
        /// The page's source file, relative to the site root.
        source: PathBuf,
        /// Which output page of a paginated page (0 for the first or only one).
        chunk: usize,
    },
    /// The page of a tag, by slug, rendered with `layouts/tag.html`, and which chunk of it
    /// when tag pages are paged (0 otherwise).
    Tag {
        /// The tag's slug, as in `/tags/<slug>/`.
        slug: String,
        /// Which output page of the tag's list (0 for the first or only one).
        chunk: usize,
    },
    /// A file published as it is: from `static/`, or beside the pages in `content/`.
    Static(PathBuf),
    /// A file breakeven writes itself.
    Generated(Generated),
}

/// The files breakeven writes itself; each gives way to a page or static file at its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Generated {
    /// The Atom feed of one collection (`feed.xml`).
    Feed,
    /// `sitemap.xml`, listing every page for search engines.
    Sitemap,
    /// The code highlighting colours, for the light and dark themes.
    Stylesheet,
}

impl Generated {
    /// Every kind of generated file.
    pub const ALL: [Generated; 3] = [Generated::Feed, Generated::Sitemap, Generated::Stylesheet];

    /// Where the file is written, relative to the output folder.
    pub fn path(self) -> &'static str {
        match self {
            Generated::Feed => feed::FEED_PATH,
            Generated::Sitemap => feed::SITEMAP_PATH,
            Generated::Stylesheet => highlight::STYLESHEET_URL.trim_start_matches('/'),
        }
    }
}

impl Origin {
    /// The input file to name in a message about this output, if there is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Origin::Page { source, .. } | Origin::Static(source) => Some(source),
            Origin::Tag { .. } => Some(Path::new(crate::render::TAG_LAYOUT)),
            Origin::Generated(_) => None,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Page { source, chunk: 0 } | Origin::Static(source) => {
                write!(f, "{}", source.display())
            }
            Origin::Page { source, chunk } => {
                write!(f, "{} (page {} of its list)", source.display(), chunk + 1)
            }
            Origin::Tag { slug, .. } => write!(
                f,
                "the page of tag `{slug}` ({})",
                crate::render::TAG_LAYOUT
            ),
            Origin::Generated(g) => write!(f, "breakeven's generated `/{}`", g.path()),
        }
    }
}

/// Output path (relative, `/`-separated) → where it comes from.
pub type Plan = BTreeMap<String, Origin>;

/// Plans every output of `site`: its pages, its tag pages (when `layouts/tag.html` exists), the
/// files of `static/` and those beside the pages, and the generated files.
pub fn outputs(site: &Site, inputs: &Inputs, tag_pages: bool) -> (Plan, Vec<Diagnostic>) {
    let pages = site.pages.iter().enumerate().flat_map(|(id, p)| {
        let urls = site.urls(id).into_iter().enumerate();
        urls.map(|(chunk, url)| {
            let source = p.source.clone();
            (permalink::output_path(url), Origin::Page { source, chunk })
        })
    });
    let tags = site.tags.iter().filter(|_| tag_pages).flat_map(|t| {
        let chunks = site.tag_chunks(t).into_iter().enumerate();
        chunks.map(|(chunk, (url, _))| {
            let slug = t.slug.clone();
            (permalink::output_path(&url), Origin::Tag { slug, chunk })
        })
    });
    let statics = inputs
        .statics
        .iter()
        .chain(&inputs.assets)
        .map(|rel| (static_output_path(rel), Origin::Static(rel.clone())));
    decide(pages.chain(tags).chain(statics))
}

/// The policy, given the site's own files in order (pages, tag pages, static files): the first
/// to claim a path keeps it and every later claim is an error naming both; generated files go
/// where nothing else is; no file may sit where another needs a folder.
pub fn decide(own: impl Iterator<Item = (String, Origin)>) -> (Plan, Vec<Diagnostic>) {
    let mut plan = Plan::new();
    let mut problems = Vec::new();
    for (path, origin) in own {
        match plan.get(&path) {
            Some(first) => problems.push(clash(&path, first, &origin)),
            None => {
                plan.insert(path, origin);
            }
        }
    }
    for generated in Generated::ALL {
        plan.entry(generated.path().to_string())
            .or_insert(Origin::Generated(generated));
    }
    problems.extend(file_folder_clashes(&plan));
    problems.sort();
    (plan, problems)
}

/// Where a file from `static/` is published, or one from `content/` that is not a page.
pub fn static_output_path(rel: &Path) -> String {
    rel.strip_prefix("static")
        .or_else(|_| rel.strip_prefix("content"))
        .unwrap_or(rel)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Two inputs that would write the same output file.
fn clash(path: &str, first: &Origin, second: &Origin) -> Diagnostic {
    let help = match second {
        Origin::Static(_) => "rename the static file or change the page's permalink",
        _ => "change one of their permalinks",
    };
    let d = Diagnostic::error(format!("`/{path}` is written by both {first} and {second}"));
    match second.file() {
        Some(file) => d.in_file(file),
        None => d,
    }
    .help(help)
}

/// One error per output file whose path another output needs as a folder (a page at `/about`
/// beside one at `/about/team/`): found before anything is written, so the error names both
/// inputs instead of an OS error.
fn file_folder_clashes(plan: &Plan) -> Vec<Diagnostic> {
    let mut folders: HashMap<&str, &Origin> = HashMap::new();
    for (path, origin) in plan {
        let mut end = path.len();
        while let Some(slash) = path[..end].rfind('/') {
            // Name the site's own file rather than a generated one.
            let inside = folders.entry(&path[..slash]).or_insert(origin);
            if matches!(inside, Origin::Generated(_)) {
                *inside = origin;
            }
            end = slash;
        }
    }
    plan.iter()
        .filter_map(|(path, origin)| {
            let inside = folders.get(path.as_str())?;
            let d = Diagnostic::error(format!(
                "{origin} is published as the file `/{path}`, but {inside} needs `/{path}/` as a folder"
            ));
            let d = match origin.file() {
                Some(file) => d.in_file(file),
                None => d,
            };
            Some(d.help("change one of the two permalinks, or rename the file or folder"))
        })
        .collect()
}

/// What a change made stale beyond what the plans show: pages and tag pages to render again,
/// static files to read again, generated files to write again.
#[derive(Debug, Default)]
pub struct Stale {
    /// Pages to render again, every chunk of them.
    pub pages: BTreeSet<PathBuf>,
    /// Chunks of paginated pages to render again (those showing a changed page).
    pub chunks: BTreeSet<(PathBuf, usize)>,
    /// Tag pages to render again (by slug), every chunk of them.
    pub tags: BTreeSet<String>,
    /// Chunks of paged tag pages to render again.
    pub tag_chunks: BTreeSet<(String, usize)>,
    /// Static files to read again, by source path relative to the site root.
    pub statics: BTreeSet<PathBuf>,
    /// Generated files (feed, sitemap, stylesheet) to write again.
    pub generated: BTreeSet<Generated>,
}

/// The files of `new` to produce again: those whose path is new or changed hands since `old`,
/// and those `stale` names. Everything else keeps its bytes from the previous build.
pub fn to_produce<'a>(
    old: impl Fn(&str) -> Option<&'a Origin>,
    new: &'a Plan,
    stale: &Stale,
) -> Vec<(&'a String, &'a Origin)> {
    new.iter()
        .filter(|(path, origin)| {
            old(path) != Some(*origin)
                || match origin {
                    Origin::Page { source, chunk } => {
                        stale.pages.contains(source)
                            || stale.chunks.contains(&(source.clone(), *chunk))
                    }
                    Origin::Tag { slug, chunk } => {
                        stale.tags.contains(slug)
                            || stale.tag_chunks.contains(&(slug.clone(), *chunk))
                    }
                    Origin::Static(rel) => stale.statics.contains(rel),
                    Origin::Generated(g) => stale.generated.contains(g),
                }
        })
        .collect()
}

/// Whose an output file is, whatever its chunk: the key [`ByOrigin`] files plans under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Owner {
    Page(PathBuf),
    Tag(String),
    Static(PathBuf),
    Generated(Generated),
}

impl Origin {
    fn owner(&self) -> (Owner, usize) {
        match self {
            Origin::Page { source, chunk } => (Owner::Page(source.clone()), *chunk),
            Origin::Tag { slug, chunk } => (Owner::Tag(slug.clone()), *chunk),
            Origin::Static(rel) => (Owner::Static(rel.clone()), 0),
            Origin::Generated(g) => (Owner::Generated(*g), 0),
        }
    }
}

/// A plan's files by whose they are. A rebuild that keeps its plan looks up the few files a
/// change made stale here, rather than comparing every planned file (twelve thousand on a blog
/// of ten thousand posts) with the last build.
#[derive(Debug, Default)]
pub struct ByOrigin {
    files: HashMap<Owner, Vec<(usize, String)>>,
}

impl ByOrigin {
    /// Files the paths of `plan` by owner.
    pub fn new(plan: &Plan) -> ByOrigin {
        let mut files: HashMap<Owner, Vec<(usize, String)>> = HashMap::new();
        for (path, origin) in plan {
            let (owner, chunk) = origin.owner();
            files.entry(owner).or_default().push((chunk, path.clone()));
        }
        ByOrigin { files }
    }

    /// The files of `plan`, the plan this was made from, that `stale` names: what
    /// [`to_produce`] gives when the previous build had the same plan.
    pub fn stale_files<'a>(&self, plan: &'a Plan, stale: &Stale) -> Vec<(&'a String, &'a Origin)> {
        let owners = (stale.pages.iter().map(|s| (Owner::Page(s.clone()), None)))
            .chain(
                stale
                    .chunks
                    .iter()
                    .map(|(s, k)| (Owner::Page(s.clone()), Some(*k))),
            )
            .chain(stale.tags.iter().map(|t| (Owner::Tag(t.clone()), None)))
            .chain(
                stale
                    .tag_chunks
                    .iter()
                    .map(|(t, k)| (Owner::Tag(t.clone()), Some(*k))),
            )
            .chain(
                stale
                    .statics
                    .iter()
                    .map(|s| (Owner::Static(s.clone()), None)),
            )
            .chain(stale.generated.iter().map(|g| (Owner::Generated(*g), None)));
        let mut paths = BTreeSet::new();
        for (owner, chunk) in owners {
            let files = self.files.get(&owner).map_or(&[][..], Vec::as_slice);
            let named = files.iter().filter(|(k, _)| chunk.is_none_or(|c| c == *k));
            paths.extend(named.map(|(_, p)| p.as_str()));
        }
        paths
            .into_iter()
            .filter_map(|p| plan.get_key_value(p))
            .collect()
    }
}

#[cfg(test)]
mod tests;
