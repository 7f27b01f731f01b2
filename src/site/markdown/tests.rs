//! The heading and summary passes, on small hand-written bodies.

use std::collections::HashSet;

use super::headings::{nest, unique_id};
use super::write::SUMMARY_WORDS;
use super::*;

fn flat(v: &[(u8, &str)]) -> Vec<(u8, String, String)> {
    v.iter()
        .map(|(l, t)| (*l, t.to_string(), t.to_string()))
        .collect()
}

#[test]
fn toc_nests_deeper_headings() {
    let toc = nest(flat(&[(2, "a"), (3, "b"), (3, "c"), (2, "d"), (4, "e")]));
    assert_eq!(toc.len(), 2);
    assert_eq!(toc[0].children.len(), 2);
    assert_eq!(toc[1].children[0].id, "e");
}

#[test]
fn duplicate_headings_get_numbered_ids() {
    let mut used = HashSet::new();
    assert_eq!(unique_id("Cost", &mut used), "cost");
    assert_eq!(unique_id("Cost", &mut used), "cost-1");
    assert_eq!(unique_id("!!", &mut used), "section");
}

fn summary_of(body: &str) -> Option<String> {
    let events =
        Parser::new_ext(body, options(&crate::config::MarkdownConfig::default())).collect();
    let (events, _) = headings(events, true);
    write_html(events).1
}

#[test]
fn summaries_leave_out_headings_anchors_footnotes_and_code() {
    let body = "## Big heading\n\nFirst words[^1].\n\n```\ncode\n```\n\n<!-- more -->\n\nRest.\n\n[^1]: Note.\n";
    let summary = summary_of(body).expect("has a marker");
    assert_eq!(summary, "<p>First words.</p>\n");
    assert_eq!(summary_of("No marker.\n"), None);
}

#[test]
fn summaries_stop_after_the_paragraph_that_passes_the_word_limit() {
    let long = vec!["word"; SUMMARY_WORDS].join(" ");
    let body = format!("{long}\n\nSecond paragraph.\n\n<!-- more -->\n");
    let summary = summary_of(&body).expect("has a marker");
    assert!(summary.starts_with("<p>word word"), "{summary}");
    assert!(!summary.contains("Second"), "{summary}");
    let short = summary_of("One.\n\nTwo.\n\n<!-- more -->\n").expect("marker");
    assert_eq!(short, "<p>One.</p>\n<p>Two.</p>\n");
}

#[test]
fn reading_time_rounds_up() {
    assert_eq!(reading_time(0), 1);
    assert_eq!(reading_time(201), 2);
}
