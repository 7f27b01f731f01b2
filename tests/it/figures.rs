//! Computed figures in a built site: golden numbers, the SVG and tables, errors at the post's
//! line, and the data files each page reads.

use std::path::{Path, PathBuf};

use crate::harness::Site;

/// The element carrying `data-value="…"` that starts with `prefix`, up to its text.
fn value_after<'a>(html: &'a str, title_start: &str) -> &'a str {
    let at = html
        .find(title_start)
        .unwrap_or_else(|| panic!("`{title_start}` not in:\n{html}"));
    let rest = &html[at..];
    let text_start = rest.find('>').expect("tag end") + 1;
    let text_end = rest[text_start..].find('<').expect("text end") + text_start;
    &rest[text_start..text_end]
}

#[test]
fn inline_values_are_golden_numbers() {
    let site = Site::fixture("figures");
    site.build();
    let html = site.read("costs/index.html");
    // 2.628e9 requests × $0.20/M = $525.60; 2.628e8 GB-s at $0.0000166667 = $4,380.01.
    assert!(html.contains(r#"data-value="4905.608760000001" title="lambda-x86 at 1,000 req/s, 100 ms, 1,024 MB (no free tier): $525.60 requests + $4,380.01 compute""#), "{html}");
    assert_eq!(value_after(&html, r#"data-value="4905.6"#), "$4,906/month");
    // $0.0416/h × 730 h.
    assert_eq!(value_after(&html, r#"data-value="30.368""#), "$30.37/month");
    // r* = 0.0416 / (3600 × (0.2e-6 + 0.1 × 0.5 × 0.0000166667)) = 11.18 req/s.
    assert_eq!(
        value_after(&html, r#"data-value="11.18"#),
        "11.2 req/s (29.4 million requests/month)"
    );
}

#[test]
fn crossover_chart_and_tables_render() {
    let site = Site::fixture("figures");
    site.build();
    let html = site.read("costs/index.html");
    assert!(html.contains(r#"<figure class="be-figure be-crossover""#));
    assert!(
        html.contains(r#"role="img""#) && html.contains("<desc"),
        "{html}"
    );
    assert!(html.contains(r#"<figure class="be-figure be-cost-table""#));
    let cold = site.read("cold/index.html");
    assert!(cold.contains(r#"<figure class="be-figure be-cold-starts""#));
    insta::assert_snapshot!("cold_start_figure", figure_of(&cold));
}

#[test]
fn figures_are_byte_identical_across_builds() {
    let site = Site::fixture("figures");
    site.build();
    let first = site.output();
    site.build();
    assert!(first == site.output());
}

fn figure_of(html: &str) -> &str {
    let start = html.find("<figure").expect("figure");
    let end = html.find("</figure>").expect("end") + "</figure>".len();
    &html[start..end]
}

#[test]
fn pages_know_which_data_files_they_read() {
    let site = Site::fixture("figures");
    let (build, _) = breakeven::build(site.root(), &breakeven::Options::default())
        .unwrap_or_else(|_| panic!("build failed"));
    let reads = |source: &str| -> Vec<PathBuf> {
        let page = build
            .site
            .pages
            .iter()
            .find(|p| p.source == Path::new(source))
            .expect("page");
        page.markdown.reads.clone()
    };
    assert_eq!(
        reads("content/costs.md"),
        [
            PathBuf::from("data/pricing.yaml"),
            PathBuf::from("data/scenarios.yaml")
        ]
    );
    assert!(reads("content/cold.md").contains(&PathBuf::from("data/lambda-perf/2026-08-22.json")));
    assert!(reads("content/cold.md").contains(&PathBuf::from("data/lambda-perf/2023-08-01.json")));
}

/// Adds a post whose body is `body` (its first line is line 4 of the file) and builds.
fn broken(body: &str) -> crate::harness::Run {
    let site = Site::fixture("figures");
    site.build();
    let before = site.output();
    site.write(
        "content/broken.md",
        format!("---\ntitle: Broken\n---\n{body}"),
    );
    let run = site.run(&["build"]);
    assert!(before == site.output(), "a failed build changed public/");
    run
}

#[test]
fn unknown_figure_is_an_error_with_suggestion() {
    let run = broken("Text\n\n```crosover\nscenario: api\n```\n");
    run.fails_with(1, "error: content/broken.md:6:1: unknown figure `crosover`");
    run.fails_with(1, "did you mean `crossover`?");
}

#[test]
fn unknown_scenario_lists_the_valid_ones() {
    let run = broken("```crossover\nscenario: nope\noffers: [lambda-x86, t3.medium]\n```\n");
    run.fails_with(1, "error: content/broken.md:5: unknown scenario `nope`");
    run.fails_with(1, "claim-1000rps");
}

#[test]
fn unknown_offer_lists_the_valid_ones() {
    let run = broken("```cost-table\nscenario: api\noffers: [lambda-x68]\n```\n");
    run.fails_with(1, "error: content/broken.md:6: unknown offer `lambda-x68`");
    run.fails_with(1, "lambda-x86");
}

#[test]
fn missing_argument_is_an_error() {
    let run = broken("```crossover\nscenario: api\n```\n");
    run.fails_with(1, "error: content/broken.md:5: missing field `offers`");
}

#[test]
fn unknown_argument_is_an_error() {
    let run =
        broken("```crossover\nscenario: api\noffers: [lambda-x86, t3.medium]\ncolour: red\n```\n");
    run.fails_with(1, "error: content/broken.md:7:");
    run.fails_with(1, "colour");
}

#[test]
fn bad_value_in_front_matter_scenario_is_an_error() {
    let site = Site::fixture("figures");
    site.write(
        "content/broken.md",
        "---\ntitle: Broken\nscenarios:\n  mine:\n    rate_per_second: 1\n    duration_ms: 100\n    memory_mb: lots\n    capacity_per_instance: 10\n---\n",
    );
    let run = site.run(&["build"]);
    run.fails_with(1, "error: content/broken.md:3: front matter `scenarios.mine.memory_mb`: invalid type: string \"lots\"");
}

#[test]
fn inline_value_error_has_line_and_column() {
    let run = broken("One\n\nCosts `=cost api lambda-x99` a month.\n");
    run.fails_with(
        1,
        "error: content/broken.md:6:7: unknown offer `lambda-x99`",
    );
}

#[test]
fn code_that_starts_with_an_equals_sign_stays_code_and_a_misspelt_value_fails() {
    let site = Site::fixture("figures");
    site.write(
        "content/code.md",
        "---\ntitle: Code\n---\nCompare with `==`, write `= default`, `=SUM(A1:A3)` or `=x`.\n",
    );
    let run = site.build();
    let page = site.read("code/index.html");
    for code in [
        "<code>==</code>",
        "<code>= default</code>",
        "<code>=SUM(A1:A3)</code>",
        "<code>=x</code>",
    ] {
        assert!(page.contains(code), "{code} in {page}");
    }
    assert!(!run.stderr.contains("inline value"), "{}", run.stderr);
    let run = broken("Costs `=costs api lambda-x86` a month.\n");
    run.fails_with(
        1,
        "error: content/broken.md:4:7: unknown inline value `=costs`",
    );
}

#[test]
fn broken_pricing_file_names_its_own_line() {
    let site = Site::fixture("figures");
    site.build();
    let before = site.output();
    let pricing = std::fs::read_to_string(site.path("data/pricing.yaml")).expect("pricing");
    let line = pricing
        .lines()
        .position(|l| l.contains("usd_per_hour: 0.0416"))
        .expect("t3.medium price")
        + 1;
    site.write(
        "data/pricing.yaml",
        pricing.replace("usd_per_hour: 0.0416", "usd_per_hour: -0.0416"),
    );
    let run = site.run(&["build"]);
    run.fails_with(1, &format!("error: data/pricing.yaml:{line}"));
    assert!(before == site.output());
}

/// Builds the figures fixture with `file` (a data file) edited by `edit`; the build must fail
/// and leave the previous output alone. Returns the messages printed, without source lines.
fn broken_data(file: &str, edit: impl Fn(&str) -> String) -> String {
    let site = Site::fixture("figures");
    site.build();
    let before = site.output();
    let text = std::fs::read_to_string(site.path(file)).expect("data file");
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    site.write(file, edited);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(before == site.output(), "a failed build changed public/");
    run.messages()
}

#[test]
fn figure_data_errors_name_the_file_line_and_key() {
    let wrong_type = broken_data("data/pricing.yaml", |t| {
        t.replacen(
            "usd_per_million_requests: 0.20",
            "usd_per_million_requests: lots",
            1,
        )
    });
    assert_eq!(
        wrong_type,
        "error: data/pricing.yaml:18: offers.lambda-x86.usd_per_million_requests: \
         invalid type: string \"lots\"\n  help: expected f64\nbuild failed with 1 error\n"
    );
    // A missing key is reported on the offer that lacks it.
    let missing = broken_data("data/pricing.yaml", |t| {
        t.replacen("    as_of: 2026-11-22\n", "", 1)
    });
    assert!(
        missing
            .starts_with("error: data/pricing.yaml:14: offers.lambda-x86: missing field `as_of`\n"),
        "{missing}"
    );
    let wrong_type = broken_data("data/scenarios.yaml", |t| {
        t.replacen("memory_mb: 512", "memory_mb: lots", 1)
    });
    assert_eq!(
        wrong_type,
        "error: data/scenarios.yaml:10: scenarios.api.memory_mb: invalid type: string \"lots\"\n  \
         help: expected f64\nbuild failed with 1 error\n"
    );
    let missing = broken_data("data/scenarios.yaml", |t| {
        t.replacen("    duration_ms: 100\n", "", 1)
    });
    assert!(
        missing.starts_with(
            "error: data/scenarios.yaml:7: scenarios.api: missing field `duration_ms`\n"
        ),
        "{missing}"
    );
    let in_list = broken_data("data/scenarios.yaml", |t| {
        t.replacen(
            "    memory_mb: 512\n",
            "    memory_mb: 512\n    hourly_profile: [1, x]\n",
            1,
        )
    });
    assert!(
        in_list.starts_with(
            "error: data/scenarios.yaml:11: scenarios.api.hourly_profile[1]: invalid type: string \"x\"\n"
        ),
        "{in_list}"
    );
}

/// The data loader and the figures once parsed pricing.yaml each, and both reported its syntax
/// error, the second time at the end of the file.
#[test]
fn broken_yaml_in_figure_data_is_reported_once() {
    let messages = broken_data("data/pricing.yaml", |t| {
        t.replacen("source: https://aws", "source: \"https://aws", 1)
    });
    assert_eq!(
        messages,
        "error: data/pricing.yaml:16:13: invalid YAML: the `\"` opened here is never closed on \
         this line\n  help: end the value with a closing `\"` on the same line\n\
         build failed with 1 error\n"
    );
}
