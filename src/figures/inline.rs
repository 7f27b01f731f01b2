//! Inline values: a code span `=name args…` becomes one formatted number in a `<span>` with its
//! exact value in `data-value` and how it was computed in `title`. Arguments are separated by
//! spaces; a runtime name with spaces goes in double quotes.

#![deny(clippy::indexing_slicing)]

use super::coldstarts::{self, Config, median};
use super::describe::{cost_title, per_month, per_request_terms, value_span};
use super::format::{count, ms, rate, ratio, sig3, unit_price, usd_month};
use super::{Context, FigureError, PricedOffer, Scenario, args};
use crate::cost::{self, BreakEven, Offer, SECONDS_PER_MONTH};

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

fn cost_value(
    cx: &mut Context,
    scenario: &str,
    offer: &str,
    part: &str,
) -> Result<Value, FigureError> {
    let scenario = cx.scenario(scenario, Some(1))?;
    let offer = cx.offer(offer, Some(1))?;
    super::describe::check_capacity(&scenario, std::slice::from_ref(&offer), Some(1))?;
    let breakdown = cost::monthly(
        &offer.offer,
        &scenario.workload_for(&offer),
        scenario.rate_per_second,
    );
    let title = cost_title(&offer, &scenario, scenario.rate_per_second, &breakdown);
    let names: Vec<&str> = breakdown.parts.iter().map(|(n, _)| part_key(n)).collect();
    let value = match part {
        "total" => breakdown.total(),
        _ => match breakdown.parts.iter().find(|(n, _)| part_key(n) == part) {
            Some((_, usd)) => *usd,
            None => {
                let error = FigureError::at(
                    Some(1),
                    format!("offer `{}` has no cost part `{part}`", offer.name),
                );
                return Err(error.help(format!("its parts: total, {}", names.join(", "))));
            }
        },
    };
    Ok(Value::new("be-cost", value, usd_month(value), title))
}

/// The word used in `=cost … <part>` for a breakdown part.
fn part_key(name: &str) -> &str {
    match name {
        "base fee" => "fee",
        "CPU" => "cpu",
        other => other,
    }
}

fn breakeven_value(
    cx: &mut Context,
    scenario: &str,
    a: &str,
    b: &str,
) -> Result<Value, FigureError> {
    let scenario = cx.scenario(scenario, Some(1))?;
    let (a, b) = (cx.offer(a, Some(1))?, cx.offer(b, Some(1))?);
    super::describe::check_capacity(&scenario, &[a.clone(), b.clone()], Some(1))?;
    let (pr, pv, per_request, provisioned) = match (&a.offer, &b.offer) {
        (Offer::PerRequest(p), Offer::Provisioned(q)) => (p, q, &a, &b),
        (Offer::Provisioned(q), Offer::PerRequest(p)) => (p, q, &b, &a),
        _ => {
            let error = FigureError::at(
                Some(1),
                format!("`{}` and `{}` are the same kind of offer", a.name, b.name),
            );
            return Err(
                error.help("a break-even needs one per-request offer and one provisioned offer")
            );
        }
    };
    let result = cost::break_even(pr, pv, &scenario.workload_for(provisioned));
    let how = format!(
        "{} vs {} for scenario {} ({}, {})",
        per_request.label,
        provisioned.label,
        scenario.name,
        per_request_terms(&scenario),
        scenario
            .capacity_words()
            .unwrap_or_else(|| String::from("unlimited capacity"))
    );
    let (value, text, title) = match result {
        BreakEven::At(at) => {
            let workload = scenario.workload_for(provisioned);
            let usd = cost::monthly(&provisioned.offer, &workload, at).total();
            let title = format!("{how}: both cost {} at {} req/s", usd_month(usd), sig3(at));
            (at, format!("{} ({})", rate(at), per_month(at)), title)
        }
        BreakEven::FromZero => (
            0.0,
            String::from("never (pay-per-request costs more from the first request)"),
            how,
        ),
        BreakEven::NotInRange => (
            f64::INFINITY,
            format!("none up to {}", rate(cost::MAX_RATE)),
            how,
        ),
    };
    Ok(Value {
        none: result == BreakEven::NotInRange,
        ..Value::new("be-breakeven", value, text, title)
    })
}

/// An operand of `=ratio`: an offer's monthly cost at the scenario's rate, or a USD amount.
fn operand(
    cx: &mut Context,
    scenario: &Scenario,
    word: &str,
) -> Result<(f64, String), FigureError> {
    if let Ok(usd) = word.trim_start_matches('$').replace(',', "").parse::<f64>() {
        return Ok((usd, format!("${word}").replace("$$", "$")));
    }
    let offer: PricedOffer = cx.offer(word, Some(1))?;
    super::describe::check_capacity(scenario, std::slice::from_ref(&offer), Some(1))?;
    let workload = scenario.workload_for(&offer);
    let usd = cost::monthly(&offer.offer, &workload, scenario.rate_per_second).total();
    Ok((usd, format!("{} {}", offer.label, usd_month(usd))))
}

fn ratio_value(cx: &mut Context, scenario: &str, a: &str, b: &str) -> Result<Value, FigureError> {
    let scenario = cx.scenario(scenario, Some(1))?;
    let (top, top_text) = operand(cx, &scenario, a)?;
    let (bottom, bottom_text) = operand(cx, &scenario, b)?;
    if bottom <= 0.0 {
        return Err(FigureError::at(
            Some(1),
            format!("`{b}` costs nothing here, so the ratio is undefined"),
        ));
    }
    let title = format!(
        "{top_text} ÷ {bottom_text} at {}",
        rate(scenario.rate_per_second)
    );
    Ok(Value::new(
        "be-ratio",
        top / bottom,
        ratio(top / bottom),
        title,
    ))
}

fn scenario_value(cx: &mut Context, name: &str, what: &str) -> Result<Value, FigureError> {
    let s = cx.scenario(name, Some(1))?;
    let r = s.rate_per_second;
    let (value, text, title) = match what {
        "rate" => (r, rate(r), format!("scenario {name}: average rate")),
        "concurrency" => {
            let c = r * s.workload.duration_ms / 1000.0;
            (
                c,
                format!("{} concurrent requests", sig3(c)),
                format!(
                    "{} × {} (Little's law)",
                    rate(r),
                    ms(s.workload.duration_ms)
                ),
            )
        }
        "function" => (
            s.workload.memory_mb,
            per_request_terms(&s),
            format!("scenario {name}: billed duration and memory per request"),
        ),
        "peak" => (
            s.workload.profile.peak(),
            ratio(s.workload.profile.peak()),
            format!("scenario {name}: busiest hour ÷ average"),
        ),
        "day" => (
            r * 86_400.0,
            format!("{} requests/day", count(r * 86_400.0)),
            format!("{} × 86,400 s", rate(r)),
        ),
        _ => (
            r * SECONDS_PER_MONTH,
            per_month(r),
            format!("{} × 2,628,000 s (730 h)", rate(r)),
        ),
    };
    Ok(Value::new("be-number", value, text, title))
}

fn instances_value(cx: &mut Context, scenario: &str, offer: &str) -> Result<Value, FigureError> {
    let scenario = cx.scenario(scenario, Some(1))?;
    let offer = cx.offer(offer, Some(1))?;
    super::describe::check_capacity(&scenario, std::slice::from_ref(&offer), Some(1))?;
    let breakdown = cost::monthly(
        &offer.offer,
        &scenario.workload_for(&offer),
        scenario.rate_per_second,
    );
    let Some(n) = breakdown.instances else {
        return Err(FigureError::at(
            Some(1),
            format!(
                "offer `{}` is billed per request, not per instance",
                offer.name
            ),
        ));
    };
    let text = match n {
        1.0 => String::from("1 instance"),
        n if n.fract() == 0.0 => format!("{n} instances"),
        n => format!("{} instances on average", sig3(n)),
    };
    let title = cost_title(&offer, &scenario, scenario.rate_per_second, &breakdown);
    Ok(Value::new("be-number", n, text, title))
}

fn price_value(cx: &mut Context, offer: &str) -> Result<Value, FigureError> {
    let offer = cx.offer(offer, Some(1))?;
    let title = format!("{} list price as of {}", offer.label, offer.as_of);
    let (value, text) = match &offer.offer {
        Offer::Provisioned(p) => (
            p.usd_per_hour,
            format!("{}/hour", unit_price(p.usd_per_hour)),
        ),
        Offer::PerRequest(p) => (
            p.usd_per_million_requests,
            format!(
                "{} per million requests",
                unit_price(p.usd_per_million_requests)
            ),
        ),
    };
    Ok(Value::new("be-price", value, text, title))
}

fn cold_start_value(cx: &mut Context, words: &[&str]) -> Result<Value, FigureError> {
    let [source, runtime, memory, ..] = *words else {
        return Err(
            FigureError::at(Some(1), "wrong number of arguments for `=cold-start`")
                .help(usage("cold-start")),
        );
    };
    let memory_mb = memory.parse::<u32>().map_err(|_| {
        FigureError::at(
            Some(1),
            format!("memory `{memory}` is not a whole number of MB"),
        )
        .help(usage("cold-start"))
    })?;
    let architecture = words.get(3).copied().unwrap_or("x86_64");
    let stat = words.get(4).copied().unwrap_or("median");
    if !["x86_64", "arm64"].contains(&architecture) {
        return Err(
            FigureError::at(Some(1), format!("unknown architecture `{architecture}`"))
                .help("valid architectures: arm64, x86_64"),
        );
    }
    let config = Config {
        memory_mb,
        architecture,
        package: "zip",
    };
    let measured = coldstarts::load(cx, source, &config, Some(1))?;
    let Some((durations, first)) = measured.runtimes.get(runtime) else {
        let error = FigureError::at(Some(1), format!("no runtime `{runtime}` in {source}"));
        return Err(error.help(args::valid("runtimes", measured.runtimes.keys())));
    };
    let value = match stat {
        "median" => median(durations),
        "min" => durations.first().copied().unwrap_or(f64::NAN),
        "max" => durations.last().copied().unwrap_or(f64::NAN),
        "first-invoke" => first.unwrap_or(f64::NAN),
        other => {
            return Err(
                FigureError::at(Some(1), format!("unknown statistic `{other}`"))
                    .help("valid statistics: median, min, max, first-invoke"),
            );
        }
    };
    let title = format!(
        "{runtime} {stat} over {} cold starts, {memory_mb} MB {architecture}, lambda-perf {}",
        durations.len(),
        measured.date
    );
    Ok(Value::new("be-ms", value, ms(value), title))
}
