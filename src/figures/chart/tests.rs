//! Charts checked on the geometry they draw: the SVG is read back (labels, markers, lines) and
//! no label may cover another label, a marker or a line, in either layout.

use super::*;
use crate::figures::place::{Segment, collisions, text_box};
use crate::figures::tests::block;

/// The value of `name="…"` in one tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!("{name}=\"");
    let start = [format!(" {needle}"), needle.clone()]
        .iter()
        .find_map(|n| {
            tag.find(n.as_str())
                .filter(|i| n.starts_with(' ') || *i == 0)
        })
        .map(|i| i + tag[i..].find('"').unwrap_or(0) + 1)?;
    tag[start..].split('"').next()
}

fn number(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number `{name}` in {tag}"))
}

/// Every `<name …>` tag of `svg` with `class` among its classes, and the text after it.
fn tags<'a>(svg: &'a str, name: &str, class: &str) -> Vec<(&'a str, &'a str)> {
    svg.split(&format!("<{name} "))
        .skip(1)
        .map(|t| {
            let end = t.find('>').unwrap_or(t.len());
            (&t[..end], t[end + 1..].split('<').next().unwrap_or(""))
        })
        .filter(|(t, _)| attr(t, "class").is_some_and(|c| c.split(' ').any(|c| c == class)))
        .collect()
}

/// The labels, markers and lines of one drawn `<svg>`.
fn geometry(svg: &str) -> (Vec<Rect>, Vec<Rect>, Vec<Segment>) {
    let font = number(svg, "font-size");
    let mut labels = Vec::new();
    for class in ["be-breakeven-label", "be-guide-label"] {
        for (tag, text) in tags(svg, "text", class) {
            let at = (number(tag, "x"), number(tag, "y"));
            labels.push(text_box(text, font, at));
        }
    }
    let points = tags(svg, "circle", "be-breakeven")
        .iter()
        .map(|(tag, _)| {
            let (x, y, r) = (number(tag, "cx"), number(tag, "cy"), number(tag, "r"));
            Rect {
                left: x - r,
                top: y - r,
                right: x + r,
                bottom: y + r,
            }
        })
        .collect();
    let mut lines = Vec::new();
    for (tag, _) in tags(svg, "polyline", "be-series") {
        let points: Vec<(f64, f64)> = attr(tag, "points")
            .unwrap_or_default()
            .split(' ')
            .filter_map(|p| p.split_once(','))
            .map(|(x, y)| (x.parse().unwrap_or(0.0), y.parse().unwrap_or(0.0)))
            .collect();
        lines.extend(points.windows(2).map(|w| (w[0], w[1])));
    }
    for class in ["be-guide", "be-leader"] {
        for (tag, _) in tags(svg, "line", class) {
            let from = (number(tag, "x1"), number(tag, "y1"));
            lines.push((from, (number(tag, "x2"), number(tag, "y2"))));
        }
    }
    (labels, points, lines)
}

/// The `<svg>` elements of a figure's HTML.
fn svgs(html: &str) -> Vec<&str> {
    html.split("<svg class=\"be-chart ")
        .skip(1)
        .map(|s| s.split("</svg>").next().unwrap_or(s))
        .collect()
}

/// The crossover charts of the blog's posts, and a crowded one.
const CHARTS: &[&str] = &[
    "scenario: claim-breakeven\noffers: [lambda-x86, lambda-arm, t3.medium, c5.large]\nrates: [0.1, 1000]\n",
    "scenario: notifications\noffers: [lambda-x86, t3.medium]\nrates: [0.1, 1000]\n",
    "scenario: api\noffers: [lambda-x86, lambda-arm, t3.medium]\n",
    "scenario: claim-breakeven\noffers: [lambda-x86, t3.medium, c5.large]\n",
    "scenario: claim-breakeven\noffers: [lambda-x86, lambda-arm, t3.medium, c5.large, c5.2xlarge]\n",
];

#[test]
fn labels_cover_no_line_point_or_label() {
    for body in CHARTS {
        let html = block("crossover", body).html;
        let drawn = svgs(&html);
        assert_eq!(drawn.len(), 2, "a wide and a narrow layout:\n{body}");
        for svg in drawn {
            let (labels, points, lines) = geometry(svg);
            let marked = tags(svg, "text", "be-breakeven-label").len();
            assert_eq!(marked, points.len(), "every break-even labelled: {body}");
            assert!(!lines.is_empty() && !labels.is_empty(), "{body}");
            assert_eq!(
                collisions(&labels, &points, &lines),
                Vec::<String>::new(),
                "{body}"
            );
        }
    }
}

#[test]
fn every_break_even_is_labelled_and_named_with_its_pair() {
    let html = block("crossover", CHARTS[0]).html;
    for svg in svgs(&html) {
        let markers = tags(svg, "circle", "be-breakeven").len();
        assert_eq!(markers, 4, "four break-evens in:\n{svg}");
        assert_eq!(tags(svg, "text", "be-breakeven-label").len(), markers);
    }
    // Each label's text leads a legend entry naming the two offers that meet there.
    let (_, first) = tags(svgs(&html)[0], "text", "be-breakeven-label")[0];
    let entry = html
        .split("<li class=\"be-legend-breakeven\">")
        .find(|li| li.contains(&format!(">{first}</span>")))
        .unwrap_or_else(|| panic!("no legend entry for `{first}`"));
    assert!(
        entry.contains(" and ") && entry.contains("break even"),
        "{entry}"
    );
}
