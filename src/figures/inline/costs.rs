//! Inline values that run the cost model: a monthly cost or one part of it, a break-even rate,
//! a ratio of costs, an instance count, a list price.

use super::Value;
use crate::cost::{self, BreakEven, Offer};
use crate::figures::describe::{check_capacity, cost_title, per_month, per_request_terms};
use crate::figures::format::{rate, ratio, sig3, unit_price, usd_month};
use crate::figures::{Context, FigureError, PricedOffer, Scenario};

/// An offer's monthly cost in a scenario, with the two looked up (and the scenario's capacity
/// checked) for the values that show one offer in one scenario.
fn monthly(
    cx: &mut Context,
    scenario: &str,
    offer: &str,
) -> Result<(Scenario, PricedOffer, cost::Breakdown), FigureError> {
    let scenario = cx.scenario(scenario, Some(1))?;
    let offer = cx.offer(offer, Some(1))?;
    check_capacity(&scenario, std::slice::from_ref(&offer), Some(1))?;
    let workload = scenario.workload_for(&offer);
    let breakdown = cost::monthly(&offer.offer, &workload, scenario.rate_per_second);
    Ok((scenario, offer, breakdown))
}

/// `=cost`: an offer's monthly cost (or one part of it) in a scenario.
pub(super) fn cost_value(
    cx: &mut Context,
    scenario: &str,
    offer: &str,
    part: &str,
) -> Result<Value, FigureError> {
    let (scenario, offer, breakdown) = monthly(cx, scenario, offer)?;
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

/// `=breakeven`: the rate at which a per-request and a provisioned offer cost the same.
pub(super) fn breakeven_value(
    cx: &mut Context,
    scenario: &str,
    a: &str,
    b: &str,
) -> Result<Value, FigureError> {
    let scenario = cx.scenario(scenario, Some(1))?;
    let (a, b) = (cx.offer(a, Some(1))?, cx.offer(b, Some(1))?);
    check_capacity(&scenario, &[a.clone(), b.clone()], Some(1))?;
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
    check_capacity(scenario, std::slice::from_ref(&offer), Some(1))?;
    let workload = scenario.workload_for(&offer);
    let usd = cost::monthly(&offer.offer, &workload, scenario.rate_per_second).total();
    Ok((usd, format!("{} {}", offer.label, usd_month(usd))))
}

/// `=ratio`: one monthly cost (or USD amount) divided by another.
pub(super) fn ratio_value(
    cx: &mut Context,
    scenario: &str,
    a: &str,
    b: &str,
) -> Result<Value, FigureError> {
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

/// `=instances`: how many instances a provisioned offer runs in a scenario.
pub(super) fn instances_value(
    cx: &mut Context,
    scenario: &str,
    offer: &str,
) -> Result<Value, FigureError> {
    let (scenario, offer, breakdown) = monthly(cx, scenario, offer)?;
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

/// `=price`: an offer's list price, per hour or per million requests.
pub(super) fn price_value(cx: &mut Context, offer: &str) -> Result<Value, FigureError> {
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
