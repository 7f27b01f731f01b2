//! The cost model: monthly USD of a workload on a pay-per-request or a provisioned offer, and the
//! exact break-even rate between the two. Pure arithmetic, no I/O (DESIGN.md, "The cost model").

/// Hours in a billing month: AWS and most clouds bill a month as 730 hours (8,760 h / 12).
pub const HOURS_PER_MONTH: f64 = 730.0;
/// Seconds in a billing month: 730 h × 3,600 s.
pub const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3600.0;
mod breakeven;
pub use breakeven::{BreakEven, break_even, fleet_steps};

/// The break-even search range is 0 < rate ≤ `MAX_RATE` requests per second (86 billion a day:
/// far beyond any workload a blog post compares).
pub const MAX_RATE: f64 = 1e6;
/// The solver gives up (reporting "no break-even in range") after this many fleet-size changes,
/// which only a capacity of a small fraction of a request per second per instance can reach.
pub const MAX_STEPS: usize = 5_000_000;

/// One price tier: `usd` per unit up to the cumulative quantity `up_to` (`None`: no limit).
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// Cumulative upper bound of the tier, in the priced unit; `None` for the open-ended last tier.
    pub up_to: Option<f64>,
    /// Price per unit inside this tier.
    pub usd: f64,
}

/// A tiered price: tiers in increasing order of `up_to`, the last one open-ended.
/// An empty list prices everything at zero.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tiered(pub Vec<Tier>);

impl Tiered {
    /// One price for any quantity.
    pub fn flat(usd: f64) -> Tiered {
        Tiered(vec![Tier { up_to: None, usd }])
    }

    /// The cost of `quantity` units, each tier priced at its own rate.
    pub fn cost(&self, quantity: f64) -> f64 {
        let mut total = 0.0;
        let mut below = 0.0;
        for tier in &self.0 {
            let top = tier.up_to.unwrap_or(f64::INFINITY);
            if quantity <= below {
                break;
            }
            total += (quantity.min(top) - below) * tier.usd;
            below = top;
        }
        total
    }

    /// Cumulative tier bounds (where the marginal price changes).
    fn bounds(&self) -> impl Iterator<Item = f64> + '_ {
        self.0.iter().filter_map(|t| t.up_to)
    }
}

/// A function platform billed per request (AWS Lambda, Cloudflare Workers …).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PerRequest {
    /// A fixed monthly fee (Workers Paid's $5 minimum), charged at any traffic.
    pub usd_per_month: f64,
    /// Price per million requests.
    pub usd_per_million_requests: f64,
    /// Requests free each month (the account's free tier, which a scenario may turn off).
    pub free_requests: f64,
    /// Requests included in the monthly fee (always applies).
    pub included_requests: f64,
    /// Price per GB-second of billed duration × memory (GB = 1,024 MB), possibly tiered.
    pub usd_per_gb_second: Tiered,
    /// GB-seconds free each month.
    pub free_gb_seconds: f64,
    /// An API gateway in front, priced per million requests (tiers bounded in requests).
    pub gateway_usd_per_million_requests: Tiered,
    /// Price per million CPU-milliseconds (Workers bills CPU time, not wall time).
    pub usd_per_million_cpu_ms: f64,
    /// CPU-milliseconds included in the monthly fee (always applies).
    pub included_cpu_ms: f64,
}

/// Servers or containers billed by the hour whether busy or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Provisioned {
    /// Price of one instance for one hour.
    pub usd_per_hour: f64,
}

/// Either kind of offer.
#[derive(Debug, Clone, PartialEq)]
pub enum Offer {
    /// Billed per request and per unit of work.
    PerRequest(PerRequest),
    /// Billed per instance-hour.
    Provisioned(Provisioned),
}

/// How a provisioned fleet follows the daily traffic profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fleet {
    /// Sized once for the peak hour and kept all month.
    #[default]
    Fixed,
    /// Resized every hour to that hour's traffic.
    Autoscaled,
}

/// 24 hourly weights with mean 1: the rate in hour h is the average rate × `weights[h]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    weights: [f64; 24],
}

impl Profile {
    /// Every hour carries the average rate.
    pub fn flat() -> Profile {
        Profile { weights: [1.0; 24] }
    }

    /// Normalises 24 non-negative weights (any scale, e.g. requests per hour) to mean 1.
    /// `None` unless there are exactly 24 finite, non-negative weights with a positive sum.
    pub fn from_weights(raw: &[f64]) -> Option<Profile> {
        let valid = raw.len() == 24 && raw.iter().all(|w| w.is_finite() && *w >= 0.0);
        let sum: f64 = raw.iter().sum();
        if !(valid && sum > 0.0 && sum.is_finite()) {
            return None;
        }
        let mut weights = [0.0; 24];
        for (w, r) in weights.iter_mut().zip(raw) {
            *w = r * 24.0 / sum;
        }
        Some(Profile { weights })
    }

    /// The normalised weights (mean 1).
    pub fn weights(&self) -> &[f64; 24] {
        &self.weights
    }

    /// The busiest hour's weight: peak rate ÷ average rate.
    pub fn peak(&self) -> f64 {
        self.weights.iter().copied().fold(0.0, f64::max)
    }

    /// True when every hour carries the average.
    pub fn is_flat(&self) -> bool {
        self.weights.iter().all(|w| *w == 1.0)
    }
}

/// Everything about a workload except its rate (the chart's x axis).
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Billed duration per request, ms; rounded up to a whole millisecond as Lambda bills it.
    pub duration_ms: f64,
    /// Memory allocated to the function, MB.
    pub memory_mb: f64,
    /// CPU time per request, ms, for offers that bill CPU time (defaults to the duration).
    pub cpu_ms: f64,
    /// Requests per second one instance serves at its target utilisation; `None`: unlimited
    /// (the fleet is always `min_instances`).
    pub capacity_per_instance: Option<f64>,
    /// The smallest fleet.
    pub min_instances: u32,
    /// Fixed or autoscaled fleet.
    pub fleet: Fleet,
    /// Traffic by hour of day.
    pub profile: Profile,
    /// Whether the account's monthly free tier applies to this workload.
    pub free_tier: bool,
}

/// A monthly cost split into named parts, in USD.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// `(part, usd)`: "base fee", "requests", "compute", "gateway", "CPU" or "instances".
    pub parts: Vec<(&'static str, f64)>,
    /// Average number of instances running (provisioned offers only).
    pub instances: Option<f64>,
}

impl Breakdown {
    /// Total monthly USD.
    pub fn total(&self) -> f64 {
        self.parts.iter().map(|(_, usd)| usd).sum()
    }

    /// The USD of one part, if the offer has it.
    pub fn part(&self, name: &str) -> Option<f64> {
        self.parts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, usd)| *usd)
    }
}

/// Monthly cost of `offer` at an average `rate` (requests per second).
pub fn monthly(offer: &Offer, workload: &Workload, rate: f64) -> Breakdown {
    match offer {
        Offer::PerRequest(p) => per_request_monthly(p, workload, rate),
        Offer::Provisioned(p) => provisioned_monthly(p, workload, rate),
    }
}

/// A billed quantity that grows linearly with the rate, less a free allowance, priced in tiers.
struct Meter<'a> {
    name: &'static str,
    per_rate: f64,
    free: f64,
    price: &'a Tiered,
}

impl Meter<'_> {
    fn cost(&self, rate: f64) -> f64 {
        self.price.cost((self.per_rate * rate - self.free).max(0.0))
    }

    /// Rates where the marginal price changes: the end of the free allowance and tier bounds.
    fn kinks(&self) -> impl Iterator<Item = f64> + '_ {
        let free = (self.free > 0.0).then_some(self.free);
        free.into_iter()
            .chain(self.price.bounds().map(|b| b + self.free))
            .filter(|_| self.per_rate > 0.0)
            .map(|q| q / self.per_rate)
    }
}

/// The meters of a pay-per-request offer; prices per million are held as prices per unit.
fn meters<'a>(p: &'a PerRequest, w: &Workload, per_unit: &'a [Tiered; 2]) -> [Meter<'a>; 4] {
    let free = |amount: f64| if w.free_tier { amount } else { 0.0 };
    // Lambda bills duration rounded up to the millisecond; GB is 1,024 MB.
    let gb_seconds = w.duration_ms.ceil() / 1000.0 * w.memory_mb / 1024.0;
    [
        Meter {
            name: "requests",
            per_rate: SECONDS_PER_MONTH,
            free: free(p.free_requests) + p.included_requests,
            price: &per_unit[0],
        },
        Meter {
            name: "compute",
            per_rate: SECONDS_PER_MONTH * gb_seconds,
            free: free(p.free_gb_seconds),
            price: &p.usd_per_gb_second,
        },
        Meter {
            name: "CPU",
            per_rate: SECONDS_PER_MONTH * w.cpu_ms,
            free: p.included_cpu_ms,
            price: &per_unit[1],
        },
        Meter {
            name: "gateway",
            per_rate: SECONDS_PER_MONTH,
            free: 0.0,
            price: &p.gateway_usd_per_million_requests,
        },
    ]
}

/// Per-million prices as per-unit tiers; the gateway's tiers are scaled where they are used.
fn per_unit_prices(p: &PerRequest) -> [Tiered; 2] {
    [
        Tiered::flat(p.usd_per_million_requests / 1e6),
        Tiered::flat(p.usd_per_million_cpu_ms / 1e6),
    ]
}

/// A gateway tiered per million requests, re-expressed per request.
fn gateway_per_request(p: &PerRequest) -> PerRequest {
    let tiers = p.gateway_usd_per_million_requests.0.iter();
    let per_request = tiers
        .map(|t| Tier {
            up_to: t.up_to,
            usd: t.usd / 1e6,
        })
        .collect();
    PerRequest {
        gateway_usd_per_million_requests: Tiered(per_request),
        ..p.clone()
    }
}

/// Monthly cost on a pay-per-request offer:
/// fee + max(0, N − free_req)·p_req + tiered(max(0, GBs − free_gbs)) + CPU + N·p_gw.
pub fn per_request_monthly(p: &PerRequest, w: &Workload, rate: f64) -> Breakdown {
    let p = gateway_per_request(p);
    let per_unit = per_unit_prices(&p);
    let mut parts = Vec::new();
    if p.usd_per_month > 0.0 {
        parts.push(("base fee", p.usd_per_month));
    }
    for meter in meters(&p, w, &per_unit) {
        if !meter.price.0.is_empty() && meter.price.0.iter().any(|t| t.usd > 0.0) {
            parts.push((meter.name, meter.cost(rate)));
        }
    }
    Breakdown {
        parts,
        instances: None,
    }
}

/// Rates (req/s) where a pay-per-request cost changes slope, sorted.
pub fn per_request_kinks(p: &PerRequest, w: &Workload) -> Vec<f64> {
    let p = gateway_per_request(p);
    let per_unit = per_unit_prices(&p);
    let mut kinks: Vec<f64> = meters(&p, w, &per_unit)
        .iter()
        .flat_map(|m| m.kinks().collect::<Vec<_>>())
        .filter(|k| k.is_finite() && *k > 0.0)
        .collect();
    kinks.sort_by(f64::total_cmp);
    kinks.dedup();
    kinks
}

/// `ceil`, except that a value within rounding error of an integer counts as that integer, so a
/// rate computed as k·c/w lands on step k, not k + 1.
pub(crate) fn ceil_tolerant(x: f64) -> f64 {
    let nearest = x.round();
    if (x - nearest).abs() <= 1e-9 * nearest.abs().max(1.0) {
        nearest
    } else {
        x.ceil()
    }
}

/// Instances needed for `rate` at one weight: max(n0, ⌈rate·weight / capacity⌉).
fn instances(w: &Workload, rate: f64, weight: f64) -> f64 {
    let n0 = f64::from(w.min_instances);
    match w.capacity_per_instance {
        Some(c) if c > 0.0 => n0.max(ceil_tolerant(rate * weight / c)),
        _ => n0,
    }
}

/// Monthly cost on a provisioned offer. Fixed: n = max(n0, ⌈λ·max_h w_h / c⌉), cost = n·P·730.
/// Autoscaled: cost = Σ_h max(n0, ⌈λ·w_h / c⌉)·P·730/24.
pub fn provisioned_monthly(p: &Provisioned, w: &Workload, rate: f64) -> Breakdown {
    let average = match w.fleet {
        Fleet::Fixed => instances(w, rate, w.profile.peak()),
        Fleet::Autoscaled => {
            let hours = w.profile.weights().iter().map(|&h| instances(w, rate, h));
            hours.sum::<f64>() / 24.0
        }
    };
    let usd = average * p.usd_per_hour * HOURS_PER_MONTH;
    Breakdown {
        parts: vec![("instances", usd)],
        instances: Some(average),
    }
}

#[cfg(test)]
mod tests;
