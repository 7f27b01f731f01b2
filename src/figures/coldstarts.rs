//! The `cold-starts` figure: per runtime, the median and range of measured init durations from a
//! lambda-perf snapshot (both of its JSON schemas), fastest first, with a mini bar per row and an
//! optional comparison with another snapshot.
//!
//! ```yaml
//! data: lambda-perf/2026-08-22.json      # required, inside data/
//! memory_mb: 512                         # required
//! architecture: x86_64                   # or arm64 (default x86_64)
//! package: zip                           # or image (default zip; files before 2023-12 are zip only)
//! compare: lambda-perf/2023-08-01.json   # optional: adds the older median and the change
//! runtimes: [python3.13, nodejs22.x]     # optional: only these (display names)
//! caption: …                             # optional text before the generated caption
//! ```

use super::args::{self, Lines};
use super::describe::table_wrap;
use super::format::{coord, escape, exact, ms, ms_change};
use super::{Context, FigureError};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Args {
    data: String,
    memory_mb: u32,
    architecture: Option<String>,
    package: Option<String>,
    compare: Option<String>,
    runtimes: Option<Vec<String>>,
    caption: Option<String>,
}

const ARCHITECTURES: &[&str] = &["arm64", "x86_64"];
const PACKAGES: &[&str] = &["image", "zip"];

/// One snapshot file. Long keys until November 2023, short ones (`r`, `d`, `a`, `m`, `p`, `i`,
/// `ad`) from December 2023; serde's aliases read both.
#[derive(Deserialize)]
struct Snapshot {
    metadata: Option<Metadata>,
    #[serde(rename = "runtimeData")]
    runtime_data: Vec<Run>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "generatedAt")]
    generated_at: Option<String>,
}

#[derive(Deserialize)]
struct Run {
    #[serde(alias = "r")]
    runtime: String,
    #[serde(rename = "displayName", alias = "d")]
    display_name: Option<String>,
    // Files before May 2023 measured x86_64 only and have no architecture field.
    #[serde(alias = "a")]
    architecture: Option<String>,
    #[serde(rename = "memorySize", alias = "m")]
    memory_size: u32,
    #[serde(rename = "p")]
    package: Option<String>,
    #[serde(rename = "initDurations", alias = "i")]
    init_durations: Vec<f64>,
    #[serde(rename = "averageDuration", alias = "ad")]
    average_duration: Option<f64>,
}

impl Run {
    /// The runtime's display name; early files only have the id ("lambda-perf-go1x").
    fn name(&self) -> String {
        self.display_name
            .clone()
            .unwrap_or_else(|| self.runtime.trim_start_matches("lambda-perf-").to_string())
    }
}

/// A snapshot's measurements for one configuration, by runtime name.
pub struct Measured {
    /// Measurement date (`YYYY-MM-DD`).
    pub date: String,
    /// Per runtime: the init durations (ms, sorted) and the mean duration of the cold invocation.
    pub runtimes: BTreeMap<String, (Vec<f64>, Option<f64>)>,
}

/// The configuration a table or value is about.
pub struct Config<'a> {
    /// Memory size, MB.
    pub memory_mb: u32,
    /// "x86_64" or "arm64".
    pub architecture: &'a str,
    /// "zip" or "image".
    pub package: &'a str,
}

/// Loads a snapshot, keeping one configuration. `line` locates errors in the page (the key that
/// named the file); a malformed file is an error in that file.
pub fn load(
    cx: &mut Context,
    raw_path: &str,
    config: &Config,
    line: Option<usize>,
) -> Result<Measured, FigureError> {
    let relative = args::data_path(raw_path).map_err(|e| e.on_line(line))?;
    let shown = Path::new("data").join(&relative);
    let text = cx.read_data(&relative, line)?;
    let snapshot: Snapshot = serde_json::from_str(&text).map_err(|e| {
        FigureError::at(Some(e.line()), format!("not a lambda-perf snapshot: {e}")).in_file(&shown)
    })?;
    if snapshot.runtime_data.is_empty() {
        let message = format!(
            "{} has no measurements: the benchmark recorded an empty day",
            shown.display()
        );
        return Err(FigureError::at(line, message).help("choose another date's snapshot"));
    }
    let stem = relative
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let date = snapshot
        .metadata
        .and_then(|m| m.generated_at)
        .map_or(stem, |g| g.chars().take(10).collect());
    let mut runtimes: BTreeMap<String, (Vec<f64>, Option<f64>)> = BTreeMap::new();
    let mut available = std::collections::BTreeSet::new();
    for run in &snapshot.runtime_data {
        let architecture = run.architecture.as_deref().unwrap_or("x86_64");
        let package = run.package.as_deref().unwrap_or("zip");
        available.insert(format!("{} MB {architecture} {package}", run.memory_size));
        let wanted = run.memory_size == config.memory_mb
            && architecture == config.architecture
            && package == config.package;
        if wanted && !run.init_durations.is_empty() {
            let entry = runtimes.entry(run.name()).or_default();
            entry
                .0
                .extend(run.init_durations.iter().copied().filter(|d| d.is_finite()));
            entry.1 = entry.1.or(run.average_duration);
        }
    }
    if runtimes.is_empty() {
        let wanted = format!(
            "{} MB {} {}",
            config.memory_mb, config.architecture, config.package
        );
        let measured: Vec<String> = available.into_iter().collect();
        let error = FigureError::at(
            line,
            format!("{} has no measurements for {wanted}", shown.display()),
        );
        return Err(error.help(format!("measured there: {}", measured.join(", "))));
    }
    for (durations, _) in runtimes.values_mut() {
        durations.sort_by(f64::total_cmp);
    }
    Ok(Measured { date, runtimes })
}

/// The median of sorted values.
pub fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// A mini bar: the median as a filled bar from zero, the min–max range as a line, on a shared scale.
fn bar(durations: &[f64], scale: f64) -> String {
    let x = |v: f64| coord(v / scale * 100.0);
    let (low, high) = (
        durations.first().copied().unwrap_or(0.0),
        durations.last().copied().unwrap_or(0.0),
    );
    format!(
        "<svg class=\"be-bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\" style=\"width:var(--be-bar-width,8rem);height:0.75em\"><rect class=\"be-bar-median\" fill=\"#0072b2\" style=\"fill:var(--be-series-1,#0072b2)\" x=\"0\" y=\"2\" width=\"{}\" height=\"6\"/><line class=\"be-bar-range\" stroke=\"currentColor\" style=\"stroke:var(--be-text,currentColor)\" vector-effect=\"non-scaling-stroke\" stroke-width=\"1.5\" x1=\"{}\" y1=\"5\" x2=\"{}\" y2=\"5\"/></svg>",
        x(median(durations)),
        x(low),
        x(high),
    )
}

fn choice<'a>(
    value: &'a Option<String>,
    default: &'a str,
    valid: &[&str],
    key: &str,
    lines: &Lines,
) -> Result<&'a str, FigureError> {
    let value = value.as_deref().unwrap_or(default);
    if valid.contains(&value) {
        return Ok(value);
    }
    Err(
        FigureError::at(lines.key(key, 1), format!("unknown {key} `{value}`"))
            .help(args::valid(&format!("{key}s"), valid)),
    )
}

/// Renders a `cold-starts` block.
pub fn render(cx: &mut Context, body: &str) -> Result<String, FigureError> {
    let args: Args = args::parse(body)?;
    let lines = Lines::new(body);
    let architecture = choice(
        &args.architecture,
        "x86_64",
        ARCHITECTURES,
        "architecture",
        &lines,
    )?;
    let package = choice(&args.package, "zip", PACKAGES, "package", &lines)?;
    let config = Config {
        memory_mb: args.memory_mb,
        architecture,
        package,
    };
    let now = load(cx, &args.data, &config, lines.key("data", 1))?;
    let before = match &args.compare {
        Some(path) => Some(load(cx, path, &config, lines.key("compare", 1))?),
        None => None,
    };
    let rows = selected_rows(&args, &now, &lines)?;
    let mut html = String::from("<figure class=\"be-figure be-cold-starts\">");
    html.push_str(&table(&rows, before.as_ref()));
    html.push_str(&caption(&args, &config, &now, before.as_ref(), rows.len()));
    html.push_str("</figure>");
    Ok(html)
}

/// The runtimes to show (all, or those `runtimes:` names), fastest median first; a name the
/// snapshot lacks is an error at its line.
fn selected_rows<'a>(
    args: &Args,
    now: &'a Measured,
    lines: &Lines,
) -> Result<Vec<(&'a String, &'a Vec<f64>)>, FigureError> {
    let mut rows: Vec<(&String, &Vec<f64>)> = now
        .runtimes
        .iter()
        .map(|(name, (d, _))| (name, d))
        .collect();
    if let Some(wanted) = &args.runtimes {
        for name in wanted {
            if !now.runtimes.contains_key(name) {
                let error = FigureError::at(
                    lines.value("runtimes", name),
                    format!("no runtime `{name}` in {}", args.data),
                );
                return Err(error.help(args::valid("runtimes", now.runtimes.keys())));
            }
        }
        rows.retain(|(name, _)| wanted.contains(name));
    }
    rows.sort_by(|a, b| median(a.1).total_cmp(&median(b.1)).then(a.0.cmp(b.0)));
    Ok(rows)
}

/// The table of `rows`, its bars scaled to the slowest duration shown, with the older median
/// and the change when there is a snapshot to compare with.
fn table(rows: &[(&String, &Vec<f64>)], before: Option<&Measured>) -> String {
    let scale = rows
        .iter()
        .filter_map(|(_, d)| d.last())
        .copied()
        .fold(1.0, f64::max);
    let mut html = format!(
        "{}<table class=\"be-table\"><thead><tr><th scope=\"col\">Runtime</th><th scope=\"col\">Median init</th><th scope=\"col\">Range</th><th scope=\"col\"><span class=\"be-visually-hidden\">Bar</span></th>",
        table_wrap("Cold-start table")
    );
    if let Some(before) = before {
        html.push_str(&format!(
            "<th scope=\"col\">Median on {}</th><th scope=\"col\">Change</th>",
            escape(&before.date)
        ));
    }
    html.push_str("</tr></thead><tbody>");
    for (name, durations) in rows {
        html.push_str(&row(name, durations, scale, before));
    }
    html.push_str("</tbody></table></div>");
    html
}

fn row(name: &str, durations: &[f64], scale: f64, before: Option<&Measured>) -> String {
    let m = median(durations);
    let (low, high) = (
        durations.first().copied().unwrap_or(m),
        durations.last().copied().unwrap_or(m),
    );
    let mut html = format!(
        "<tr><th scope=\"row\">{}</th><td data-value=\"{}\">{}</td><td data-min=\"{}\" data-max=\"{}\">{}–{}</td><td class=\"be-bar-cell\">{}</td>",
        escape(name),
        exact(m),
        ms(m),
        exact(low),
        exact(high),
        ms(low).trim_end_matches(" ms"),
        ms(high),
        bar(durations, scale),
    );
    if let Some(before) = before {
        match before.runtimes.get(name) {
            Some((old, _)) => {
                let old_median = median(old);
                html.push_str(&format!(
                    "<td data-value=\"{}\">{}</td>",
                    exact(old_median),
                    ms(old_median)
                ));
                html.push_str(&format!(
                    "<td data-value=\"{}\">{}</td>",
                    exact(m - old_median),
                    ms_change(old_median, m)
                ));
            }
            None => html.push_str(
                "<td class=\"be-missing\">not measured</td><td class=\"be-missing\">—</td>",
            ),
        }
    }
    html.push_str("</tr>");
    html
}

fn caption(
    args: &Args,
    config: &Config,
    now: &Measured,
    before: Option<&Measured>,
    shown: usize,
) -> String {
    let user = args
        .caption
        .as_deref()
        .map(|c| format!("{} ", escape(c)))
        .unwrap_or_default();
    let compared = match before {
        Some(b) => {
            let gone = b
                .runtimes
                .keys()
                .filter(|k| !now.runtimes.contains_key(*k))
                .count();
            let gone = if gone > 0 {
                format!(" ({gone} runtimes measured then are no longer measured and not shown)")
            } else {
                String::new()
            };
            format!(", compared with {}{gone}", escape(&b.date))
        }
        None => String::new(),
    };
    format!(
        "<figcaption>{user}Init duration of a hello-world function, {} runtimes at {} MB, {}, {} package, fastest first: median and range of the cold starts measured on {}{compared}. The bar shows the median, the line the range. Init duration leaves out sandbox creation and code download, and a real function loads more code: treat these as floors. Source: <a href=\"https://github.com/maxday/lambda-perf\">lambda-perf</a> (Apache-2.0).</figcaption>",
        shown,
        config.memory_mb,
        escape(config.architecture),
        escape(config.package),
        escape(&now.date),
    )
}

#[cfg(test)]
mod tests {
    use crate::figures::tests::block;

    #[test]
    fn cold_start_snapshot() {
        let body = "data: lambda-perf/2026-08-22.json\nmemory_mb: 512\narchitecture: x86_64\ncompare: lambda-perf/2023-08-01.json\nruntimes: [python3.13, nodejs20.x, java17, \"rust (prov.al2)\", dotnet8]\n";
        insta::assert_snapshot!(block("cold-starts", body).html.replace("><", ">\n<"));
    }

    #[test]
    fn reads_the_old_schema_without_architecture() {
        // 2022-10-01 predates display names and architectures: ids stand in, x86_64 assumed.
        let html = block(
            "cold-starts",
            "data: lambda-perf/2022-10-01.json\nmemory_mb: 128\n",
        )
        .html;
        assert!(html.contains("<th scope=\"row\">rust_on_provided_al2</th>"));
        assert!(html.contains("measured on 2022-10-01"));
    }
}
