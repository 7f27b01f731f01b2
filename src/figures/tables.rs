//! The `cost-table` figure: monthly cost per offer (columns) at several rates of one scenario, or
//! at the rates of several scenarios (rows), with the cheapest cell of each row marked.
//!
//! ```yaml
//! scenario: api                         # one scenario …
//! rates: [1, 10, 100, 1000]             # … at these rates (default: its own rate)
//! scenarios: [claim-50m-day, api]       # or several scenarios, each at its own rate
//! offers: [lambda-x86, t3.medium]       # required
//! caption: …                            # optional text before the generated caption
//! ```

use super::args::{self, Lines};
use super::describe::{
    CHEAPEST_NOTE, assumptions, check_capacity, cost_title, prices_note, table_wrap, value_cell,
};
use super::format::{count, escape, exact, rate, usd_month};
use super::{Context, FigureError, PricedOffer, Scenario};
use crate::cost::{self, MAX_RATE, SECONDS_PER_MONTH};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Args {
    scenario: Option<String>,
    scenarios: Option<Vec<String>>,
    offers: Vec<String>,
    rates: Option<Vec<f64>>,
    caption: Option<String>,
}

/// A table row: the scenario and the rate it is costed at.
struct Row {
    scenario: Scenario,
    rate: f64,
}

fn rows(cx: &mut Context, args: &Args, lines: &Lines) -> Result<Vec<Row>, FigureError> {
    match (&args.scenario, &args.scenarios) {
        (Some(name), None) => {
            let scenario = cx.scenario(name, lines.key("scenario", 1))?;
            let rates = args
                .rates
                .clone()
                .unwrap_or_else(|| vec![scenario.rate_per_second]);
            let line = lines.key("rates", 1);
            if rates.is_empty()
                || rates
                    .iter()
                    .any(|r| !(r.is_finite() && *r >= 0.0 && *r <= MAX_RATE))
            {
                let message = format!(
                    "`rates` must be a list of request rates between 0 and {}",
                    exact(MAX_RATE)
                );
                return Err(FigureError::at(line, message)
                    .help("for example `rates: [1, 10, 100, 1000]` (requests per second)"));
            }
            Ok(rates
                .into_iter()
                .map(|rate| Row {
                    scenario: scenario.clone(),
                    rate,
                })
                .collect())
        }
        (None, Some(names)) => {
            if args.rates.is_some() {
                let message = "`rates` goes with `scenario`; with `scenarios` each row uses its scenario's rate";
                return Err(FigureError::at(lines.key("rates", 1), message));
            }
            let mut rows = Vec::new();
            for name in names {
                let scenario = cx.scenario(name, lines.value("scenarios", name))?;
                rows.push(Row {
                    rate: scenario.rate_per_second,
                    scenario,
                });
            }
            if rows.is_empty() {
                return Err(FigureError::at(
                    lines.key("scenarios", 1),
                    "`scenarios` is empty",
                ));
            }
            Ok(rows)
        }
        (Some(_), Some(_)) => Err(FigureError::at(
            lines.key("scenarios", 1),
            "give `scenario` or `scenarios`, not both",
        )),
        (None, None) => Err(FigureError::at(Some(1), "missing field `scenario`").help(
            "name a scenario (`scenario: api`) or several (`scenarios: [api, claim-50m-day]`)",
        )),
    }
}

fn header(by_scenario: bool, offers: &[PricedOffer]) -> String {
    let first = if by_scenario {
        "<th scope=\"col\">Scenario</th><th scope=\"col\">Average rate</th>"
    } else {
        "<th scope=\"col\">Average rate</th><th scope=\"col\">Requests/month</th>"
    };
    let columns: String = offers
        .iter()
        .map(|o| format!("<th scope=\"col\">{}</th>", escape(&o.label)))
        .collect();
    format!("<thead><tr>{first}{columns}</tr></thead>")
}

fn row(r: &Row, by_scenario: bool, offers: &[PricedOffer]) -> String {
    let requests = r.rate * SECONDS_PER_MONTH;
    let mut html = if by_scenario {
        format!(
            "<tr><th scope=\"row\"><code>{}</code></th>{}",
            escape(&r.scenario.name),
            value_cell(r.rate, &rate(r.rate), None)
        )
    } else {
        format!(
            "<tr><th scope=\"row\" data-value=\"{}\">{}</th>{}",
            exact(r.rate),
            rate(r.rate),
            value_cell(requests, &count(requests), None)
        )
    };
    let costs: Vec<cost::Breakdown> = offers
        .iter()
        .map(|o| cost::monthly(&o.offer, &r.scenario.workload_for(o), r.rate))
        .collect();
    let cheapest = costs
        .iter()
        .map(cost::Breakdown::total)
        .fold(f64::INFINITY, f64::min);
    for (offer, breakdown) in offers.iter().zip(&costs) {
        let total = breakdown.total();
        let (class, note) = if total == cheapest {
            (" class=\"be-cheapest\"", CHEAPEST_NOTE)
        } else {
            ("", "")
        };
        let title = escape(&cost_title(offer, &r.scenario, r.rate, breakdown));
        let (money, unit) = usd_month(total)
            .split_once('/')
            .map(|(m, u)| (m.to_string(), u.to_string()))
            .unwrap_or_default();
        html.push_str(&format!(
            "<td{class} data-value=\"{}\" title=\"{title}\">{money}<span class=\"be-unit\">/{unit}</span>{note}</td>",
            exact(total)
        ));
    }
    html.push_str("</tr>");
    html
}

/// Renders a `cost-table` block.
pub fn render(cx: &mut Context, body: &str) -> Result<String, FigureError> {
    let args: Args = args::parse(body)?;
    let lines = Lines::new(body);
    let rows = rows(cx, &args, &lines)?;
    let offers = cx.offers(&args.offers, &lines)?;
    let mut scenarios: Vec<&Scenario> = Vec::new();
    for r in &rows {
        if !scenarios.iter().any(|s| s.name == r.scenario.name) {
            let line = lines
                .value("scenarios", &r.scenario.name)
                .or(lines.key("scenario", 1));
            check_capacity(&r.scenario, &offers, line)?;
            scenarios.push(&r.scenario);
        }
    }
    let by_scenario = args.scenarios.is_some();
    let body_rows: String = rows.iter().map(|r| row(r, by_scenario, &offers)).collect();
    let said: Vec<String> = scenarios.iter().map(|s| assumptions(s, &offers)).collect();
    let caption = args
        .caption
        .as_deref()
        .map(|c| format!("{} ", escape(c)))
        .unwrap_or_default();
    Ok(format!(
        "<figure class=\"be-figure be-cost-table\">{}<table class=\"be-table\">{}<tbody>{body_rows}</tbody></table></div><figcaption>{caption}Monthly cost at list prices; the cheapest option in each row is marked. {} {}</figcaption></figure>",
        table_wrap("Monthly cost table"),
        header(by_scenario, &offers),
        said.join(" "),
        prices_note(&offers),
    ))
}

#[cfg(test)]
mod tests {
    use crate::figures::tests::block;

    #[test]
    fn cost_table_snapshot() {
        let body = "scenario: api\noffers: [lambda-x86, lambda-arm, t3.medium, c5.2xlarge]\nrates: [1, 10, 100, 1000]\n";
        insta::assert_snapshot!(block("cost-table", body).html.replace("><", ">\n<"));
    }

    #[test]
    fn cost_table_by_scenario_snapshot() {
        let body = "scenarios: [notifications, claim-50m-day]\noffers: [lambda-x86, workers, fargate-0.5vcpu-1gb]\n";
        insta::assert_snapshot!(block("cost-table", body).html.replace("><", ">\n<"));
    }
}
