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
        let capacity = scenario
            .capacity_words()
            .unwrap_or_else(|| String::from("unlimited"));
        let fleet = match w.fleet {
            Fleet::Fixed => "a fixed fleet sized for the peak hour",
            Fleet::Autoscaled => "a fleet resized every hour",
        };
        let plural = if w.min_instances == 1 { "" } else { "s" };
        parts.push(format!(
            "capacity {capacity}, {fleet} of at least {} instance{plural}",
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
    let links: Vec<String> = source_links(offers)
        .iter()
        .map(|(url, text)| format!("<a href=\"{}\">{}</a>", escape(url), escape(text)))
        .collect();
    format!(
        "List prices (us-east-1, USD, on demand) as of {}; sources: {}.",
        dates.join(", "),
        links.join(", ")
    )
}

/// Each source URL once, named by the offers that use it; two different URLs never share a
/// name (the host, then a number, tells them apart).
fn source_links(offers: &[PricedOffer]) -> Vec<(String, String)> {
    let mut by_url: Vec<(String, Vec<&str>)> = Vec::new();
    for o in offers {
        for url in &o.sources {
            match by_url.iter_mut().find(|(u, _)| u == url) {
                Some((_, labels)) => labels.push(&o.label),
                None => by_url.push((url.clone(), vec![&o.label])),
            }
        }
    }
    let mut links: Vec<(String, String)> = by_url
        .into_iter()
        .map(|(url, labels)| (url, labels.join(", ")))
        .collect();
    let shared = |links: &[(String, String)], i: usize| {
        links.iter().filter(|(_, t)| *t == links[i].1).count() > 1
    };
    for i in 0..links.len() {
        if shared(&links, i) {
            let host = links[i].0.split('/').nth(2).unwrap_or_default().to_string();
            links[i].1 = format!("{} ({host})", links[i].1);
        }
    }
    for i in 0..links.len() {
        if shared(&links, i) {
            links[i].1 = format!("{} [{}]", links[i].1, i + 1);
        }
    }
    links
}

/// How a cost was computed, for a `title`: "lambda-x86 at 1,000 req/s, 100 ms, 1,024 MB:
/// $525.60 requests + $4,380.01 compute".
pub fn cost_title(offer: &PricedOffer, scenario: &Scenario, at: f64, cost: &Breakdown) -> String {
    let head = format!("{} at {}", offer.label, rate(at));
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

/// A provisioned offer needs a capacity: the scenario's per instance, or its per vCPU with the
/// offer's `vcpus`. One `capacity_per_instance` is never applied to machines of different sizes.
pub fn check_capacity(
    scenario: &Scenario,
    offers: &[PricedOffer],
    line: Option<usize>,
) -> Result<(), FigureError> {
    let provisioned: Vec<&PricedOffer> = offers
        .iter()
        .filter(|o| matches!(o.offer, Offer::Provisioned(_)))
        .collect();
    let Some(first) = provisioned.first() else {
        return Ok(());
    };
    let name = &scenario.name;
    if scenario.capacity_per_vcpu.is_some() {
        return match provisioned.iter().find(|o| o.vcpus.is_none()) {
            Some(o) => Err(FigureError::at(
                line,
                format!("scenario `{name}` gives `capacity_per_vcpu`, but offer `{}` has no `vcpus`", o.name),
            )
            .help(format!("add `vcpus: <number>` to offer `{}` in data/pricing.yaml", o.name))),
            None => Ok(()),
        };
    }
    if scenario.workload.capacity_per_instance.is_none() {
        return Err(FigureError::at(
            line,
            format!("scenario `{name}` has no capacity, which provisioned offer `{}` needs", first.name),
        )
        .help("add `capacity_per_vcpu: <requests per second one vCPU serves>` (or `capacity_per_instance` for a single machine size) to the scenario"));
    }
    match provisioned.iter().find(|o| o.vcpus != first.vcpus) {
        Some(other) => Err(FigureError::at(
            line,
            format!(
                "scenario `{name}` gives one `capacity_per_instance` for offers of different sizes (`{}`: {}, `{}`: {})",
                first.name, vcpus_words(first.vcpus), other.name, vcpus_words(other.vcpus)
            ),
        )
        .help("give the scenario `capacity_per_vcpu` instead, so each size serves its share")),
        None => Ok(()),
    }
}

fn vcpus_words(vcpus: Option<f64>) -> String {
    match vcpus {
        Some(1.0) => String::from("1 vCPU"),
        Some(n) => format!("{} vCPUs", plain(n)),
        None => String::from("no `vcpus` given"),
    }
}

/// The break-even between two offers in words, with its rate (if any) as a `data-value` span.
pub fn break_even_sentence(per_request: &str, provisioned: &str, result: BreakEven) -> String {
    let (a, b) = (escape(per_request), escape(provisioned));
    match result {
        BreakEven::At(at) => {
            let value = value_span("be-breakeven", at, &rate(at), None);
            format!(
                "{a} costs as much as {b} at {value} ({}).",
                per_month(at)
            )
        }
        BreakEven::FromZero => format!(
            "{a} costs at least as much as {b} from the first request."
        ),
        BreakEven::NotInRange => {
            format!(
                "{a} stays cheaper than {b} up to {}.",
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
                pairs.push((a, b, crate::cost::break_even(p, q, &scenario.workload_for(b))));
            }
        }
    }
    pairs
}
