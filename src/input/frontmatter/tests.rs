//! Splitting, parsing and resolving front matter, on small hand-written pages.

use std::path::Path;

use super::*;
use crate::yaml::{MAX_YAML_DEPTH, too_deep};

fn layer(yaml: &str) -> Layer {
    Layer::parse(yaml, Path::new("content/a.md"), 2).unwrap()
}

#[test]
fn deep_flow_yaml_is_caught_and_words_with_brackets_are_not() {
    let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
    assert_eq!(too_deep(&deep), Some((1, 3 + MAX_YAML_DEPTH + 1)));
    let words = "note: x[1\n".repeat(300);
    assert_eq!(too_deep(&words), None);
    let quoted = format!("a: \"{}\"\n# {}\n", "[".repeat(300), "{".repeat(300));
    assert_eq!(too_deep(&quoted), None);
    let fine = format!("a: {}{}", "[".repeat(100), "]".repeat(100));
    assert_eq!(too_deep(&fine), None);
}

#[test]
fn split_finds_yaml_and_body_lines() {
    let s = split("---\ntitle: A\n---\nHello\n").unwrap();
    assert_eq!(s.yaml, Some("title: A\n"));
    assert_eq!(s.body, "Hello\n");
    assert_eq!(s.body_line, 4);
}

#[test]
fn split_without_front_matter_keeps_everything() {
    let s = split("# Hi\n").unwrap();
    assert!(s.yaml.is_none());
    assert_eq!(s.body, "# Hi\n");
}

#[test]
fn split_rejects_unterminated_block() {
    let e = split("---\ntitle: A\nbody\n").err().unwrap();
    assert!(e.message.contains("never closed"), "{e}");
}

#[test]
fn yaml_errors_point_at_the_file_line() {
    let e = Layer::parse("title: A\ntags: [a\n", Path::new("content/a.md"), 2).unwrap_err();
    assert_eq!(e.file.as_deref(), Some(Path::new("content/a.md")));
    assert!(e.line.unwrap() >= 3, "{e}");
}

#[test]
fn tags_merge_across_layers_and_accept_a_string() {
    let mut problems = vec![];
    let dir = layer("tags: post\nlayout: blog\n");
    let page = layer("title: A\ntags: [post, serverless]\nlayout: x\n");
    let fm = resolve(&[dir, page], &mut problems).unwrap();
    assert_eq!(fm.tags, ["post", "serverless"]);
    assert_eq!(fm.layout.as_deref(), Some("x"));
    assert!(problems.is_empty());
}

#[test]
fn misspelt_key_gets_a_suggestion() {
    let mut problems = vec![];
    resolve(&[layer("title: A\npermalnk: /x/\n")], &mut problems).unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].help.as_deref(),
        Some("did you mean `permalink`?")
    );
    assert_eq!(problems[0].line, Some(3));
}

#[test]
fn dates_are_midnight_utc_or_rfc3339() {
    assert_eq!(
        parse_date("2025-03-29").unwrap().to_string(),
        "2025-03-29T00:00:00Z"
    );
    assert_eq!(
        parse_date("2025-03-29T10:00:00+02:00").unwrap().to_string(),
        "2025-03-29T08:00:00Z"
    );
    assert!(parse_date("29/03/2025").is_none());
}

#[test]
fn yaml_timestamps_with_one_digit_fields_parse_as_eleventy_reads_them() {
    for (written, instant) in [
        ("2022-04-30T9:50:28Z", "2022-04-30T09:50:28Z"),
        ("2022-4-3 9:50:28", "2022-04-03T09:50:28Z"),
        ("2022-04-30 09:50:28 +2", "2022-04-30T07:50:28Z"),
        ("2022-04-30t09:50:28.5-01:30", "2022-04-30T11:20:28.5Z"),
    ] {
        let parsed = parse_date(written).map(|t| t.to_string());
        assert_eq!(parsed.as_deref(), Some(instant), "{written}");
    }
    for wrong in [
        "2022-04-30T123:50:28Z",
        "22-04-30T9:50:28Z",
        "2022-04-30T9:50",
    ] {
        assert!(parse_date(wrong).is_none(), "{wrong}");
    }
}

proptest::proptest! {
    #[test]
    fn any_text_splits_and_parses_without_panicking(text in "(---\\n)?[a-z:\\[\\]{}\"' \\n-]{0,80}(---\\n)?.{0,20}") {
        if let Ok(split) = split(&text) {
            let mut problems = vec![];
            if let Ok(layer) = Layer::parse(split.yaml.unwrap_or(""), Path::new("a.md"), split.yaml_line) {
                let _ = resolve(&[layer], &mut problems);
            }
        }
    }
}

#[test]
fn permalink_false_turns_rendering_off() {
    let mut problems = vec![];
    let fm = resolve(&[layer("title: A\npermalink: false\n")], &mut problems).unwrap();
    assert_eq!(fm.permalink, PermalinkSpec::Off);
}

#[test]
fn an_empty_permalink_and_an_empty_date_are_eleventys_defaults() {
    let mut problems = vec![];
    let fm = resolve(&[layer("title: A\npermalink: ''\ndate:\n")], &mut problems).unwrap();
    assert_eq!(fm.permalink, PermalinkSpec::Default);
    assert_eq!(fm.date, None);
    assert!(problems.is_empty(), "{problems:?}");
}
