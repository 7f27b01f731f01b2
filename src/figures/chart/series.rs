//! How each series is drawn: its colour and dash (shared with its legend key) and its polyline,
//! with the points reduced to those that change the line.

use crate::figures::format::coord;
use std::fmt::Write;

/// Okabe–Ito colours, distinguishable with common colour-vision deficiencies; fallbacks only.
const PALETTE: [&str; 6] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
];
/// Dash patterns, so series differ by more than colour.
const DASHES: [&str; 6] = ["", "7 4", "2 3", "9 3 2 3", "4 2", "1 2"];

/// Points without repeats and without middle points of straight horizontal or vertical runs.
pub(super) fn simplify(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
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

/// The dash pattern of series `n`, so lines stay apart without colour.
fn dash_attribute(n: usize) -> String {
    if DASHES[n].is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{}\"", DASHES[n])
    }
}

/// The class, colour and dash attributes shared by a series' line and its legend key.
pub(super) fn series_style(i: usize) -> String {
    let n = i % PALETTE.len();
    format!(
        "class=\"be-series be-series-{k}\" stroke=\"{c}\" style=\"stroke:var(--be-series-{k},{c})\" fill=\"none\" stroke-width=\"2.25\"{dash}",
        k = n + 1,
        c = PALETTE[n],
        dash = dash_attribute(n),
    )
}

pub(super) fn series(out: &mut String, lines: &[Vec<(f64, f64)>]) {
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
