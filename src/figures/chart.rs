//! A small SVG writer for log–log line charts: decade ticks ($1, $10, $100, $1k; 0.1, 1, 10),
//! one polyline per series, labelled markers and vertical guides, a legend. Colours come from CSS
//! custom properties with fallbacks, so a site's light and dark themes restyle it; every number is
//! formatted to one decimal, so identical input gives identical bytes.

use super::format::{coord, escape, sig3};
use std::fmt::Write;

/// Width of the viewBox; the chart scales to its container (360–1200 px) from there.
const WIDTH: f64 = 480.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = WIDTH - 14.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 244.0;
const LEGEND_TOP: f64 = 300.0;
const LEGEND_ROW: f64 = 20.0;
/// Okabe–Ito colours, distinguishable with common colour-vision deficiencies; fallbacks only.
const PALETTE: [&str; 6] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
];
/// Dash patterns, so series differ by more than colour.
const DASHES: [&str; 6] = ["", "7 4", "2 3", "9 3 2 3", "4 2", "1 2"];

/// A logarithmic axis.
pub struct Axis {
    /// Lowest value shown (> 0).
    pub min: f64,
    /// Highest value shown (> min).
    pub max: f64,
    /// Axis title.
    pub label: String,
    /// Tick label prefix, e.g. "$".
    pub prefix: &'static str,
}

/// A line through data points (x ascending).
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Points in data units.
    pub points: Vec<(f64, f64)>,
}

/// A labelled point (a break-even).
pub struct Marker {
    /// Position in data units.
    pub x: f64,
    /// Position in data units.
    pub y: f64,
    /// Label text.
    pub label: String,
}

/// Everything a chart shows.
pub struct Chart {
    /// `<title>`.
    pub title: String,
    /// `<desc>`: the chart in words.
    pub desc: String,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// Lines.
    pub series: Vec<Series>,
    /// Labelled points.
    pub markers: Vec<Marker>,
    /// A labelled vertical line (the scenario's rate).
    pub guide: Option<(f64, String)>,
}

impl Axis {
    fn fraction(&self, value: f64) -> f64 {
        let clamped = value.clamp(self.min, self.max);
        (clamped.log10() - self.min.log10()) / (self.max.log10() - self.min.log10())
    }

    /// Decade ticks, thinned to at most eight labels.
    fn ticks(&self) -> Vec<f64> {
        let (low, high) = (
            self.min.log10().ceil() as i32,
            self.max.log10().floor() as i32,
        );
        let every = if high - low >= 8 { 2 } else { 1 };
        (low..=high)
            .filter(|e| (e - low) % every == 0)
            .map(|e| 10f64.powi(e))
            .collect()
    }

    fn tick_label(&self, value: f64) -> String {
        let (scaled, suffix) = match value {
            v if v >= 1e9 => (v / 1e9, "B"),
            v if v >= 1e6 => (v / 1e6, "M"),
            v if v >= 1e3 => (v / 1e3, "k"),
            v => (v, ""),
        };
        format!("{}{}{suffix}", self.prefix, sig3(scaled))
    }
}

fn px(chart: &Chart, (x, y): (f64, f64)) -> (String, String) {
    let px = LEFT + chart.x.fraction(x) * (RIGHT - LEFT);
    let py = BOTTOM - chart.y.fraction(y) * (BOTTOM - TOP);
    (coord(px), coord(py))
}

/// Pixel points without repeats and without middle points of straight horizontal or vertical runs.
fn simplify(points: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(points.len());
    for point in points {
        if out.last() == Some(&point) {
            continue;
        }
        if let [.., a, b] = out.as_slice()
            && ((a.0 == b.0 && b.0 == point.0) || (a.1 == b.1 && b.1 == point.1))
        {
            out.pop();
        }
        out.push(point);
    }
    out
}

fn axes(out: &mut String, chart: &Chart) {
    out.push_str("<g class=\"be-grid\" stroke=\"currentColor\" style=\"stroke:var(--be-grid,currentColor)\" stroke-opacity=\"0.15\">");
    let text = "class=\"be-tick\" fill=\"currentColor\" style=\"fill:var(--be-text,currentColor)\"";
    let mut labels = String::new();
    for tick in chart.x.ticks() {
        let (x, _) = px(chart, (tick, chart.y.min));
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            coord(TOP),
            coord(BOTTOM)
        );
        let _ = write!(
            labels,
            "<text {text} x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            coord(BOTTOM + 18.0),
            chart.x.tick_label(tick)
        );
    }
    for tick in chart.y.ticks() {
        let (_, y) = px(chart, (chart.x.min, tick));
        let _ = write!(
            out,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
            coord(LEFT),
            coord(RIGHT)
        );
        let _ = write!(
            labels,
            "<text {text} x=\"{}\" y=\"{y}\" dy=\"0.35em\" text-anchor=\"end\">{}</text>",
            coord(LEFT - 6.0),
            chart.y.tick_label(tick)
        );
    }
    out.push_str("</g>");
    let axis = "class=\"be-axis\" stroke=\"currentColor\" style=\"stroke:var(--be-axis,currentColor)\" fill=\"none\"";
    let _ = write!(
        out,
        "<path {axis} d=\"M{l} {t}V{b}H{r}\"/>",
        l = coord(LEFT),
        t = coord(TOP),
        b = coord(BOTTOM),
        r = coord(RIGHT)
    );
    out.push_str(&labels);
    let title =
        "class=\"be-axis-title\" fill=\"currentColor\" style=\"fill:var(--be-text,currentColor)\"";
    let _ = write!(
        out,
        "<text {title} x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        coord((LEFT + RIGHT) / 2.0),
        coord(BOTTOM + 36.0),
        escape(&chart.x.label)
    );
    let middle = coord((TOP + BOTTOM) / 2.0);
    let _ = write!(
        out,
        "<text {title} x=\"14\" y=\"{middle}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {middle})\">{}</text>",
        escape(&chart.y.label)
    );
}

/// The dash pattern of series `n`, so lines stay apart without colour.
fn dash_attribute(n: usize) -> String {
    if DASHES[n].is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{}\"", DASHES[n])
    }
}

fn series(out: &mut String, chart: &Chart) {
    for (i, s) in chart.series.iter().enumerate() {
        let points = simplify(s.points.iter().map(|p| px(chart, *p)).collect());
        let list: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
        let n = i % PALETTE.len();
        let dash = dash_attribute(n);
        let _ = write!(
            out,
            "<polyline class=\"be-series be-series-{k}\" stroke=\"{color}\" style=\"stroke:var(--be-series-{k},{color})\" fill=\"none\" stroke-width=\"2.25\" stroke-linejoin=\"round\"{dash} points=\"{}\"/>",
            list.join(" "),
            k = n + 1,
            color = PALETTE[n],
        );
    }
}

/// A label with a halo in the background colour, so it stays readable over lines.
fn label(out: &mut String, class: &str, (x, y): (f64, f64), anchor: &str, text: &str) {
    let style = "fill:var(--be-text,currentColor);stroke:var(--be-bg,Canvas);stroke-width:3px;paint-order:stroke";
    let _ = write!(
        out,
        "<text class=\"{class}\" fill=\"currentColor\" style=\"{style}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
        coord(x),
        coord(y),
        escape(text)
    );
}

fn marks(out: &mut String, chart: &Chart) {
    if let Some((at, text)) = &chart.guide {
        let (x, _) = px(chart, (*at, chart.y.min));
        let _ = write!(
            out,
            "<line class=\"be-guide\" stroke=\"currentColor\" style=\"stroke:var(--be-guide,currentColor)\" stroke-opacity=\"0.6\" stroke-dasharray=\"2 3\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            coord(TOP),
            coord(BOTTOM)
        );
        let right_half = chart.x.fraction(*at) > 0.5;
        let (dx, anchor) = if right_half {
            (-4.0, "end")
        } else {
            (4.0, "start")
        };
        label(
            out,
            "be-guide-label",
            (x.parse::<f64>().unwrap_or(LEFT) + dx, BOTTOM - 6.0),
            anchor,
            text,
        );
    }
    let mut taken: Vec<Boxed> = Vec::new();
    for m in &chart.markers {
        let (x, y) = px(chart, (m.x, m.y));
        let (fx, fy) = (
            x.parse::<f64>().unwrap_or(LEFT),
            y.parse::<f64>().unwrap_or(BOTTOM),
        );
        taken.push(Boxed {
            left: fx - 5.0,
            right: fx + 5.0,
            top: fy - 5.0,
            bottom: fy + 5.0,
        });
    }
    for m in &chart.markers {
        let (x, y) = px(chart, (m.x, m.y));
        let _ = write!(
            out,
            "<circle class=\"be-marker\" fill=\"currentColor\" style=\"fill:var(--be-marker,currentColor);stroke:var(--be-bg,Canvas)\" stroke-width=\"1.5\" cx=\"{x}\" cy=\"{y}\" r=\"4.5\"/>"
        );
        let point = (
            x.parse::<f64>().unwrap_or(LEFT),
            y.parse::<f64>().unwrap_or(BOTTOM),
        );
        let (at, anchor, area) = place_label(point, &m.label, &taken);
        taken.push(area);
        label(out, "be-marker-label", at, anchor, &m.label);
    }
}

/// A label's or marker's rough extent in viewBox units.
struct Boxed {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Boxed {
    fn overlaps(&self, other: &Boxed) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }
}

/// The first spot around a point (above-left, below-right, above-right, below-left, then further
/// out) where its label overlaps no marker or earlier label and stays inside the plot.
fn place_label(
    (x, y): (f64, f64),
    text: &str,
    taken: &[Boxed],
) -> ((f64, f64), &'static str, Boxed) {
    // About 7 units per character at font-size 13; a guess is enough to keep labels apart.
    let width = 7.0 * text.chars().count() as f64;
    let mut candidates = Vec::new();
    for step in [0.0, 16.0, 32.0] {
        for (dx, dy) in [
            (-8.0, -9.0 - step),
            (8.0, 17.0 + step),
            (8.0, -9.0 - step),
            (-8.0, 17.0 + step),
        ] {
            candidates.push((dx, dy));
        }
    }
    let area = |(dx, dy): (f64, f64)| {
        let left = if dx < 0.0 { x + dx - width } else { x + dx };
        Boxed {
            left,
            right: left + width,
            top: y + dy - 11.0,
            bottom: y + dy + 3.0,
        }
    };
    let inside =
        |b: &Boxed| b.left >= LEFT && b.right <= RIGHT && b.top >= TOP && b.bottom <= BOTTOM;
    let free = |b: &Boxed| inside(b) && !taken.iter().any(|t| t.overlaps(b));
    let chosen = candidates
        .iter()
        .copied()
        .find(|c| free(&area(*c)))
        .unwrap_or((-8.0, -9.0));
    let anchor = if chosen.0 < 0.0 { "end" } else { "start" };
    ((x + chosen.0, y + chosen.1), anchor, area(chosen))
}
fn legend(out: &mut String, chart: &Chart) {
    out.push_str("<g class=\"be-legend\">");
    let column = (RIGHT - LEFT) / 2.0;
    for (i, s) in chart.series.iter().enumerate() {
        let x = LEFT + column * (i % 2) as f64;
        let y = LEGEND_TOP + LEGEND_ROW * (i / 2) as f64;
        let n = i % PALETTE.len();
        let dash = dash_attribute(n);
        let _ = write!(
            out,
            "<line class=\"be-series be-series-{k}\" stroke=\"{c}\" style=\"stroke:var(--be-series-{k},{c})\" stroke-width=\"2.25\"{dash} x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/><text class=\"be-legend-label\" fill=\"currentColor\" style=\"fill:var(--be-text,currentColor)\" x=\"{}\" y=\"{y}\" dy=\"0.35em\">{}</text>",
            coord(x),
            coord(x + 24.0),
            coord(x + 30.0),
            escape(&s.name),
            k = n + 1,
            c = PALETTE[n],
            y = coord(y),
        );
    }
    out.push_str("</g>");
}

/// A short deterministic id (FNV-1a of the title and description) for aria references.
fn chart_id(chart: &Chart) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in chart.title.bytes().chain(chart.desc.bytes()) {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    format!("be-chart-{hash:08x}")
}

/// The chart as an inline `<svg>` element.
pub fn render(chart: &Chart) -> String {
    let rows = chart.series.len().div_ceil(2).max(1) as f64;
    let height = LEGEND_TOP + LEGEND_ROW * rows - 6.0;
    let id = chart_id(chart);
    let mut out = format!(
        "<svg class=\"be-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" font-size=\"13\" style=\"width:100%;height:auto;max-width:var(--be-chart-max-width,48rem);font-family:inherit\">",
        coord(WIDTH),
        coord(height),
    );
    let _ = write!(
        out,
        "<title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(&chart.title),
        escape(&chart.desc)
    );
    axes(&mut out, chart);
    series(&mut out, chart);
    marks(&mut out, chart);
    legend(&mut out, chart);
    out.push_str("</svg>");
    out
}
