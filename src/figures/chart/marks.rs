//! The marks drawn over the lines (the scenario's guide and the break-even markers) and their
//! labels, each placed where it covers no line, point or other label.

use super::{BREAKEVEN, Frame, MARKER_R};
use crate::figures::format::{coord, escape};
use crate::figures::place::{self, Obstacles, Placed, Rect};
use std::fmt::Write;

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
pub(super) fn marks(out: &mut String, f: &Frame, lines: &[Vec<(f64, f64)>]) {
    let area = f.layout.plot;
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
        guide_line(out, f, x);
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
    let mut labels = marker_labels(f, &points, &mut obstacles);
    if let (Some(x), Some((_, text))) = (guide_x, &f.chart.guide)
        && let Some(placed) = place::beside_line(x, text, f.layout.font, &area, &mut obstacles)
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

/// The dashed vertical line at the guide's `x`, across the whole plot.
fn guide_line(out: &mut String, f: &Frame, x: f64) {
    let area = f.layout.plot;
    let _ = write!(
        out,
        "<line class=\"be-guide\" stroke=\"currentColor\" style=\"stroke:var(--be-guide,currentColor)\" stroke-opacity=\"0.7\" stroke-dasharray=\"2 3\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
        coord(area.top),
        coord(area.bottom),
        x = coord(x)
    );
}

/// The label of each marker at `points` that finds a free place (each placed label becomes an
/// obstacle for the next).
fn marker_labels(f: &Frame, points: &[(f64, f64)], obstacles: &mut Obstacles) -> String {
    let mut labels = String::new();
    let wanted: Vec<((f64, f64), &str)> = points
        .iter()
        .zip(&f.chart.markers)
        .map(|(p, m)| (*p, m.label.as_str()))
        .collect();
    let placed = place::near_points(&wanted, f.layout.font, &f.layout.plot, obstacles);
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
    labels
}
