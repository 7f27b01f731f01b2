//! The break-even solver: the lowest average rate at which a pay-per-request offer costs as much
//! as a provisioned one, found exactly across the provisioned step function (no sampling).
//!
//! The pay-per-request cost C_r is continuous, non-decreasing and piecewise linear in the rate
//! (kinks where a free allowance or a price tier ends). The provisioned cost C_p is a
//! non-decreasing step function, constant on each interval (k−1)·c/w < λ ≤ k·c/w. So C_r − C_p can
//! only become ≥ 0 inside a step, where C_p is a constant K and C_r = K is a linear equation.
//! Bounds L ≤ C_p ≤ U (the fleet without rounding up, and with one extra instance per term) skip
//! the steps where no crossing is possible, so only the steps between the two bounds' crossings
//! are visited.

use super::{
    Fleet, MAX_RATE, MAX_STEPS, PerRequest, Provisioned, Workload, ceil_tolerant,
    per_request_kinks, per_request_monthly,
};

/// Where a pay-per-request offer first costs as much as a provisioned one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BreakEven {
    /// At this average rate (req/s) both cost the same; below it pay-per-request is cheaper.
    At(f64),
    /// Pay-per-request costs at least as much as the provisioned fleet from the first request on.
    FromZero,
    /// Pay-per-request stays cheaper up to `MAX_RATE` (or the solver's step limit).
    NotInRange,
}

impl BreakEven {
    /// The break-even rate: `Some(0.0)` for `FromZero`, `None` when there is none in range.
    pub fn rate(&self) -> Option<f64> {
        match self {
            BreakEven::At(rate) => Some(*rate),
            BreakEven::FromZero => Some(0.0),
            BreakEven::NotInRange => None,
        }
    }
}

/// One group of hours billed alike: `usd` per instance-month share, `scale` = weight / capacity
/// (0: the count never leaves `min_instances`).
struct Term {
    scale: f64,
    usd: f64,
}

/// The provisioned cost as Σ_terms usd · max(n0, ⌈λ·scale⌉).
struct Steps {
    terms: Vec<Term>,
    n0: f64,
}

impl Steps {
    fn new(p: &Provisioned, w: &Workload) -> Steps {
        let month = p.usd_per_hour * super::HOURS_PER_MONTH;
        let capacity = w.capacity_per_instance.filter(|c| *c > 0.0);
        let scale = |weight: f64| capacity.map_or(0.0, |c| weight / c);
        let mut terms: Vec<Term> = match w.fleet {
            Fleet::Fixed => vec![Term {
                scale: scale(w.profile.peak()),
                usd: month,
            }],
            Fleet::Autoscaled => w
                .profile
                .weights()
                .iter()
                .map(|h| Term {
                    scale: scale(*h),
                    usd: month / 24.0,
                })
                .collect(),
        };
        // Hours with equal weight step together: merge them so each step is visited once.
        terms.sort_by(|a, b| a.scale.total_cmp(&b.scale));
        terms.dedup_by(|next, kept| {
            let same = next.scale == kept.scale;
            if same {
                kept.usd += next.usd;
            }
            same
        });
        Steps {
            terms,
            n0: f64::from(w.min_instances),
        }
    }

    fn cost(&self, rate: f64) -> f64 {
        let count = |t: &Term| self.n0.max(ceil_tolerant(rate * t.scale));
        self.terms.iter().map(|t| t.usd * count(t)).sum()
    }

    fn lower(&self, rate: f64) -> f64 {
        self.terms
            .iter()
            .map(|t| t.usd * self.n0.max(rate * t.scale))
            .sum()
    }

    fn upper(&self, rate: f64) -> f64 {
        let rounding: f64 = self
            .terms
            .iter()
            .filter(|t| t.scale > 0.0)
            .map(|t| t.usd)
            .sum();
        self.lower(rate) + rounding
    }

    /// Where the bounds change slope: the end of the minimum fleet in each term.
    fn kinks(&self) -> impl Iterator<Item = f64> + '_ {
        self.terms
            .iter()
            .filter(|t| t.scale > 0.0 && self.n0 > 0.0)
            .map(|t| self.n0 / t.scale)
    }
}

/// True when `a` reaches `b`, allowing for rounding in sums of millions of dollars.
fn reaches(a: f64, b: f64) -> bool {
    a >= b - 1e-10 * b.abs().max(1.0)
}

/// The lowest x in [from, to] with f(x) ≥ 0, for f continuous and linear between `kinks`.
fn first_reaching(f: impl Fn(f64) -> f64, kinks: &[f64], from: f64, to: f64) -> Option<f64> {
    let mut prev = (from, f(from));
    if prev.1 >= 0.0 {
        return Some(from);
    }
    let inside = kinks.iter().copied().filter(|k| *k > from && *k < to);
    for x in inside.chain(std::iter::once(to)) {
        let fx = f(x);
        if fx >= 0.0 {
            let (x0, f0) = prev;
            // f is linear on [x0, x], so the root is exact up to rounding.
            let root = x0 + (x - x0) * (-f0 / (fx - f0));
            return Some(root.clamp(x0, x));
        }
        prev = (x, fx);
    }
    None
}

/// The break-even rate between a pay-per-request and a provisioned offer for one workload,
/// searched over 0 < rate ≤ `MAX_RATE`.
pub fn break_even(per_request: &PerRequest, provisioned: &Provisioned, w: &Workload) -> BreakEven {
    let steps = Steps::new(provisioned, w);
    let cost_r = |rate: f64| per_request_monthly(per_request, w, rate).total();
    let kinks_r = per_request_kinks(per_request, w);
    let mut kinks: Vec<f64> = kinks_r.iter().copied().chain(steps.kinks()).collect();
    kinks.sort_by(f64::total_cmp);

    // Below `low`, C_r < L ≤ C_p: no crossing. At `high`, C_r ≥ U ≥ C_p: crossed already.
    let below_lower = |rate: f64| cost_r(rate) - steps.lower(rate);
    let Some(low) = first_reaching(below_lower, &kinks, 0.0, MAX_RATE) else {
        return BreakEven::NotInRange;
    };
    let below_upper = |rate: f64| cost_r(rate) - steps.upper(rate);
    let high = first_reaching(below_upper, &kinks, low, MAX_RATE).unwrap_or(MAX_RATE);
    if low > 0.0 && reaches(cost_r(low), steps.cost(low)) {
        return BreakEven::At(low);
    }
    scan(&steps, &cost_r, &kinks_r, (low, high))
}

/// Visits the steps of C_p from `low` (exclusive) up to `high`, returning the first crossing.
fn scan(
    steps: &Steps,
    cost_r: &dyn Fn(f64) -> f64,
    kinks_r: &[f64],
    (low, high): (f64, f64),
) -> BreakEven {
    // For each term, the instance count on the current step and where that step ends.
    let mut counts: Vec<(f64, f64)> = steps
        .terms
        .iter()
        .map(|t| {
            if t.scale > 0.0 {
                let k = steps.n0.max(floor_tolerant(low * t.scale) + 1.0);
                (k, k / t.scale)
            } else {
                (steps.n0, f64::INFINITY)
            }
        })
        .collect();
    let mut from = low;
    for _ in 0..MAX_STEPS {
        let level: f64 = steps
            .terms
            .iter()
            .zip(&counts)
            .map(|(t, (k, _))| t.usd * k)
            .sum();
        let end = counts.iter().map(|(_, e)| *e).fold(f64::INFINITY, f64::min);
        let check = end.min(high);
        if reaches(cost_r(check), level) {
            if from == 0.0 && reaches(cost_r(0.0), level) {
                return BreakEven::FromZero;
            }
            let solved = first_reaching(|r| cost_r(r) - level, kinks_r, from, check);
            return BreakEven::At(solved.unwrap_or(check));
        }
        if end >= high {
            return BreakEven::NotInRange;
        }
        for (term, (k, e)) in steps.terms.iter().zip(counts.iter_mut()) {
            if *e == end {
                *k += 1.0;
                *e = *k / term.scale;
            }
        }
        from = end;
    }
    BreakEven::NotInRange
}

/// Rates in (from, to] where the fleet changes size, ascending; `None` if there are more than
/// `limit` (a chart then samples instead).
pub fn fleet_steps(w: &Workload, (from, to): (f64, f64), limit: usize) -> Option<Vec<f64>> {
    let steps = Steps::new(&Provisioned { usd_per_hour: 1.0 }, w);
    let mut rates = Vec::new();
    for term in steps.terms.iter().filter(|t| t.scale > 0.0) {
        let mut k = steps.n0.max(floor_tolerant(from * term.scale) + 1.0);
        while k / term.scale <= to {
            if rates.len() >= limit {
                return None;
            }
            rates.push(k / term.scale);
            k += 1.0;
        }
    }
    rates.sort_by(f64::total_cmp);
    rates.dedup();
    Some(rates)
}

/// `floor`, except that a value within rounding error of an integer counts as that integer.
fn floor_tolerant(x: f64) -> f64 {
    let nearest = x.round();
    if (x - nearest).abs() <= 1e-9 * nearest.abs().max(1.0) {
        nearest
    } else {
        x.floor()
    }
}
