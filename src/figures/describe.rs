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
    tell_apart(&mut links, |url, _| {
        format!("({})", url.split('/').nth(2).unwrap_or_default())
    });
    tell_apart(&mut links, |_, n| format!("[{n}]"));
    links
}

/// Adds `suffix(url, n)` to every link whose text another link shares (`n` counts from 1 within
/// those that share it).
fn tell_apart(links: &mut [(String, String)], suffix: impl Fn(&str, usize) -> String) {
    let texts: Vec<String> = links.iter().map(|(_, t)| t.clone()).collect();
    for (i, (url, text)) in links.iter_mut().enumerate() {
        let same = |t: &String| t == &texts[i];
        if texts.iter().filter(|t| same(t)).count() > 1 {
            let n = texts[..=i].iter().filter(|t| same(t)).count();
            *text = format!("{text} {}", suffix(url, n));
        }
    }
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
                format!(
                    "scenario `{name}` gives `capacity_per_vcpu`, but offer `{}` has no `vcpus`",
                    o.name
                ),
            )
            .help(format!(
                "add `vcpus: <number>` to offer `{}` in data/pricing.yaml",
                o.name
            ))),
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
            format!("{a} costs as much as {b} at {value} ({}).", per_month(at))
        }
        BreakEven::FromZero => format!("{a} costs at least as much as {b} from the first request."),
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
                pairs.push((
                    a,
                    b,
                    crate::cost::break_even(p, q, &scenario.workload_for(b)),
                ));
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::Provisioned;

    fn offer(name: &str, label: &str, sources: &[&str], vcpus: Option<f64>) -> PricedOffer {
        PricedOffer {
            name: name.to_string(),
            label: label.to_string(),
            vcpus,
            offer: Offer::Provisioned(Provisioned { usd_per_hour: 0.1 }),
            sources: sources.iter().map(|s| s.to_string()).collect(),
            as_of: String::from("2026-01-01"),
        }
    }

    #[test]
    fn each_source_is_linked_once_and_different_sources_never_share_a_name() {
        let offers = [
            offer(
                "a",
                "A",
                &["https://x.example/p", "https://y.example/q"],
                None,
            ),
            offer("b", "B", &["https://x.example/p"], None),
            offer(
                "c",
                "C",
                &["https://y.example/r", "https://y.example/s"],
                None,
            ),
        ];
        let links = source_links(&offers);
        assert_eq!(
            links,
            [
                ("https://x.example/p".to_string(), "A, B".to_string()),
                ("https://y.example/q".to_string(), "A".to_string()),
                (
                    "https://y.example/r".to_string(),
                    "C (y.example) [1]".to_string()
                ),
                (
                    "https://y.example/s".to_string(),
                    "C (y.example) [2]".to_string()
                ),
            ]
        );
    }

    fn scenario(per_instance: Option<f64>, per_vcpu: Option<f64>) -> Scenario {
        let mut s = crate::figures::test_data::figures()
            .0
            .page_scenarios(None)
            .expect("scenarios")
            .get("small")
            .expect("small")
            .clone();
        s.workload.capacity_per_instance = per_instance;
        s.capacity_per_vcpu = per_vcpu;
        s
    }

    #[test]
    fn one_capacity_per_instance_is_never_applied_to_two_sizes() {
        let small = offer("small", "Small", &["https://x.example"], Some(2.0));
        let big = offer("big", "Big", &["https://x.example"], Some(8.0));
        let pair = [small.clone(), big.clone()];
        let err =
            check_capacity(&scenario(Some(100.0), None), &pair, Some(3)).expect_err("two sizes");
        assert_eq!(
            err.message,
            "scenario `small` gives one `capacity_per_instance` for offers of different sizes (`small`: 2 vCPUs, `big`: 8 vCPUs)"
        );
        assert!(
            check_capacity(
                &scenario(Some(100.0), None),
                std::slice::from_ref(&big),
                None
            )
            .is_ok()
        );
        // Per vCPU, each size serves its share: 8 vCPUs × 125 = 1,000 req/s.
        let per_vcpu = scenario(None, Some(125.0));
        assert!(check_capacity(&per_vcpu, &pair, None).is_ok());
        assert_eq!(
            per_vcpu.workload_for(&big).capacity_per_instance,
            Some(1000.0)
        );
        assert_eq!(
            per_vcpu.workload_for(&small).capacity_per_instance,
            Some(250.0)
        );
        let no_size = offer("u", "U", &["https://x.example"], None);
        let err = check_capacity(&per_vcpu, &[no_size], None).expect_err("no vcpus");
        assert!(
            err.message.contains("offer `u` has no `vcpus`"),
            "{}",
            err.message
        );
    }
}
