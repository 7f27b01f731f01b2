//! The grid, tick labels and axis titles of a chart: the frame every line and mark is read
//! against, kept apart from what is drawn inside it.

use super::{Axis, Frame};
use crate::figures::format::{coord, escape};
use crate::figures::place;
use std::fmt::Write;

const TEXT: &str = "fill=\"currentColor\" style=\"fill:var(--be-text,currentColor)\"";
/// The grid lines at each decade tick, the axis lines, the tick labels and both axis titles.
pub(super) fn axes(out: &mut String, f: &Frame) {
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
