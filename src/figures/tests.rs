//! Figures against a frozen copy of the blog's data (`tests/fixtures/figures/data/`, so a price
//! update in `data/` does not change these tests): golden inline values, one case per error,
//! and every kind of figure rendering.

use super::*;

/// Loads the figures of the site at `root` as a build does: its data files parsed once by
/// `data::load`, then read by `Figures::load`. Every error either reports.
pub(crate) fn load(root: &Path) -> Result<Figures, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let inputs = crate::discover::scan(root, &mut problems);
    let files = crate::data::load(&inputs, &mut problems);
    let figures = Figures::load(root, &files);
    problems.retain(Diagnostic::is_error);
    match figures {
        Ok(figures) if problems.is_empty() => Ok(figures),
        Ok(_) => Err(problems),
        Err(errors) => Err(problems.into_iter().chain(errors).collect()),
    }
}

/// The figures of the test fixture's `data/` folder.
pub(crate) fn site() -> (Figures, Scenarios) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/figures");
    let figures = load(&root).unwrap_or_else(|e| panic!("data/ does not load: {e:?}"));
    let scenarios = figures.page_scenarios(None).unwrap_or_default();
    (figures, scenarios)
}

/// Renders a block, panicking with the error (tests only).
pub(crate) fn block(name: &str, body: &str) -> Rendered {
    let (figures, scenarios) = site();
    figures
        .block(name, body, &scenarios)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn inline(expr: &str) -> Rendered {
    let (figures, scenarios) = site();
    figures
        .inline(expr, &scenarios)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn block_error(name: &str, body: &str) -> FigureError {
    let (figures, scenarios) = site();
    match figures.block(name, body, &scenarios) {
        Ok(_) => panic!("`{name}` block rendered but should fail:\n{body}"),
        Err(e) => e,
    }
}

fn inline_error(expr: &str) -> FigureError {
    let (figures, scenarios) = site();
    match figures.inline(expr, &scenarios) {
        Ok(r) => panic!("`={expr}` rendered {} but should fail", r.html),
        Err(e) => e,
    }
}

/// Every kind of figure renders; the page is also written to `target/preview.html` to look at.
#[test]
fn every_kind_of_figure_renders() {
    let mut html = String::new();
    html.push_str(
        &block(
            "crossover",
            "scenario: claim-breakeven\noffers: [lambda-x86, t3.medium, c5.large]\n",
        )
        .html,
    );
    html.push_str(
        &block(
            "crossover",
            "scenario: notifications\noffers: [lambda-x86, t3.medium]\n",
        )
        .html,
    );
    html.push_str(&block("cost-table", "scenario: api\noffers: [lambda-x86, lambda-arm, t3.medium, c5.2xlarge]\nrates: [1, 10, 100, 1000]\n").html);
    html.push_str(&block("cold-starts", "data: lambda-perf/2026-08-22.json\nmemory_mb: 512\ncompare: lambda-perf/2023-08-01.json\n").html);
    // Each chart is drawn in a wide and a narrow layout.
    assert_eq!(html.matches("<svg class=\"be-chart ").count(), 4, "{html}");
    assert_eq!(html.matches("<figure").count(), 4, "{html}");
    assert!(
        html.contains("java17"),
        "the comparison lists a runtime of both snapshots"
    );
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/preview.html");
    let _ = std::fs::write(
        out,
        format!(
            "<!doctype html><meta charset=utf-8><body style=\"max-width:50rem;margin:auto;font-family:sans-serif\">{html}</body>"
        ),
    );
}

/// A scratch data folder with `files` (name, contents), removed by the caller's `remove_dir_all`.
/// A site folder whose `data/` holds `files`.
fn scratch(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("figs-{name}-{}", std::process::id()));
    for (file, text) in files {
        let path = dir.join("data").join(file);
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(&dir));
        let _ = std::fs::write(path, text);
    }
    dir
}

/// The visible text and `data-value` of a rendered inline value.
fn text_and_value(html: &str) -> (String, String) {
    let value = html
        .split("data-value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default();
    let text = html
        .split('>')
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or_default();
    (text.to_string(), value.to_string())
}

#[test]
fn golden_inline_values() {
    let cases = [
        // 2.628e9 requests: $525.60 + 2.628e8 GB-s × $0.0000166667 = $4,905.60876.
        (
            "cost claim-1000rps lambda-x86",
            "$4,906/month",
            "4905.60876",
        ),
        (
            "cost claim-1000rps lambda-x86 requests",
            "$525.60/month",
            "525.6",
        ),
        // $0.34 × 730 h = $248.20.
        (
            "cost claim-1000rps c5.2xlarge",
            "$248.20/month",
            "248.20000000000002",
        ),
        // $0.0416 × 730 h = $30.368.
        ("cost notifications t3.medium", "$30.37/month", "30.368"),
        // $30.368 / (2,628,000 × $0.000001033335) = 11.1828 req/s.
        (
            "breakeven claim-breakeven lambda-x86 t3.medium",
            "11.2 req/s (29.4 million requests/month)",
            "11.182777662186567",
        ),
        ("ratio claim-1000rps lambda-x86 1500", "3.27×", "3.27040584"),
        (
            "requests claim-50m-day day",
            "50 million requests/day",
            "50000000",
        ),
        ("rate claim-50m-day", "579 req/s", "578.7037037037037"),
        (
            "concurrency claim-1000rps",
            "100 concurrent requests",
            "100",
        ),
        ("price t3.medium", "$0.0416/hour", "0.0416"),
        // python3.13, 512 MB x86_64 zip on 2026-08-22: median of its ten init durations.
        (
            "cold-start lambda-perf/2026-08-22.json python3.13 512",
            "85 ms",
            "84.62",
        ),
    ];
    for (expr, text, value) in cases {
        let rendered = inline(expr);
        let (got_text, got_value) = text_and_value(&rendered.html);
        assert_eq!(got_text, format::escape(text), "`={expr}`");
        assert!(
            got_value.starts_with(value),
            "`={expr}`: data-value {got_value} is not {value}…"
        );
    }
}

#[test]
fn inline_titles_say_how_and_reads_are_recorded() {
    let rendered = inline("cost claim-1000rps lambda-x86");
    assert!(rendered.html.contains(
        "title=\"lambda-x86 at 1,000 req/s, 100 ms, 1,024 MB (no free tier): $525.60 requests + $4,380.01 compute\""
    ));
    assert_eq!(
        rendered.reads,
        vec![
            PathBuf::from("data/pricing.yaml"),
            PathBuf::from("data/scenarios.yaml")
        ]
    );
    let cold = inline("cold-start lambda-perf/2023-08-01.json java17 512");
    assert_eq!(
        cold.reads,
        vec![PathBuf::from("data/lambda-perf/2023-08-01.json")]
    );
}

#[test]
fn identical_input_gives_identical_bytes() {
    let body = "scenario: notifications\noffers: [lambda-x86, t3.medium]\n";
    assert_eq!(block("crossover", body), block("crossover", body));
}

#[test]
fn error_unknown_figure() {
    let error = block_error("crossovr", "scenario: api\n");
    assert_eq!(
        (error.line, error.message.as_str()),
        (Some(1), "unknown figure `crossovr`")
    );
    assert_eq!(
        error.help.as_deref(),
        Some("valid figures: cold-starts, cost-table, crossover")
    );
}

#[test]
fn error_unknown_argument() {
    let error = block_error("crossover", "scenario: api\noffer: [lambda-x86]\n");
    assert_eq!(
        (error.line, error.message.as_str()),
        (Some(2), "unknown field `offer`")
    );
    assert!(error.help.unwrap_or_default().contains("`offers`"));
}

#[test]
fn error_unknown_scenario() {
    let error = block_error("cost-table", "offers: [lambda-x86]\nscenario: apii\n");
    assert_eq!(
        (error.line, error.message.as_str()),
        (Some(2), "unknown scenario `apii`")
    );
    assert!(
        error
            .help
            .unwrap_or_default()
            .starts_with("valid scenarios: api, claim-1000rps")
    );
}

#[test]
fn error_unknown_offer() {
    let error = block_error(
        "crossover",
        "scenario: api\noffers:\n  - lambda-x86\n  - lamda-arm\n",
    );
    assert_eq!(
        (error.line, error.message.as_str()),
        (Some(4), "unknown offer `lamda-arm`")
    );
    assert!(
        error
            .help
            .unwrap_or_default()
            .contains("lambda-arm, lambda-arm-http-api")
    );
}

#[test]
fn error_missing_argument() {
    let error = block_error("crossover", "scenario: api\n");
    assert_eq!(
        (error.line, error.message.as_str()),
        (Some(1), "missing field `offers`")
    );
}

#[test]
fn error_bad_value() {
    let error = block_error(
        "cold-starts",
        "data: lambda-perf/2026-08-22.json\nmemory_mb: lots\n",
    );
    assert_eq!(error.line, Some(2));
    assert!(
        error.message.contains("invalid type: string \"lots\""),
        "{}",
        error.message
    );
    let error = block_error(
        "crossover",
        "scenario: api\noffers: [lambda-x86]\nrates: [-1, 10]\n",
    );
    assert_eq!(error.line, Some(3));
    assert!(error.message.starts_with("`rates` must be [min, max]"));
}

#[test]
fn error_scenario_without_capacity() {
    let (figures, _) = site();
    let page: crate::yaml::Value = crate::yaml::from_fragment(
        "bare:\n  rate_per_second: 1\n  duration_ms: 10\n  memory_mb: 128\n",
    )
    .unwrap_or_default();
    let scenarios = figures.page_scenarios(Some(&page)).unwrap_or_default();
    let error = figures
        .block(
            "crossover",
            "scenario: bare\noffers: [lambda-x86, t3.medium]\n",
            &scenarios,
        )
        .err();
    let error = error.unwrap_or_else(|| FigureError::at(None, ""));
    assert_eq!(error.line, Some(1));
    assert_eq!(
        error.message,
        "scenario `bare` has no capacity, which provisioned offer `t3.medium` needs"
    );
}

#[test]
fn error_inline_unknown_offer_and_value() {
    let error = inline_error("cost api lamda-x86");
    assert_eq!(
        (error.line, error.message.as_str()),
        (Some(1), "unknown offer `lamda-x86`")
    );
    let error = inline_error("costs api lambda-x86");
    assert_eq!(error.message, "unknown inline value `=costs`");
    let error = inline_error("breakeven api lambda-x86 lambda-arm");
    assert_eq!(
        error.message,
        "`lambda-x86` and `lambda-arm` are the same kind of offer"
    );
}

#[test]
fn error_broken_pricing_names_its_file_and_line() {
    let dir = scratch(
        "broken-pricing",
        &[(
            "pricing.yaml",
            "offers:\n  t3.medium:\n    kind: provisioned\n    usd_per_hour: [0.04\n",
        )],
    );
    let errors = load(&dir).err().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    // The data loader reports the broken file once; figures add no second report.
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = errors
        .first()
        .cloned()
        .unwrap_or_else(|| Diagnostic::error("no error"));
    assert_eq!(error.file, Some(PathBuf::from("data/pricing.yaml")));
    assert_eq!(error.line, Some(4));
}

#[test]
fn error_empty_day_names_the_file() {
    let empty = "{\"metadata\":{\"generatedAt\":\"2025-10-01T14:00:07.131Z\"},\"runtimeData\":[]}";
    let dir = scratch("empty-day", &[("lambda-perf/2025-10-01.json", empty)]);
    let figures = load(&dir).unwrap_or_else(|e| panic!("{e:?}"));
    let body = "memory_mb: 512\ndata: lambda-perf/2025-10-01.json\n";
    let error = figures
        .block("cold-starts", body, &Scenarios::default())
        .err();
    let _ = std::fs::remove_dir_all(&dir);
    let error = error.unwrap_or_else(|| FigureError::at(None, ""));
    assert_eq!(error.line, Some(2));
    assert_eq!(
        error.message,
        "data/lambda-perf/2025-10-01.json has no measurements: the benchmark recorded an empty day"
    );
}

#[test]
fn error_missing_data_file_lists_the_others() {
    let error = block_error(
        "cold-starts",
        "data: lambda-perf/2026-08-23.json\nmemory_mb: 512\n",
    );
    assert_eq!(error.line, Some(1));
    assert!(error.help.unwrap_or_default().contains("2026-08-22.json"));
    let error = block_error("cold-starts", "data: ../pricing.yaml\nmemory_mb: 512\n");
    assert!(error.message.contains("must be a path inside data/"));
}
