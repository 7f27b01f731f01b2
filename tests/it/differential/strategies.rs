//! Strategies for the differential test: sites of a few posts (random front matter, tags from a
//! small pool, drafts, exclusions, permalinks), templates from the grammar, a paged listing, and
//! the edits made to them.

use proptest::prelude::*;
use proptest::sample::Index;

use super::grammar::{self, CATEGORIES, Field, TAGS};
use super::model::{
    BODIES, Edit, MOTTOS, Model, Paged, PagedData, Post, SLUGS, Slot, TITLES, Templates,
};

pub fn post() -> impl Strategy<Value = Post> {
    let shown = (
        0..SLUGS.len(),
        prop::sample::select(TITLES),
        1u8..6,
        tags(),
        0i8..4,
        prop::sample::select(CATEGORIES),
        prop::sample::select(BODIES),
    );
    let hidden = (
        prop::bool::weighted(0.15),
        prop_oneof![8 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        prop::option::weighted(0.1, 0u8..3),
        prop::option::weighted(0.2, 1u8..4),
    );
    (shown, hidden).prop_map(
        |(
            (slug, title, day, tags, order, category, body),
            (draft, excluded, permalink, updated),
        )| Post {
            slug,
            title,
            day,
            tags,
            order,
            draft,
            category,
            body,
            excluded,
            permalink,
            updated,
            base_layout: false,
        },
    )
}

/// `post` most of the time, and perhaps the other tags.
fn tags() -> impl Strategy<Value = Vec<&'static str>> {
    (
        prop::bool::weighted(0.8),
        prop::sample::subsequence(TAGS, 0..=TAGS.len()),
    )
        .prop_map(|(post, mut tags)| {
            if post {
                tags.insert(0, "post");
            }
            tags
        })
}

fn templates() -> impl Strategy<Value = Templates> {
    (
        prop::collection::vec(grammar::block(false), 1..4),
        grammar::blocks(false, 3),
        grammar::blocks(false, 2),
        grammar::blocks(false, 2),
        grammar::blocks(true, 3),
        any::<bool>(),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(home, post, base, partial, tag, post_extends, include)| Templates {
                home,
                post,
                base,
                partial,
                tag,
                post_extends,
                include,
            },
        )
}

fn paged() -> impl Strategy<Value = Paged> {
    let data = prop_oneof![
        4 => Just(PagedData::Posts),
        1 => Just(PagedData::All),
        1 => Just(PagedData::Tag),
        1 => Just(PagedData::Names),
        1 => Just(PagedData::DataList),
    ];
    let fields = prop::collection::vec(
        prop_oneof![Just(Field::Title), Just(Field::Url), Just(Field::Order)],
        0..3,
    );
    (data, 1u8..4, any::<bool>(), any::<bool>(), fields).prop_map(
        |(data, size, reverse, alias, fields)| Paged {
            data,
            size,
            reverse,
            alias,
            fields,
        },
    )
}

pub fn model() -> impl Strategy<Value = Model> {
    (
        prop::collection::vec(post(), 2..7),
        prop::sample::select(TITLES),
        (prop::sample::select(MOTTOS), 0u8..4),
        templates(),
        prop::option::weighted(0.7, paged()),
    )
        .prop_map(|(posts, site_title, (motto, items), templates, paged)| {
            let mut model = Model {
                posts: Vec::new(),
                site_title,
                motto,
                home_title: "Home",
                dir_tags: false,
                items,
                templates,
                paged,
            };
            for post in posts {
                model.add(post);
            }
            model
        })
}

fn slot() -> impl Strategy<Value = Slot> {
    prop_oneof![
        Just(Slot::Home),
        Just(Slot::Post),
        Just(Slot::Base),
        Just(Slot::Partial),
        Just(Slot::Tag),
    ]
}

pub fn edit() -> impl Strategy<Value = Edit> {
    let i = any::<Index>;
    prop_oneof![
        3 => (i(), 0i8..4).prop_map(|(p, v)| Edit::Order(p, v)),
        2 => (i(), prop::sample::select(TITLES)).prop_map(|(p, v)| Edit::Title(p, v)),
        2 => (i(), prop::sample::select(CATEGORIES)).prop_map(|(p, v)| Edit::Category(p, v)),
        1 => (i(), prop::sample::select(BODIES)).prop_map(|(p, v)| Edit::Body(p, v)),
        2 => (i(), tags()).prop_map(|(p, v)| Edit::Tags(p, v)),
        2 => (i(), 1u8..6).prop_map(|(p, v)| Edit::Date(p, v)),
        1 => i().prop_map(Edit::Draft),
        1 => i().prop_map(Edit::Exclude),
        1 => (i(), prop::option::of(0u8..3)).prop_map(|(p, v)| Edit::Permalink(p, v)),
        1 => (i(), prop::option::of(1u8..4)).prop_map(|(p, v)| Edit::Updated(p, v)),
        1 => (i(), i()).prop_map(|(p, to)| Edit::Rename(p, to)),
        1 => i().prop_map(Edit::Delete),
        1 => post().prop_map(Edit::Add),
        1 => (prop::sample::select(MOTTOS), 0u8..4).prop_map(|(m, n)| Edit::Data(m, n)),
        1 => prop::option::of(paged()).prop_map(Edit::Paged),
        1 => prop::sample::select(TITLES).prop_map(Edit::SiteTitle),
        1 => prop::sample::select(TITLES).prop_map(Edit::HomeTitle),
        1 => Just(Edit::DirTags),
        1 => i().prop_map(Edit::BaseLayout),
        2 => (slot(), grammar::blocks(true, 3)).prop_map(|(s, b)| Edit::Template(s, b)),
    ]
}
