//! Templates from a small grammar: listings over collections (sorted, reversed, filtered,
//! grouped, picked), the `tags` list, data, neighbours; each block renders to Tera text.
//!
//! Tera 2 has no `map` or `filter` filters (breakeven adds none): a "map" is a loop printing one
//! field between commas, a "filter" a loop with an `if` on a field, which read the same fields.
//! Groups are walked by sorted key, because Tera's `group_by` map iterates in hash order.

use std::fmt::Write;

use proptest::prelude::*;

/// A field of a listed page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field {
    Title,
    Url,
    Category,
    Date,
    Order,
    Tags,
    /// Read from the body: its HTML and its length.
    Content,
    Words,
    Summary,
}

impl Field {
    pub fn path(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Url => "url",
            Field::Category => "data.category",
            Field::Date => "date",
            Field::Order => "data.order",
            Field::Tags => "tags",
            Field::Content => "content",
            Field::Words => "word_count",
            Field::Summary => "summary",
        }
    }
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        Just(Field::Title),
        Just(Field::Url),
        Just(Field::Category),
        Just(Field::Date),
        Just(Field::Order),
        Just(Field::Tags),
        Just(Field::Content),
        Just(Field::Words),
        Just(Field::Summary),
    ]
}

/// What a listing prints of each page: a few fields, or none at all.
fn fields() -> impl Strategy<Value = Vec<Field>> {
    prop::collection::vec(field(), 0..3)
}

/// The list a listing walks.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Post,
    All,
    Tag(&'static str),
    /// `tag.pages`, in `layouts/tag.html` only.
    TagPages,
}

impl Source {
    fn expr(&self) -> String {
        match self {
            Source::Post => "collections.post".into(),
            Source::All => "collections.all".into(),
            Source::Tag(t) => format!("collections.{t}"),
            Source::TagPages => "tag.pages".into(),
        }
    }
}

/// A filter between the list and what is shown of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Sort(Field),
    Reverse,
}

/// What a listing shows of its (sorted) list.
#[derive(Debug, Clone, PartialEq)]
pub enum Show {
    /// Each page's fields, perhaps only the pages of one category.
    Loop {
        only: Option<&'static str>,
        fields: Vec<Field>,
    },
    /// One field of each page, between commas.
    Map(Field),
    /// `group_by(attribute="data.category")`: the number of groups, or each group's pages.
    Groups {
        fields: Option<Vec<Field>>,
    },
    Length,
    /// A field of `first` or `last`.
    Pick {
        last: bool,
        field: Field,
    },
    /// Each page as a whole value, or its whole `data` map, printed.
    Whole(Whole),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Whole {
    Page,
    PageAsStr,
    Data,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Listing {
        source: Source,
        steps: Vec<Step>,
        show: Show,
    },
    Tags,
    /// Each tag with its pages, found through `collections[t.name]`.
    TagsWithPages(Field),
    Data,
    /// `previous_item` / `next_item` of the page in a collection.
    Neighbour {
        next: bool,
        source: Source,
        field: Field,
    },
    PageTitle,
    SiteTitle,
}

pub const CATEGORIES: &[&str] = &["news", "howto", "misc"];
/// Tags beside `post`.
/// `Alpha` is `alpha` spelled otherwise: one tag page, one slug, two collections.
pub const TAGS: &[&str] = &["alpha", "beta", "Alpha"];

fn source(in_tag_layout: bool) -> BoxedStrategy<Source> {
    let common = prop_oneof![
        3 => Just(Source::Post),
        1 => Just(Source::All),
        1 => prop::sample::select(TAGS).prop_map(Source::Tag),
    ];
    if in_tag_layout {
        prop_oneof![1 => common, 2 => Just(Source::TagPages)].boxed()
    } else {
        common.boxed()
    }
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => prop_oneof![
            Just(Field::Order),
            Just(Field::Title),
            Just(Field::Date),
            Just(Field::Category)
        ]
        .prop_map(Step::Sort),
        2 => Just(Step::Reverse),
    ]
}

fn show() -> impl Strategy<Value = Show> {
    prop_oneof![
        4 => (prop::option::of(prop::sample::select(CATEGORIES)), fields())
            .prop_map(|(only, fields)| Show::Loop { only, fields }),
        1 => field().prop_map(Show::Map),
        1 => prop::option::of(fields()).prop_map(|fields| Show::Groups { fields }),
        1 => Just(Show::Length),
        1 => (any::<bool>(), field()).prop_map(|(last, field)| Show::Pick { last, field }),
        1 => prop_oneof![Just(Whole::Page), Just(Whole::PageAsStr), Just(Whole::Data)]
            .prop_map(Show::Whole),
    ]
}

pub fn block(in_tag_layout: bool) -> impl Strategy<Value = Block> {
    prop_oneof![
        6 => (source(in_tag_layout), prop::collection::vec(step(), 0..3), show())
            .prop_map(|(source, steps, show)| Block::Listing { source, steps, show }),
        1 => Just(Block::Tags),
        1 => field().prop_map(Block::TagsWithPages),
        1 => Just(Block::Data),
        1 => (any::<bool>(), source(false), field())
            .prop_map(|(next, source, field)| Block::Neighbour { next, source, field }),
        1 => Just(Block::PageTitle),
        1 => Just(Block::SiteTitle),
    ]
}

/// A few blocks, as one template's own text.
pub fn blocks(in_tag_layout: bool, most: usize) -> impl Strategy<Value = Vec<Block>> {
    prop::collection::vec(block(in_tag_layout), 0..most)
}

/// The blocks as Tera text; `n` keeps each block's variables apart.
pub fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for (n, block) in blocks.iter().enumerate() {
        render_block(&mut out, n, block);
        out.push('\n');
    }
    out
}

fn render_block(out: &mut String, n: usize, block: &Block) {
    match block {
        Block::Listing {
            source,
            steps,
            show,
        } => {
            let mut list = source.expr();
            for step in steps {
                match step {
                    Step::Sort(f) => write!(list, " | sort(attribute=\"{}\")", f.path()),
                    Step::Reverse => write!(list, " | reverse"),
                }
                .expect("write to a string");
            }
            let listing = render_show(n, &list, show);
            // A collection exists only while a page has its tag.
            match source {
                Source::Post | Source::Tag(_) => {
                    let list = source.expr();
                    let _ = write!(out, "{{% if {list} is defined %}}{listing}{{% endif %}}");
                }
                _ => out.push_str(&listing),
            }
        }
        Block::Tags => out.push_str("{% for t in tags %}{{ t.name }}:{{ t.count }} {% endfor %}"),
        Block::TagsWithPages(field) => {
            let item = render_fields("p", &[*field]);
            let _ = write!(
                out,
                "{{% for t in tags %}}<h3>{{{{ t.name }}}}</h3>{{% if collections[t.name] is defined %}}\
                 {{% for p in collections[t.name] %}}<li>{item}</li>{{% endfor %}}{{% endif %}}{{% endfor %}}"
            );
        }
        Block::Data => out.push_str("<p>{{ data.info.motto }}</p>"),
        Block::Neighbour {
            next,
            source,
            field,
        } => {
            let filter = if *next { "next_item" } else { "previous_item" };
            let list = source.expr();
            let _ = write!(
                out,
                "{{% if {list} is defined %}}{{% set nb{n} = {list} | {filter}(url=page.url) %}}\
                 {{% if nb{n} %}}<a>{{{{ nb{n}.{} }}}}</a>{{% endif %}}{{% endif %}}",
                field.path()
            );
        }
        Block::PageTitle => out.push_str("<h1>{{ page.title }}</h1>"),
        Block::SiteTitle => out.push_str("<p>{{ site.title }}</p>"),
    }
}

fn render_show(n: usize, list: &str, show: &Show) -> String {
    match show {
        Show::Loop { only, fields } => {
            let item = render_fields("p", fields);
            match only {
                Some(c) => format!(
                    "{{% for p in {list} %}}{{% if p.data.category == \"{c}\" %}}<li>{item}</li>{{% endif %}}{{% endfor %}}"
                ),
                None => format!("{{% for p in {list} %}}<li>{item}</li>{{% endfor %}}"),
            }
        }
        Show::Map(f) => format!(
            "<p>{{% for p in {list} %}}{{{{ p.{} }}}}{{% if not loop.last %}},{{% endif %}}{{% endfor %}}</p>",
            f.path()
        ),
        Show::Groups { fields } => {
            let groups =
                format!("{{% set g{n} = {list} | group_by(attribute=\"data.category\") %}}");
            match fields {
                None => format!("{groups}<p>{{{{ g{n} | length }}}} groups</p>"),
                Some(fields) => format!(
                    "{groups}{{% for k in g{n} | keys | sort %}}<h2>{{{{ k }}}}</h2>\
                     {{% for p in g{n}[k] %}}<li>{}</li>{{% endfor %}}{{% endfor %}}",
                    render_fields("p", fields)
                ),
            }
        }
        Show::Length => format!("<p>{{{{ {list} | length }}}} pages</p>"),
        Show::Whole(whole) => {
            let shown = match whole {
                Whole::Page => "p",
                Whole::PageAsStr => "p | str",
                Whole::Data => "p.data",
            };
            format!("{{% for p in {list} %}}<pre>{{{{ {shown} }}}}</pre>{{% endfor %}}")
        }
        Show::Pick { last, field } => {
            let pick = if *last { "last" } else { "first" };
            format!(
                "{{% set x{n} = {list} | {pick} %}}{{% if x{n} %}}<b>{{{{ x{n}.{} }}}}</b>{{% endif %}}",
                field.path()
            )
        }
    }
}

pub fn render_fields(var: &str, fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| match f {
            Field::Tags => format!("{{{{ {var}.tags | join(sep=\",\") }}}}"),
            Field::Content => format!("{{{{ {var}.content | safe }}}}"),
            Field::Summary => format!("{{{{ {var}.summary | default(value=\"-\") | safe }}}}"),
            _ => format!("{{{{ {var}.{} }}}}", f.path()),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The listing of the known regression: sorted by a field it does not print.
pub fn sorted_by_order_printing_urls() -> Block {
    Block::Listing {
        source: Source::Post,
        steps: vec![Step::Sort(Field::Order)],
        show: Show::Loop {
            only: None,
            fields: vec![Field::Url],
        },
    }
}

#[test]
fn the_known_regression_is_in_the_grammar() {
    let listing = r#"{% for p in collections.post | sort(attribute="data.order") %}<li>{{ p.url }}</li>{% endfor %}"#;
    assert_eq!(
        render(&[sorted_by_order_printing_urls()]),
        format!("{{% if collections.post is defined %}}{listing}{{% endif %}}\n")
    );
}
