//! A small SVG writer for log–log line charts: decade ticks ($1, $10, $100, $1k; 0.1, 1, 10),
//! one polyline per series, break-even markers and a vertical guide with labels placed clear of
//! every line and point, and an HTML legend. Each chart is drawn twice, a wide and a narrow
//! layout, so its text stays readable on a phone; the site's CSS shows the one that fits. Colours
//! come from CSS custom properties with fallbacks, so a site's light and dark themes restyle it;
//! every number is formatted to one decimal, so identical input gives identical bytes.

mod axes;
mod legend;
mod marks;
mod series;

use super::format::{coord, escape, sig3};
use super::place::Rect;
use std::fmt::Write;

/// Radius of a break-even marker.
const MARKER_R: f64 = 4.5;
/// The colour of break-even markers and their labels, in the chart and its legend.
const BREAKEVEN: &str = "var(--be-breakeven,currentColor)";

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
                series::simplify(points.map(|(x, y)| (round(x), round(y))).collect())
            })
            .collect()
    }
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
    axes::axes(&mut out, &f);
    series::series(&mut out, &lines);
    marks::marks(&mut out, &f, &lines);
    out.push_str("</svg>");
    out
}

/// The chart in both layouts and its legend.
pub fn render(chart: &Chart) -> String {
    format!(
        "<div class=\"be-chart-box\">{}{}{}</div>",
        svg(chart, WIDE),
        svg(chart, NARROW),
        legend::legend(chart)
    )
}

#[cfg(test)]
mod tests;
