//! The `crossover` figure: monthly cost against average request rate on log–log axes, one line per
//! offer (provisioned fleets as steps), break-evens marked, and the same numbers as a table.
//!
//! ```yaml
//! scenario: api                     # required
//! offers: [lambda-x86, t3.medium]   # required
//! rates: [0.1, 10000]               # optional x range in req/s (default: around the scenario)
//! title: …                          # optional chart title
//! caption: …                        # optional text before the generated caption
//! ```

use super::args::{self, Lines};
use super::chart::{self, Axis, Chart, Marker, Series};
use super::describe::{
    CHEAPEST_NOTE, assumptions, break_even_sentence, break_evens, check_capacity, prices_note,
    table_wrap, value_cell,
};
use super::format::{count, escape, exact, rate, usd_month};
use super::{Context, FigureError, PricedOffer, Scenario};
use crate::cost::{self, BreakEven, MAX_RATE, Offer, SECONDS_PER_MONTH};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Args {
    scenario: String,
    offers: Vec<String>,
    rates: Option<Vec<f64>>,
    title: Option<String>,
    caption: Option<String>,
}

/// Points per pay-per-request line (log-spaced) and the most exact steps drawn per fleet.
const SAMPLES: usize = 160;
const MAX_EXACT_STEPS: usize = 3000;

fn decade_floor(v: f64) -> f64 {
    10f64.powf(v.log10().floor())
}

fn decade_ceil(v: f64) -> f64 {
    10f64.powf(v.log10().ceil())
}

/// `rates: [min, max]` checked: two numbers, 0 < min < max ≤ `MAX_RATE`.
pub fn range_arg(rates: &[f64], line: Option<usize>) -> Result<(f64, f64), FigureError> {
    match rates {
        [min, max] if *min > 0.0 && min < max && *max <= MAX_RATE => Ok((*min, *max)),
        _ => Err(FigureError::at(
            line,
            format!(
                "`rates` must be [min, max] with 0 < min < max ≤ {}",
                exact(MAX_RATE)
            ),
        )
        .help("for example `rates: [0.1, 10000]` (requests per second)")),
    }
}

/// Three decades below the scenario's rate to two above, widened to show every break-even.
fn default_range(scenario: &Scenario, evens: &[BreakEven]) -> (f64, f64) {
    let at = if scenario.rate_per_second > 0.0 {
        scenario.rate_per_second
    } else {
        1.0
    };
    let (mut low, mut high) = (decade_floor(at / 1000.0), decade_ceil(at * 100.0));
    for even in evens {
        if let BreakEven::At(r) = even
            && *r > 0.0
        {
            low = low.min(decade_floor(r / 10.0));
            high = high.max(decade_ceil(r * 10.0));
        }
    }
    let (low, high) = (low.max(1e-3), high.min(MAX_RATE));
    // A scenario rate near the top of the range must still leave a range to draw.
    if low < high {
        (low, high)
    } else {
        (high / 1e4, high)
    }
}

fn log_space(low: f64, high: f64, n: usize) -> impl Iterator<Item = f64> {
    let (a, b) = (low.log10(), high.log10());
    (0..=n).map(move |i| 10f64.powf(a + (b - a) * i as f64 / n as f64))
}

/// The cost line of one offer across the range: sampled for pay-per-request (plus its kinks),
/// a staircase for a fleet (exact steps when there are few enough to see).
fn line(offer: &PricedOffer, scenario: &Scenario, (low, high): (f64, f64)) -> Vec<(f64, f64)> {
    let w = &scenario.workload_for(offer);
    let cost = |r: f64| cost::monthly(&offer.offer, w, r).total();
    match &offer.offer {
        Offer::PerRequest(p) => {
            let mut xs: Vec<f64> = log_space(low, high, SAMPLES).collect();
            xs.extend(
                cost::per_request_kinks(p, w)
                    .into_iter()
                    .filter(|k| *k > low && *k < high),
            );
            xs.sort_by(f64::total_cmp);
            xs.into_iter().map(|x| (x, cost(x))).collect()
        }
        Offer::Provisioned(_) => {
            let steps = cost::fleet_steps(w, (low, high), MAX_EXACT_STEPS);
            // Too many steps to see: sample finely and draw each sample as a step.
            let steps = steps.unwrap_or_else(|| log_space(low, high, 600).collect());
            let mut points = vec![(low, cost(low))];
            for b in steps {
                points.push((b, cost(b)));
                points.push((b, cost(b * (1.0 + 1e-7))));
            }
            points.push((high, cost(high)));
            points
        }
    }
}

fn y_axis(series: &[Series]) -> Axis {
    let values = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let positive: Vec<f64> = values.filter(|v| *v > 0.0 && v.is_finite()).collect();
    let max = positive.iter().copied().fold(1.0, f64::max);
    let min = positive.iter().copied().fold(max, f64::min);
    let high = decade_ceil(max * 1.05);
    let low = decade_floor(min).max(high / 1e6).max(0.01);
    Axis {
        min: low,
        max: if high > low { high } else { low * 10.0 },
        label: String::from("USD per month"),
        prefix: "$",
    }
}

fn table(scenario: &Scenario, offers: &[PricedOffer], (low, high): (f64, f64)) -> String {
    let decades = low.log10().ceil() as i32..=high.log10().floor() as i32;
    let mut rates: Vec<f64> = decades.map(|e| 10f64.powi(e)).collect();
    rates.push(scenario.rate_per_second);
    rates.retain(|r| *r > 0.0);
    rates.sort_by(f64::total_cmp);
    rates.dedup();
    let mut html = String::from(
        "<table class=\"be-table\"><thead><tr><th scope=\"col\">Average rate</th><th scope=\"col\">Requests/month</th>",
    );
    html.insert_str(0, &table_wrap("Monthly cost by request rate, as a table"));
    for offer in offers {
        html.push_str(&format!("<th scope=\"col\">{}</th>", escape(&offer.label)));
    }
    html.push_str("</tr></thead><tbody>");
    for r in rates {
        let costs: Vec<f64> = offers
            .iter()
            .map(|o| cost::monthly(&o.offer, &scenario.workload_for(o), r).total())
            .collect();
        let cheapest = costs.iter().copied().fold(f64::INFINITY, f64::min);
        let class = if r == scenario.rate_per_second {
            " class=\"be-scenario-row\""
        } else {
            ""
        };
        let requests = r * SECONDS_PER_MONTH;
        html.push_str(&format!(
            "<tr{class}><th scope=\"row\" data-value=\"{}\">{}</th>{}",
            exact(r),
            rate(r),
            value_cell(requests, &count(requests), None)
        ));
        for c in costs {
            let text = if c == cheapest {
                format!("{}{CHEAPEST_NOTE}", usd_month(c))
            } else {
                usd_month(c)
            };
            html.push_str(&value_cell(
                c,
                &text,
                (c == cheapest).then_some("be-cheapest"),
            ));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div>");
    html
}

/// Renders a `crossover` block.
pub fn render(cx: &mut Context, body: &str) -> Result<String, FigureError> {
    let args: Args = args::parse(body)?;
    let lines = Lines::new(body);
    let scenario = cx.scenario(&args.scenario, lines.key("scenario", 1))?;
    let offers = cx.offers(&args.offers, &lines)?;
    check_capacity(&scenario, &offers, lines.key("scenario", 1))?;
    let pairs = break_evens(&scenario, &offers);
    let range = match &args.rates {
        Some(rates) => range_arg(rates, lines.key("rates", 1))?,
        None => default_range(&scenario, &pairs.iter().map(|p| p.2).collect::<Vec<_>>()),
    };
    let sentences: Vec<String> = pairs
        .iter()
        .map(|(a, b, e)| break_even_sentence(&a.label, &b.label, *e))
        .collect();
    let chart = chart(&args, &scenario, &offers, range, &pairs);
    let caption = args
        .caption
        .as_deref()
        .map(|c| format!("{} ", escape(c)))
        .unwrap_or_default();
    Ok(format!(
        "<figure class=\"be-figure be-crossover\">{}{}<figcaption>{caption}Monthly cost against average request rate, both on log scales. {} {} {}</figcaption></figure>",
        chart::render(&chart),
        table(&scenario, &offers, range),
        assumptions(&scenario, &offers),
        sentences.join(" "),
        prices_note(&offers),
    ))
}

/// A pair of offers and where (if anywhere) their costs meet.
type Pair<'o> = (&'o PricedOffer, &'o PricedOffer, BreakEven);

/// The chart: one cost line per offer over `range`, a marker at each break-even inside it, and
/// a guide at the scenario's own rate.
fn chart(
    args: &Args,
    scenario: &Scenario,
    offers: &[PricedOffer],
    range: (f64, f64),
    pairs: &[Pair],
) -> Chart {
    let series: Vec<Series> = offers
        .iter()
        .map(|o| Series {
            name: o.label.clone(),
            points: line(o, scenario, range),
        })
        .collect();
    let names: Vec<&str> = offers.iter().map(|o| o.label.as_str()).collect();
    Chart {
        title: args
            .title
            .clone()
            .unwrap_or_else(|| format!("Monthly cost by request rate: {}", names.join(" vs "))),
        desc: describe_chart(scenario, offers, range, pairs),
        x: Axis {
            min: range.0,
            max: range.1,
            label: String::from("average requests per second"),
            prefix: "",
        },
        y: y_axis(&series),
        series,
        markers: markers(scenario, offers, range, pairs),
        guide: Some((
            scenario.rate_per_second,
            format!("{}: {}", scenario.name, rate(scenario.rate_per_second)),
        ))
        .filter(|(r, _)| *r >= range.0 && *r <= range.1),
    }
}

/// A labelled marker for each break-even inside `range`, on the per-request offer's line.
fn markers(
    scenario: &Scenario,
    offers: &[PricedOffer],
    range: (f64, f64),
    pairs: &[Pair],
) -> Vec<Marker> {
    pairs
        .iter()
        .filter_map(|(a, b, even)| match even {
            BreakEven::At(r) if *r >= range.0 && *r <= range.1 => {
                let y = cost::monthly(&a.offer, &scenario.workload_for(a), *r).total();
                Some(Marker {
                    x: *r,
                    y,
                    label: rate(*r),
                    pair: (index_of(offers, a), index_of(offers, b)),
                })
            }
            _ => None,
        })
        .collect()
}

/// Where `offer` sits in `offers` (it is one of them), which is also its series' index.
fn index_of(offers: &[PricedOffer], offer: &PricedOffer) -> usize {
    offers
        .iter()
        .position(|o| std::ptr::eq(o, offer))
        .unwrap_or_default()
}

/// The chart in words, for `<desc>`.
fn describe_chart(
    scenario: &Scenario,
    offers: &[PricedOffer],
    range: (f64, f64),
    pairs: &[(&PricedOffer, &PricedOffer, BreakEven)],
) -> String {
    let at = scenario.rate_per_second;
    let costs: Vec<String> = offers
        .iter()
        .map(|o| {
            format!(
                "{} {}",
                o.label,
                usd_month(cost::monthly(&o.offer, &scenario.workload_for(o), at).total())
            )
        })
        .collect();
    let evens: Vec<String> = pairs
        .iter()
        .filter_map(|(a, b, e)| {
            e.rate()
                .filter(|r| *r > 0.0)
                .map(|r| format!("{} costs as much as {} at {}.", a.label, b.label, rate(r)))
        })
        .collect();
    format!(
        "Log–log chart of monthly cost in US dollars against average requests per second, from {} to {}, for scenario {}. {} At {}: {}.",
        rate(range.0),
        rate(range.1),
        scenario.name,
        evens.join(" "),
        rate(at),
        costs.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use crate::figures::tests::block;

    #[test]
    fn crossover_snapshot() {
        let body = "scenario: claim-breakeven\noffers: [lambda-x86, t3.medium]\nrates: [1, 100]\n";
        // One element per line, so a change shows up as a readable diff.
        insta::assert_snapshot!(block("crossover", body).html.replace("><", ">\n<"));
    }
}
