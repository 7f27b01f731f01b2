//! Words shared by every figure: a scenario's assumptions, the prices' dates and sources, the
//! "how it was computed" titles, and the `<span data-value>` wrapper for computed numbers.

use super::format::{count, escape, exact, ms, plain, rate, sig3, unit_price, usd_cents};
use super::{FigureError, PricedOffer, Scenario};
use crate::cost::{BreakEven, Breakdown, Fleet, Offer};

/// A computed number: `<span class="be-value {class}" data-value="…" title="…">text</span>`.
pub fn value_span(class: &str, value: f64, text: &str, title: Option<&str>) -> String {
    let title = title
        .map(|t| format!(" title=\"{}\"", escape(t)))
        .unwrap_or_default();
    format!(
        "<span class=\"be-value {class}\" data-value=\"{}\"{title}>{}</span>",
        exact(value),
        escape(text)
    )
}

/// A table cell with a computed number.
pub fn value_cell(value: f64, text: &str, class: Option<&str>) -> String {
    let class = class.map(|c| format!(" class=\"{c}\"")).unwrap_or_default();
    format!("<td{class} data-value=\"{}\">{}</td>", exact(value), text)
}

/// What screen readers hear after the cheapest cell of a row (sighted readers see a mark).
pub const CHEAPEST_NOTE: &str = "<span class=\"be-visually-hidden\"> (cheapest)</span>";

/// The opening of a table's scroller: focusable and named, so a keyboard can scroll a table
/// wider than the screen and a screen reader says what it holds. A group, not a region: a page
/// may hold several such tables, and landmarks would need a unique name each.
/// The hint before it shows only while the table overflows (site.css ties it to the scroller).
pub fn table_wrap(name: &str) -> String {
    format!(
        "<p class=\"be-scroll-hint\" aria-hidden=\"true\">Scroll the table sideways for more columns →</p><div class=\"be-table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"{}\">",
        escape(name)
    )
}

/// "100 ms, 512 MB" (plus CPU time when it differs from the duration).
pub fn per_request_terms(scenario: &Scenario) -> String {
    let w = &scenario.workload;
    let mut text = format!("{}, {} MB", ms(w.duration_ms), plain(w.memory_mb));
    if w.cpu_ms != w.duration_ms {
        text.push_str(&format!(", {} CPU", ms(w.cpu_ms)));
    }
    text
}

/// The scenario's assumptions as an HTML sentence, mentioning fleets only if an offer has one.
pub fn assumptions(scenario: &Scenario, offers: &[PricedOffer]) -> String {
    let w = &scenario.workload;
    let mut parts = vec![format!("{} per request", per_request_terms(scenario))];
    let provisioned = offers
        .iter()
        .any(|o| matches!(o.offer, Offer::Provisioned(_)));
    if provisioned {
        let capacity = w
            .capacity_per_instance
            .map_or(String::from("unlimited"), rate);
        let fleet = match w.fleet {
            Fleet::Fixed => "a fixed fleet sized for the peak hour",
            Fleet::Autoscaled => "a fleet resized every hour",
        };
        let plural = if w.min_instances == 1 { "" } else { "s" };
        parts.push(format!(
            "one instance serves {capacity}, {fleet} of at least {} instance{plural}",
            w.min_instances
        ));
    }
    if w.profile.is_flat() {
        parts.push(String::from("flat traffic around the clock"));
    } else {
        parts.push(format!(
            "traffic by hour of day with the busiest hour at {}× the average",
            sig3(w.profile.peak())
        ));
    }
    let per_request = offers
        .iter()
        .any(|o| matches!(o.offer, Offer::PerRequest(_)));
    if per_request {
        parts.push(String::from(if w.free_tier {
            "monthly free tier included"
        } else {
            "no free tier"
        }));
    }
    format!(
        "Scenario <code>{}</code>: {}.",
        escape(&scenario.name),
        parts.join("; ")
    )
}

/// "List prices (us-east-1, USD, on demand) as of 2026-11-22: <a>lambda-x86</a>, …".
pub fn prices_note(offers: &[PricedOffer]) -> String {
    let mut dates: Vec<&str> = offers.iter().map(|o| o.as_of.as_str()).collect();
    dates.sort_unstable();
    dates.dedup();
    let links: Vec<String> = offers
        .iter()
        .map(|o| {
            let links: Vec<String> = o
                .sources
                .iter()
                .map(|s| format!("<a href=\"{}\">{}</a>", escape(s), escape(&o.name)))
                .collect();
            links.join(" + ")
        })
        .collect();
    format!(
        "List prices (us-east-1, USD, on demand) as of {}; sources: {}.",
        dates.join(", "),
        links.join(", ")
    )
}

/// How a cost was computed, for a `title`: "lambda-x86 at 1,000 req/s, 100 ms, 1,024 MB:
/// $525.60 requests + $4,380.01 compute".
pub fn cost_title(offer: &PricedOffer, scenario: &Scenario, at: f64, cost: &Breakdown) -> String {
    let head = format!("{} at {}", offer.name, rate(at));
    match (&offer.offer, cost.instances) {
        (Offer::Provisioned(p), Some(n)) => {
            let fleet = match n {
                1.0 => String::from("1 instance"),
                n if n.fract() == 0.0 => format!("{n} instances"),
                n => format!("{} instances on average", sig3(n)),
            };
            format!(
                "{head}: {fleet} × {}/h × 730 h = {}",
                unit_price(p.usd_per_hour),
                usd_cents(cost.total())
            )
        }
        _ => {
            let parts: Vec<String> = cost
                .parts
                .iter()
                .map(|(name, usd)| format!("{} {name}", usd_cents(*usd)))
                .collect();
            let free = if scenario.workload.free_tier {
                "free tier included"
            } else {
                "no free tier"
            };
            format!(
                "{head}, {} ({free}): {}",
                per_request_terms(scenario),
                parts.join(" + ")
            )
        }
    }
}

/// "29.4 million requests/month".
pub fn per_month(at: f64) -> String {
    format!(
        "{} requests/month",
        count(at * crate::cost::SECONDS_PER_MONTH)
    )
}

/// A provisioned offer needs the scenario's capacity per instance.
pub fn check_capacity(
    scenario: &Scenario,
    offers: &[PricedOffer],
    line: Option<usize>,
) -> Result<(), FigureError> {
    let needs = offers
        .iter()
        .find(|o| matches!(o.offer, Offer::Provisioned(_)));
    match (needs, scenario.workload.capacity_per_instance) {
        (Some(offer), None) => Err(FigureError::at(
            line,
            format!("scenario `{}` has no `capacity_per_instance`, which provisioned offer `{}` needs", scenario.name, offer.name),
        )
        .help("add `capacity_per_instance: <requests per second one instance serves>` to the scenario")),
        _ => Ok(()),
    }
}

/// The break-even between two offers in words, with its rate (if any) as a `data-value` span.
pub fn break_even_sentence(per_request: &str, provisioned: &str, result: BreakEven) -> String {
    let (a, b) = (escape(per_request), escape(provisioned));
    match result {
        BreakEven::At(at) => {
            let value = value_span("be-breakeven", at, &rate(at), None);
            format!(
                "<code>{a}</code> costs as much as <code>{b}</code> at {value} ({}).",
                per_month(at)
            )
        }
        BreakEven::FromZero => format!(
            "<code>{a}</code> costs at least as much as <code>{b}</code> from the first request."
        ),
        BreakEven::NotInRange => {
            format!(
                "<code>{a}</code> stays cheaper than <code>{b}</code> up to {}.",
                rate(crate::cost::MAX_RATE)
            )
        }
    }
}

/// Every (pay-per-request, provisioned) pair among `offers`, in the order given, with its break-even.
pub fn break_evens<'o>(
    scenario: &Scenario,
    offers: &'o [PricedOffer],
) -> Vec<(&'o PricedOffer, &'o PricedOffer, BreakEven)> {
    let mut pairs = Vec::new();
    for a in offers {
        for b in offers {
            if let (Offer::PerRequest(p), Offer::Provisioned(q)) = (&a.offer, &b.offer) {
                pairs.push((a, b, crate::cost::break_even(p, q, &scenario.workload)));
            }
        }
    }
    pairs
}
