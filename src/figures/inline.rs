//! Inline values: a code span `=name args…` becomes one formatted number in a `<span>` with its
//! exact value in `data-value` and how it was computed in `title`. Arguments are separated by
//! spaces; a runtime name with spaces goes in double quotes.
//!
//! This file reads the words and dispatches on the value's name; `costs` computes the values
//! that run the cost model, `inputs` those read straight from a scenario or a measurement.

#![deny(clippy::indexing_slicing)]

mod costs;
mod inputs;

use super::describe::value_span;
use super::{Context, FigureError, args};
use costs::{breakeven_value, cost_value, instances_value, price_value, ratio_value};
use inputs::{cold_start_value, scenario_value};

/// Inline value names with their arguments, for help texts.
const USAGE: &[(&str, &str)] = &[
    ("breakeven", "=breakeven <scenario> <offer> <offer>"),
    (
        "cold-start",
        "=cold-start <file> <runtime> <memory_mb> [x86_64|arm64] [median|min|max|first-invoke]",
    ),
    ("concurrency", "=concurrency <scenario>"),
    (
        "cost",
        "=cost <scenario> <offer> [total|requests|compute|gateway|cpu|fee|instances]",
    ),
    ("function", "=function <scenario>"),
    ("instances", "=instances <scenario> <offer>"),
    ("peak", "=peak <scenario>"),
    ("price", "=price <offer>"),
    ("rate", "=rate <scenario>"),
    ("ratio", "=ratio <scenario> <offer or USD> <offer or USD>"),
    ("requests", "=requests <scenario> [month|day]"),
];

/// The inline value names.
pub const NAMES: &[&str] = &[
    "breakeven",
    "cold-start",
    "concurrency",
    "cost",
    "function",
    "instances",
    "peak",
    "price",
    "rate",
    "ratio",
    "requests",
];

/// Whether a code span asks for an inline value: `=` and a lowercase name that is a value's, or
/// close enough to one to be a typo (an error, not code). Other code that starts with `=`
/// (`==`, `= default`, `=SUM(A1:A3)`, `=x`) is code.
pub fn asks_for_value(code: &str) -> bool {
    let Some(expr) = code.strip_prefix('=') else {
        return false;
    };
    let name = expr.split_whitespace().next().unwrap_or_default();
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && (NAMES.contains(&name) || crate::diag::did_you_mean(name, NAMES).is_some())
}

/// Splits on whitespace, keeping "double quoted" words together.
pub fn tokens(expr: &str) -> Result<Vec<String>, FigureError> {
    let mut out = Vec::new();
    let mut rest = expr.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| FigureError::at(Some(1), "unclosed `\"` in inline value"))?;
            out.push(quoted[..end].to_string());
            rest = quoted[end + 1..].trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
    }
    Ok(out)
}

/// The usage line of the inline value `name`, for a help text.
fn usage(name: &str) -> String {
    let usage = USAGE
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, u)| u);
    format!("usage: `{usage}`")
}

/// A computed inline value: the number a claim compares, and how a page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// In the unit the text shows: USD a month, req/s, ms, requests, or a plain ratio.
    pub number: f64,
    /// A break-even that does not happen in the model's range (`number` is then infinite).
    pub none: bool,
    /// The formatted number, e.g. "$48.99/month".
    pub text: String,
    /// How it was computed, for the `title` attribute.
    pub title: String,
    class: &'static str,
}

impl Value {
    fn new(class: &'static str, number: f64, text: String, title: String) -> Value {
        Value {
            number,
            none: false,
            text,
            title,
            class,
        }
    }

    /// A number written out, not computed (a side of a claim).
    pub fn plain(number: f64) -> Value {
        Value::new(
            "be-number",
            number,
            super::format::sig3(number),
            String::new(),
        )
    }

    /// `<span class="be-value …" data-value="…" title="…">text</span>`.
    pub fn html(&self) -> String {
        value_span(self.class, self.number, &self.text, Some(&self.title))
    }
}

/// Renders an inline value (the code span without its leading `=`).
pub fn render(cx: &mut Context, expr: &str) -> Result<String, FigureError> {
    Ok(evaluate(cx, &tokens(expr)?)?.html())
}

/// Computes an inline value from its words (`["cost", "api", "lambda-x86"]`).
pub fn evaluate(cx: &mut Context, tokens: &[String]) -> Result<Value, FigureError> {
    let words: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let wrong = |name: &str| {
        FigureError::at(Some(1), format!("wrong number of arguments for `={name}`"))
            .help(usage(name))
    };
    match words.as_slice() {
        ["cost", s, o] => cost_value(cx, s, o, "total"),
        ["cost", s, o, part] => cost_value(cx, s, o, part),
        ["breakeven", s, a, b] => breakeven_value(cx, s, a, b),
        ["ratio", s, a, b] => ratio_value(cx, s, a, b),
        ["rate", s] => scenario_value(cx, s, "rate"),
        ["concurrency", s] => scenario_value(cx, s, "concurrency"),
        ["peak", s] => scenario_value(cx, s, "peak"),
        ["function", s] => scenario_value(cx, s, "function"),
        ["requests", s] => scenario_value(cx, s, "month"),
        ["requests", s, "month"] => scenario_value(cx, s, "month"),
        ["requests", s, "day"] => scenario_value(cx, s, "day"),
        ["instances", s, o] => instances_value(cx, s, o),
        ["price", o] => price_value(cx, o),
        ["cold-start", rest @ ..] if (3..=5).contains(&rest.len()) => cold_start_value(cx, rest),
        [name, ..] if NAMES.contains(name) => Err(wrong(name)),
        [name, ..] => Err(
            FigureError::at(Some(1), format!("unknown inline value `={name}`"))
                .help(args::valid("values", NAMES)),
        ),
        [] => Err(FigureError::at(Some(1), "empty inline value after `=`")
            .help(args::valid("values", NAMES))),
    }
}
