//! A small site as values (posts, data, layouts from the grammar, a paged listing) and the edits
//! made to it; each version is written out as the files of a site.

use std::collections::BTreeMap;

use proptest::sample::Index;

use super::grammar::{self, Block, Field};

pub const SLUGS: &[&str] = &[
    "apple", "birch", "cedar", "dune", "elm", "fern", "gorse", "heath", "iris", "juniper",
];
pub const TITLES: &[&str] = &["Alpha", "Bravo", "Charlie", "Delta", "Echo"];
pub const BODIES: &[&str] = &[
    "Short text.",
    "## A heading\n\nMore words here.",
    "Other text.",
    "A summary.\n\n<!-- more -->\n\nThe rest.",
];
pub const MOTTOS: &[&str] = &["Cheap", "Fast", "Good"];

#[derive(Debug, Clone)]
pub struct Post {
    pub slug: usize,
    pub title: &'static str,
    pub day: u8,
    pub tags: Vec<&'static str>,
    pub order: i8,
    pub draft: bool,
    pub category: &'static str,
    pub body: &'static str,
    /// `eleventyExcludeFromCollections`: 0 not, 1 `true`, 2 `[alpha]` (out of that tag's
    /// collection and `all`).
    pub excluded: u8,
    /// `permalink: /p/<n>/` instead of the URL from the file's path.
    pub permalink: Option<u8>,
    /// `updated:`, a day of February.
    pub updated: Option<u8>,
    /// `layout: base` instead of the folder's `post`.
    pub base_layout: bool,
}

/// What the paged listing is paginated over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PagedData {
    Posts,
    All,
    Tag,
    /// `collections`: one item per collection name.
    Names,
    /// `data.info.items`.
    DataList,
}

/// The paged listing: `pagination` over a collection, the collection names or a data list.
#[derive(Debug, Clone)]
pub struct Paged {
    pub data: PagedData,
    pub size: u8,
    pub reverse: bool,
    /// Loop over the alias (else `pagination.items`).
    pub alias: bool,
    pub fields: Vec<Field>,
}

/// Which template an edit replaces.
#[derive(Debug, Clone, Copy)]
pub enum Slot {
    Home,
    Post,
    Base,
    Partial,
    Tag,
}

#[derive(Debug, Clone)]
pub struct Templates {
    pub home: Vec<Block>,
    pub post: Vec<Block>,
    pub base: Vec<Block>,
    pub partial: Vec<Block>,
    pub tag: Vec<Block>,
    /// The post layout extends the base layout (else it stands alone and includes the partial).
    pub post_extends: bool,
    /// The base layout includes the partial, by its full name or its short one.
    pub include: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub posts: Vec<Post>,
    pub site_title: &'static str,
    pub motto: &'static str,
    /// The home page's title (it is in `collections.all`).
    pub home_title: &'static str,
    /// How many items `data.info.items` has.
    pub items: u8,
    /// The posts' folder tags them all `post` (`_dir.yaml`).
    pub dir_tags: bool,
    pub templates: Templates,
    pub paged: Option<Paged>,
}

#[derive(Debug, Clone)]
pub enum Edit {
    Title(Index, &'static str),
    Order(Index, i8),
    Category(Index, &'static str),
    Body(Index, &'static str),
    Tags(Index, Vec<&'static str>),
    Date(Index, u8),
    Draft(Index),
    Exclude(Index),
    Permalink(Index, Option<u8>),
    Updated(Index, Option<u8>),
    BaseLayout(Index),
    Rename(Index, Index),
    Delete(Index),
    Add(Post),
    Data(&'static str, u8),
    SiteTitle(&'static str),
    HomeTitle(&'static str),
    DirTags,
    Template(Slot, Vec<Block>),
    Paged(Option<Paged>),
}

impl Model {
    /// Adds `post` under its slug, or the first free one (none free: not added).
    pub fn add(&mut self, mut post: Post) {
        let Some(slug) = self.free_slug(post.slug) else {
            return;
        };
        post.slug = slug;
        self.posts.push(post);
    }

    fn free_slug(&self, wanted: usize) -> Option<usize> {
        (0..SLUGS.len())
            .map(|k| (wanted + k) % SLUGS.len())
            .find(|s| self.posts.iter().all(|p| p.slug != *s))
    }

    pub fn apply(&mut self, edit: &Edit) {
        if let Edit::Add(post) = edit {
            return self.add(post.clone());
        }
        if let Some(edit) = self.apply_to_site(edit) {
            self.apply_to_post(edit);
        }
    }

    /// Applies edits that are not about one post; gives back the others.
    fn apply_to_site<'e>(&mut self, edit: &'e Edit) -> Option<&'e Edit> {
        match edit {
            Edit::Data(motto, items) => {
                self.motto = motto;
                self.items = *items;
            }
            Edit::Paged(paged) => self.paged = paged.clone(),
            Edit::SiteTitle(title) => self.site_title = title,
            Edit::HomeTitle(title) => self.home_title = title,
            Edit::DirTags => self.dir_tags = !self.dir_tags,
            Edit::Template(slot, blocks) => {
                let t = &mut self.templates;
                // Only the tag layout may list `tag.pages`.
                let plain = || {
                    blocks
                        .iter()
                        .filter(|b| !lists_tag_pages(b))
                        .cloned()
                        .collect()
                };
                match slot {
                    Slot::Home => t.home = plain(),
                    Slot::Post => t.post = plain(),
                    Slot::Base => t.base = plain(),
                    Slot::Partial => t.partial = plain(),
                    Slot::Tag => t.tag = blocks.clone(),
                }
            }
            _ => return Some(edit),
        }
        None
    }

    fn apply_to_post(&mut self, edit: &Edit) {
        if self.posts.is_empty() {
            return;
        }
        let at = |i: &Index| i.index(self.posts.len());
        match edit {
            Edit::Delete(i) => {
                self.posts.remove(at(i));
            }
            Edit::Rename(i, to) => {
                let k = at(i);
                if let Some(slug) = self.free_slug(to.index(SLUGS.len())) {
                    self.posts[k].slug = slug;
                }
            }
            _ => self.edit_post(edit),
        }
    }

    fn edit_post(&mut self, edit: &Edit) {
        let n = self.posts.len();
        let post = match edit {
            Edit::Title(i, _)
            | Edit::Order(i, _)
            | Edit::Category(i, _)
            | Edit::Body(i, _)
            | Edit::Tags(i, _)
            | Edit::Date(i, _)
            | Edit::Draft(i)
            | Edit::Exclude(i)
            | Edit::Permalink(i, _)
            | Edit::Updated(i, _)
            | Edit::BaseLayout(i) => &mut self.posts[i.index(n)],
            _ => return,
        };
        match edit {
            Edit::Title(_, v) => post.title = v,
            Edit::Order(_, v) => post.order = *v,
            Edit::Category(_, v) => post.category = v,
            Edit::Body(_, v) => post.body = v,
            Edit::Tags(_, v) => post.tags = v.clone(),
            Edit::Date(_, v) => post.day = *v,
            Edit::Draft(_) => post.draft = !post.draft,
            Edit::Exclude(_) => post.excluded = (post.excluded + 1) % 3,
            Edit::Permalink(_, v) => post.permalink = *v,
            Edit::Updated(_, v) => post.updated = *v,
            Edit::BaseLayout(_) => post.base_layout = !post.base_layout,
            _ => {}
        }
    }

    /// Every file of the site, by path.
    pub fn files(&self) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        let mut put = |path: &str, text: String| files.insert(path.to_string(), text);
        put(
            "site.yaml",
            format!(
                "title: {}\nbase_url: https://diff.example/\n",
                self.site_title
            ),
        );
        let items: Vec<String> = (0..self.items).map(|k| format!("item{k}")).collect();
        put(
            "data/info.yaml",
            format!("motto: {}\nitems: [{}]\n", self.motto, items.join(", ")),
        );
        let dir_tags = if self.dir_tags { "tags: post\n" } else { "" };
        put(
            "content/posts/_dir.yaml",
            format!("layout: post\n{dir_tags}"),
        );
        for post in &self.posts {
            put(
                &format!("content/posts/{}.md", SLUGS[post.slug]),
                post_file(post),
            );
        }
        let t = &self.templates;
        put("layouts/base.html", base_layout(t));
        put("layouts/post.html", post_layout(t));
        put("layouts/partials/foot.html", grammar::render(&t.partial));
        put("layouts/tag.html", tag_layout(&t.tag));
        put(
            "content/index.html",
            format!(
                "---\ntitle: {}\nlayout: base\npermalink: /\n{}---\n{}",
                self.home_title,
                LISTED_KEYS,
                grammar::render(&t.home)
            ),
        );
        if let Some(paged) = &self.paged {
            put("content/list.html", paged_page(paged));
        }
        files
    }
}

fn lists_tag_pages(block: &Block) -> bool {
    matches!(
        block,
        Block::Listing {
            source: grammar::Source::TagPages,
            ..
        }
    )
}

/// Template pages are in `collections.all` too: they have every field a listing sorts by.
const LISTED_KEYS: &str = "date: 2025-02-01\norder: 0\ncategory: misc\n";

fn post_file(post: &Post) -> String {
    let tags = post.tags.join(", ");
    let mut extra = String::new();
    match post.excluded {
        1 => extra.push_str("eleventyExcludeFromCollections: true\n"),
        2 => extra.push_str("eleventyExcludeFromCollections: [alpha]\n"),
        _ => {}
    }
    if let Some(n) = post.permalink {
        extra.push_str(&format!("permalink: /p/{n}/\n"));
    }
    if post.base_layout {
        extra.push_str("layout: base\n");
    }
    if let Some(day) = post.updated {
        extra.push_str(&format!("updated: 2025-02-0{day}\n"));
    }
    format!(
        "---\ntitle: {}\ndate: 2025-01-0{}\ntags: [{tags}]\norder: {}\ncategory: {}\ndraft: {}\n{extra}---\n{}\n",
        post.title, post.day, post.order, post.category, post.draft, post.body
    )
}

fn base_layout(t: &Templates) -> String {
    let include = match t.include {
        Some(true) => "{% include \"layouts/partials/foot.html\" %}",
        Some(false) => "{% include \"partials/foot.html\" %}",
        None => "",
    };
    format!(
        "<html><title>{{{{ page.title }}}}</title>\n{}<main>{{% block main %}}{{{{ page.content | safe }}}}{{% endblock main %}}</main>{include}</html>\n",
        grammar::render(&t.base)
    )
}

fn post_layout(t: &Templates) -> String {
    let own = grammar::render(&t.post);
    if t.post_extends {
        format!(
            "{{% extends \"layouts/base.html\" %}}{{% block main %}}<article>{{{{ page.content | safe }}}}</article>\n{own}{{% endblock main %}}\n"
        )
    } else {
        format!(
            "<article>{{{{ page.content | safe }}}}</article>\n{own}{{% include \"layouts/partials/foot.html\" %}}\n"
        )
    }
}

fn tag_layout(blocks: &[Block]) -> String {
    format!(
        "{{% extends \"layouts/base.html\" %}}{{% block main %}}<h1>{{{{ tag.name }}}}</h1>\n{}{{% endblock main %}}\n",
        grammar::render(blocks)
    )
}

fn paged_page(paged: &Paged) -> String {
    let item = match paged.data {
        PagedData::Names | PagedData::DataList => "{{ p }}".to_string(),
        _ => grammar::render_fields("p", &paged.fields),
    };
    let body = match (paged.alias, paged.size) {
        (true, 1) => format!("{{% if posts %}}{{% set p = posts %}}<li>{item}</li>{{% endif %}}"),
        (true, _) => format!("{{% for p in posts %}}<li>{item}</li>{{% endfor %}}"),
        (false, _) => format!("{{% for p in pagination.items %}}<li>{item}</li>{{% endfor %}}"),
    };
    let data = match paged.data {
        PagedData::Posts => "collections.post",
        PagedData::All => "collections.all",
        PagedData::Tag => "collections.alpha",
        PagedData::Names => "collections",
        PagedData::DataList => "data.info.items",
    };
    format!(
        "---\ntitle: List\nlayout: base\n{LISTED_KEYS}pagination: {{data: {data}, size: {}, reverse: {}, alias: posts}}\n\
         permalink: \"/list/{{% if pagination.pageNumber > 0 %}}{{{{ pagination.pageNumber }}}}/{{% endif %}}\"\n---\n\
         {body}\n{{% if pagination.href.next %}}<a href=\"{{{{ pagination.href.next }}}}\">next</a>{{% endif %}}\n",
        paged.size, paged.reverse
    )
}
