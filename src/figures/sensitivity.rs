//! How robust claims are to prices: every price of every offer moved down and up by a
//! percentage, one at a time, and every claim evaluated again. The cost model is pure, so this
//! needs no page to be rendered again.

use super::claims::Claim;
use super::{Figures, Scenarios};
use crate::cost::{Offer, Tiered};

/// One price moved: `offer`'s `price` multiplied by `1 + change`.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The offer whose price moves, by its name in `data/pricing.yaml` (e.g. `lambda-arm`).
    pub offer: String,
    /// The price's key in `data/pricing.yaml`, e.g. `usd_per_gb_second` (all its tiers move).
    pub price: &'static str,
    /// −0.1 for −10 %.
    pub change: f64,
}

/// A claim that no longer holds in one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Flip {
    /// Index of the claim in the list given to [`run`].
    pub claim: usize,
    /// The price change under which the claim no longer holds.
    pub case: Case,
    /// What the claim's first side then is, or why it cannot be computed.
    pub value: String,
}

/// What a sensitivity run tried and found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Claims that depend on prices (the others cannot flip here).
    pub claims: usize,
    /// Prices moved (each is tried once down and once up).
    pub prices: usize,
    /// Claims × cases evaluated.
    pub cases: usize,
    /// Claims that no longer hold, one entry per claim and case.
    pub flips: Vec<Flip>,
}

/// The price keys of an offer that are set (a zero price cannot move by a percentage).
fn prices(offer: &Offer) -> Vec<&'static str> {
    let set = |usd: f64, key| (usd != 0.0).then_some(key);
    let tiered = |t: &Tiered, key| (!t.0.is_empty()).then_some(key);
    let keys = match offer {
        Offer::PerRequest(p) => vec![
            set(p.usd_per_million_requests, "usd_per_million_requests"),
            tiered(&p.usd_per_gb_second, "usd_per_gb_second"),
            tiered(
                &p.gateway_usd_per_million_requests,
                "gateway_usd_per_million_requests",
            ),
            set(p.usd_per_month, "usd_per_month"),
            set(p.usd_per_million_cpu_ms, "usd_per_million_cpu_ms"),
        ],
        Offer::Provisioned(p) => vec![set(p.usd_per_hour, "usd_per_hour")],
    };
    keys.into_iter().flatten().collect()
}

/// `offer` with one price multiplied by `factor`.
fn scaled(offer: &Offer, price: &str, factor: f64) -> Offer {
    let mut offer = offer.clone();
    let tiers = |t: &mut Tiered| t.0.iter_mut().for_each(|tier| tier.usd *= factor);
    match &mut offer {
        Offer::PerRequest(p) => match price {
            "usd_per_million_requests" => p.usd_per_million_requests *= factor,
            "usd_per_gb_second" => tiers(&mut p.usd_per_gb_second),
            "gateway_usd_per_million_requests" => tiers(&mut p.gateway_usd_per_million_requests),
            "usd_per_month" => p.usd_per_month *= factor,
            "usd_per_million_cpu_ms" => p.usd_per_million_cpu_ms *= factor,
            _ => {}
        },
        Offer::Provisioned(p) => p.usd_per_hour *= factor,
    }
    offer
}

impl Figures {
    /// These figures with one price of one offer multiplied by `factor`.
    fn with_price(&self, offer: &str, price: &str, factor: f64) -> Figures {
        let mut figures = self.clone();
        if let Some(priced) = figures
            .pricing
            .as_mut()
            .and_then(|p| p.offers.get_mut(offer))
        {
            priced.offer = scaled(&priced.offer, price, factor);
        }
        figures
    }

    /// Every (offer, price) pair that can move.
    fn cases(&self, percent: f64) -> Vec<Case> {
        let mut cases = Vec::new();
        for (name, priced) in self.pricing.iter().flat_map(|p| &p.offers) {
            for price in prices(&priced.offer) {
                for change in [-percent / 100.0, percent / 100.0] {
                    cases.push(Case {
                        offer: name.clone(),
                        price,
                        change,
                    });
                }
            }
        }
        cases
    }
}

/// Evaluates every claim (with its page's scenarios) with each price moved by ±`percent`.
/// Claims that read no prices (cold starts) are left out: no price can change them.
pub fn run(figures: &Figures, claims: &[(&Claim, &Scenarios)], percent: f64) -> Report {
    let priced: Vec<usize> = (0..claims.len())
        .filter(|&i| {
            let (claim, scenarios) = claims[i];
            figures
                .claim(claim, scenarios)
                .is_ok_and(|(_, reads)| reads.iter().any(|r| r.ends_with("pricing.yaml")))
        })
        .collect();
    let cases = figures.cases(percent);
    let mut report = Report {
        claims: priced.len(),
        prices: cases.len() / 2,
        cases: priced.len() * cases.len(),
        flips: Vec::new(),
    };
    for case in cases {
        let moved = figures.with_price(&case.offer, case.price, 1.0 + case.change);
        for &i in &priced {
            let (claim, scenarios) = claims[i];
            let value = match moved.claim(claim, scenarios) {
                Ok((verdict, _)) if verdict.holds => continue,
                Ok((verdict, _)) => verdict.value_text,
                Err(e) => format!("cannot be computed: {}", e.message),
            };
            report.flips.push(Flip {
                claim: i,
                case: case.clone(),
                value,
            });
        }
    }
    report
}

#[cfg(test)]
mod tests;
