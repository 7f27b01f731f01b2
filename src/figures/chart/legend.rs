//! The chart's legend, in HTML beside the SVG so it wraps and scales with the page's text.

use super::series::series_style;
use super::{BREAKEVEN, Chart, MARKER_R};
use crate::figures::format::escape;
use std::fmt::Write;

/// A small legend key: a stretch of line, or a marker.
fn key(shape: &str) -> String {
    format!(
        "<svg class=\"be-key\" viewBox=\"0 0 28 10\" width=\"28\" height=\"10\" aria-hidden=\"true\">{shape}</svg>"
    )
}

/// The legend in HTML, so it wraps and scales with the page's text: the series, each break-even
/// with the pair of series it belongs to, and the guide.
pub(super) fn legend(chart: &Chart) -> String {
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
