//! A small SVG writer for log–log line charts: decade ticks ($1, $10, $100, $1k; 0.1, 1, 10),
//! one polyline per series, break-even markers and a vertical guide with labels placed clear of
//! every line and point, and an HTML legend. Each chart is drawn twice, a wide and a narrow
//! layout, so its text stays readable on a phone; the site's CSS shows the one that fits. Colours
//! come from CSS custom properties with fallbacks, so a site's light and dark themes restyle it;
//! every number is formatted to one decimal, so identical input gives identical bytes.

use super::format::{coord, escape, sig3};
use super::place::{self, Obstacles, Placed, Rect};
use std::fmt::Write;

/// Okabe–Ito colours, distinguishable with common colour-vision deficiencies; fallbacks only.
const PALETTE: [&str; 6] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
];
/// Dash patterns, so series differ by more than colour.
const DASHES: [&str; 6] = ["", "7 4", "2 3", "9 3 2 3", "4 2", "1 2"];
/// Radius of a break-even marker.
const MARKER_R: f64 = 4.5;

/// The size of one drawing of a chart, in viewBox units.
#[derive(Clone, Copy)]
pub struct Layout {
    /// Class suffix: `be-chart-wide`, `be-chart-narrow`.
    pub name: &'static str,
    pub width: f64,
    /// Font size of every text.
    pub font: f64,
    /// The plot area inside the axes.
    pub plot: Rect,
}

/// For figures at least 34rem wide: 13-unit text stays ≥ 11 px from 510 px up.
pub const WIDE: Layout = Layout {
    name: "wide",
    width: 600.0,
    font: 13.0,
    plot: Rect {
        left: 52.0,
        top: 26.0,
        right: 586.0,
        bottom: 300.0,
    },
};

/// For phones: 12-unit text stays ≥ 11 px from 294 px up (a 360 px screen gives the figure 336).
pub const NARROW: Layout = Layout {
    name: "narrow",
    width: 320.0,
    font: 12.0,
    plot: Rect {
        left: 46.0,
        top: 24.0,
        right: 310.0,
        bottom: 214.0,
    },
};

// site.css shows the narrow layout below a 34rem (544 px) chart; a 360 px phone gives the chart
// at least 294 px. Text must stay at 11 CSS px or more in both, which the build checks here.
const _: () = assert!(NARROW.font * 294.0 / NARROW.width >= 11.0);
const _: () = assert!(WIDE.font * 510.0 / WIDE.width >= 11.0);

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

/// A labelled point where two series meet (a break-even).
pub struct Marker {
    /// Position in data units.
    pub x: f64,
    /// Position in data units.
    pub y: f64,
    /// Label text.
    pub label: String,
    /// The two series (indexes into `Chart::series`) that meet here.
    pub pair: (usize, usize),
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

    /// Decade ticks, thinned so labels `room` units apart fit along `length` units.
    fn ticks(&self, length: f64, room: f64) -> Vec<f64> {
        let (low, high) = (
            self.min.log10().ceil() as i32,
            self.max.log10().floor() as i32,
        );
        let decade = length / (self.max.log10() - self.min.log10()).max(1e-9);
        let every = ((room / decade).ceil() as i32).max(1);
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

/// One chart drawn in one layout.
struct Frame<'a> {
    chart: &'a Chart,
    layout: Layout,
}

impl Frame<'_> {
    fn px(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let p = &self.layout.plot;
        (
            p.left + self.chart.x.fraction(x) * (p.right - p.left),
            p.bottom - self.chart.y.fraction(y) * (p.bottom - p.top),
        )
    }

    fn height(&self) -> f64 {
        self.layout.plot.bottom + 3.0 * self.layout.font
    }

    /// Each series as viewBox points, rounded as they are written.
    fn lines(&self) -> Vec<Vec<(f64, f64)>> {
        let round = |v: f64| coord(v).parse::<f64>().unwrap_or(v);
        self.chart
            .series
            .iter()
            .map(|s| {
                let points = s.points.iter().map(|p| self.px(*p));
                simplify(points.map(|(x, y)| (round(x), round(y))).collect())
            })
            .collect()
    }
}

/// Points without repeats and without middle points of straight horizontal or vertical runs.
fn simplify(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
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

const TEXT: &str = "fill=\"currentColor\" style=\"fill:var(--be-text,currentColor)\"";

fn axes(out: &mut String, f: &Frame) {
    let (p, font) = (f.layout.plot, f.layout.font);
    out.push_str("<g class=\"be-grid\" stroke=\"currentColor\" style=\"stroke:var(--be-grid,currentColor)\" stroke-opacity=\"0.15\">");
    let mut labels = String::new();
    let widest = |axis: &Axis| axis.tick_label(axis.max).chars().count().max(4) as f64;
    let x_room = place::text_width("0", font) * widest(&f.chart.x) + font;
    for tick in f.chart.x.ticks(p.right - p.left, x_room) {
        let x = coord(f.px((tick, f.chart.y.min)).0);
        let (t, b) = (coord(p.top), coord(p.bottom));
        let _ = write!(out, "<line x1=\"{x}\" y1=\"{t}\" x2=\"{x}\" y2=\"{b}\"/>");
        let _ = write!(
            labels,
            "<text class=\"be-tick\" {TEXT} x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            coord(p.bottom + 1.3 * font),
            f.chart.x.tick_label(tick)
        );
    }
    for tick in f.chart.y.ticks(p.bottom - p.top, 1.6 * font) {
        let y = coord(f.px((f.chart.x.min, tick)).1);
        let (l, r) = (coord(p.left), coord(p.right));
        let _ = write!(out, "<line x1=\"{l}\" y1=\"{y}\" x2=\"{r}\" y2=\"{y}\"/>");
        let _ = write!(
            labels,
            "<text class=\"be-tick\" {TEXT} x=\"{}\" y=\"{y}\" dy=\"0.35em\" text-anchor=\"end\">{}</text>",
            coord(p.left - 6.0),
            f.chart.y.tick_label(tick)
        );
    }
    out.push_str("</g>");
    let _ = write!(
        out,
        "<path class=\"be-axis\" stroke=\"currentColor\" style=\"stroke:var(--be-axis,currentColor)\" fill=\"none\" d=\"M{l} {t}V{b}H{r}\"/>",
        l = coord(p.left),
        t = coord(p.top),
        b = coord(p.bottom),
        r = coord(p.right)
    );
    out.push_str(&labels);
    let _ = write!(
        out,
        "<text class=\"be-axis-title\" {TEXT} x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        coord((p.left + p.right) / 2.0),
        coord(p.bottom + 2.6 * font),
        escape(&f.chart.x.label)
    );
    // The y title sits above the axis, level, so it needs no room beside the tick labels.
    let _ = write!(
        out,
        "<text class=\"be-axis-title\" {TEXT} x=\"2\" y=\"{}\">{}</text>",
        coord(p.top - 0.8 * font),
        escape(&f.chart.y.label)
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

/// The class, colour and dash attributes shared by a series' line and its legend key.
fn series_style(i: usize) -> String {
    let n = i % PALETTE.len();
    format!(
        "class=\"be-series be-series-{k}\" stroke=\"{c}\" style=\"stroke:var(--be-series-{k},{c})\" fill=\"none\" stroke-width=\"2.25\"{dash}",
        k = n + 1,
        c = PALETTE[n],
        dash = dash_attribute(n),
    )
}

fn series(out: &mut String, lines: &[Vec<(f64, f64)>]) {
    for (i, line) in lines.iter().enumerate() {
        let list: Vec<String> = line
            .iter()
            .map(|(x, y)| format!("{},{}", coord(*x), coord(*y)))
            .collect();
        let _ = write!(
            out,
            "<polyline {} stroke-linejoin=\"round\" points=\"{}\"/>",
            series_style(i),
            list.join(" ")
        );
    }
}

const BREAKEVEN: &str = "var(--be-breakeven,currentColor)";

/// A label with a halo in the background colour, so it stays readable over the grid.
fn label(out: &mut String, class: &str, colour: &str, placed: &Placed, text: &str) {
    if let Some((from, to)) = placed.leader {
        let _ = write!(
            out,
            "<line class=\"be-leader\" stroke=\"currentColor\" style=\"stroke:{colour}\" stroke-width=\"1\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            coord(from.0),
            coord(from.1),
            coord(to.0),
            coord(to.1)
        );
    }
    let style =
        format!("fill:{colour};stroke:var(--be-bg,Canvas);stroke-width:3px;paint-order:stroke");
    let _ = write!(
        out,
        "<text class=\"{class}\" fill=\"currentColor\" style=\"{style}\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        coord(placed.at.0),
        coord(placed.at.1),
        escape(text)
    );
}

/// The guide, the markers and their labels, each label where it covers nothing else.
fn marks(out: &mut String, f: &Frame, lines: &[Vec<(f64, f64)>]) {
    let (area, font) = (f.layout.plot, f.layout.font);
    let mut obstacles = Obstacles::default();
    for line in lines {
        obstacles
            .segments
            .extend(line.windows(2).map(|w| (w[0], w[1])));
    }
    let guide_x = f
        .chart
        .guide
        .as_ref()
        .map(|(at, _)| f.px((*at, f.chart.y.min)).0);
    if let Some(x) = guide_x {
        let _ = write!(
            out,
            "<line class=\"be-guide\" stroke=\"currentColor\" style=\"stroke:var(--be-guide,currentColor)\" stroke-opacity=\"0.7\" stroke-dasharray=\"2 3\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            coord(area.top),
            coord(area.bottom),
            x = coord(x)
        );
        obstacles.segments.push(((x, area.top), (x, area.bottom)));
    }
    let points: Vec<(f64, f64)> = f.chart.markers.iter().map(|m| f.px((m.x, m.y))).collect();
    for (x, y) in &points {
        obstacles.boxes.push(Rect {
            left: x - MARKER_R,
            top: y - MARKER_R,
            right: x + MARKER_R,
            bottom: y + MARKER_R,
        });
    }
    let mut labels = String::new();
    let wanted: Vec<((f64, f64), &str)> = points
        .iter()
        .zip(&f.chart.markers)
        .map(|(p, m)| (*p, m.label.as_str()))
        .collect();
    let placed = place::near_points(&wanted, font, &area, &mut obstacles);
    for (m, placed) in f.chart.markers.iter().zip(placed) {
        if let Some(placed) = placed {
            label(
                &mut labels,
                "be-breakeven-label",
                BREAKEVEN,
                &placed,
                &m.label,
            );
        }
    }
    if let (Some(x), Some((_, text))) = (guide_x, &f.chart.guide)
        && let Some(placed) = place::beside_line(x, text, font, &area, &mut obstacles)
    {
        label(
            &mut labels,
            "be-guide-label",
            "var(--be-text,currentColor)",
            &placed,
            text,
        );
    }
    for (x, y) in &points {
        let _ = write!(
            out,
            "<circle class=\"be-breakeven\" fill=\"currentColor\" style=\"fill:{BREAKEVEN};stroke:var(--be-bg,Canvas)\" stroke-width=\"1.5\" cx=\"{}\" cy=\"{}\" r=\"{MARKER_R}\"/>",
            coord(*x),
            coord(*y)
        );
    }
    out.push_str(&labels);
}

/// A short deterministic id (FNV-1a of the title and description) for aria references.
fn chart_id(chart: &Chart) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in chart.title.bytes().chain(chart.desc.bytes()) {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    format!("be-chart-{hash:08x}")
}

/// The chart as one inline `<svg>` element in `layout`.
fn svg(chart: &Chart, layout: Layout) -> String {
    let f = Frame { chart, layout };
    let id = format!("{}-{}", chart_id(chart), layout.name);
    let mut out = format!(
        "<svg class=\"be-chart be-chart-{}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" font-size=\"{}\" style=\"width:100%;height:auto;font-family:inherit\">",
        layout.name,
        coord(layout.width),
        coord(f.height()),
        coord(layout.font),
    );
    let _ = write!(
        out,
        "<title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(&chart.title),
        escape(&chart.desc)
    );
    let lines = f.lines();
    axes(&mut out, &f);
    series(&mut out, &lines);
    marks(&mut out, &f, &lines);
    out.push_str("</svg>");
    out
}

/// A small legend key: a stretch of line, or a marker.
fn key(shape: &str) -> String {
    format!(
        "<svg class=\"be-key\" viewBox=\"0 0 28 10\" width=\"28\" height=\"10\" aria-hidden=\"true\">{shape}</svg>"
    )
}

/// The legend in HTML, so it wraps and scales with the page's text: the series, each break-even
/// with the pair of series it belongs to, and the guide.
fn legend(chart: &Chart) -> String {
    let mut out = String::from("<ul class=\"be-legend\">");
    for (i, s) in chart.series.iter().enumerate() {
        let line = format!(
            "<line {} x1=\"1\" y1=\"5\" x2=\"27\" y2=\"5\"/>",
            series_style(i)
        );
        let _ = write!(out, "<li>{}{}</li>", key(&line), escape(&s.name));
    }
    let name = |i: usize| chart.series.get(i).map_or("", |s| s.name.as_str());
    for m in &chart.markers {
        let dot = format!(
            "<circle class=\"be-breakeven\" fill=\"currentColor\" style=\"fill:{BREAKEVEN}\" cx=\"14\" cy=\"5\" r=\"{MARKER_R}\"/>"
        );
        let _ = write!(
            out,
            "<li class=\"be-legend-breakeven\">{}<span class=\"be-breakeven-key\">{}</span>: {} and {} break even</li>",
            key(&dot),
            escape(&m.label),
            escape(name(m.pair.0)),
            escape(name(m.pair.1))
        );
    }
    if let Some((_, text)) = &chart.guide {
        let line = "<line class=\"be-guide\" stroke=\"currentColor\" stroke-dasharray=\"2 3\" x1=\"14\" y1=\"0\" x2=\"14\" y2=\"10\"/>";
        let _ = write!(out, "<li>{}{}</li>", key(line), escape(text));
    }
    out.push_str("</ul>");
    out
}

/// The chart in both layouts and its legend.
pub fn render(chart: &Chart) -> String {
    format!(
        "<div class=\"be-chart-box\">{}{}{}</div>",
        svg(chart, WIDE),
        svg(chart, NARROW),
        legend(chart)
    )
}

#[cfg(test)]
#[path = "chart_tests.rs"]
mod tests;
