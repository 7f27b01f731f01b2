//! Hand-worked cases for the cost model and the break-even solver, plus a property test.

use super::*;
use proptest::prelude::*;

/// AWS Lambda x86, us-east-1 list prices: $0.20 per million requests, GB-s tiered at
/// $0.0000166667 (first 6 billion), $0.000015 (next 9 billion), $0.0000133334 (beyond).
fn lambda_x86() -> PerRequest {
    PerRequest {
        usd_per_million_requests: 0.20,
        free_requests: 1_000_000.0,
        usd_per_gb_second: Tiered(vec![
            Tier {
                up_to: Some(6e9),
                usd: 0.0000166667,
            },
            Tier {
                up_to: Some(15e9),
                usd: 0.000015,
            },
            Tier {
                up_to: None,
                usd: 0.0000133334,
            },
        ]),
        free_gb_seconds: 400_000.0,
        ..PerRequest::default()
    }
}

fn t3_medium() -> Provisioned {
    Provisioned {
        usd_per_hour: 0.0416,
    }
}

fn workload(duration_ms: f64, memory_mb: f64, capacity: f64) -> Workload {
    Workload {
        duration_ms,
        memory_mb,
        cpu_ms: duration_ms,
        capacity_per_instance: Some(capacity),
        min_instances: 1,
        fleet: Fleet::Fixed,
        profile: Profile::flat(),
        free_tier: false,
    }
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 0.005
}

#[test]
fn lambda_at_1000_rps_100ms_1gb_without_free_tier() {
    // N = 1,000 × 2,628,000 = 2.628e9 requests; 2,628 million × $0.20 = $525.60.
    // GB-s = 2.628e9 × 0.1 s × 1 GB = 2.628e8 (tier 1) × $0.0000166667 = $4,380.00876.
    // Total $4,905.61.
    let cost = per_request_monthly(&lambda_x86(), &workload(100.0, 1024.0, 1.0), 1000.0);
    assert!(close(cost.part("requests").unwrap_or(0.0), 525.60));
    assert!(close(cost.part("compute").unwrap_or(0.0), 4380.01));
    assert!(close(cost.total(), 4905.61));
}

#[test]
fn free_tier_is_subtracted_before_pricing() {
    // 1 req/s: N = 2,628,000, less 1,000,000 free = 1,628,000 × $0.20/M = $0.3256.
    // GB-s = 2,628,000 × 0.1 × 0.5 = 131,400 < 400,000 free: $0.
    let mut w = workload(100.0, 512.0, 1.0);
    w.free_tier = true;
    let cost = per_request_monthly(&lambda_x86(), &w, 1.0);
    assert!(close(cost.total(), 0.3256));
}

#[test]
fn duration_is_billed_in_whole_milliseconds() {
    // 99.2 ms bills as 100 ms: same as the 100 ms case above.
    let cost = per_request_monthly(&lambda_x86(), &workload(99.2, 1024.0, 1.0), 1000.0);
    assert!(close(cost.total(), 4905.61));
}

#[test]
fn gb_second_tiers_price_each_slice_at_its_own_rate() {
    // 10,000 req/s × 1 s × 1 GB = 2.628e10 GB-s: 6e9 × $0.0000166667 = $100,000.20,
    // 9e9 × $0.000015 = $135,000, 1.128e10 × $0.0000133334 = $150,400.752; sum $385,400.952.
    let cost = per_request_monthly(&lambda_x86(), &workload(1000.0, 1024.0, 1.0), 10_000.0);
    assert!(close(cost.part("compute").unwrap_or(0.0), 385_400.952));
}

#[test]
fn tiered_gateway_adds_per_request() {
    // HTTP API: 300 million at $1.00/M, the rest at $0.90/M. At 1,000 req/s (2,628 million):
    // $300 + 2,328 × $0.90 = $2,395.20.
    let offer = PerRequest {
        gateway_usd_per_million_requests: Tiered(vec![
            Tier {
                up_to: Some(300e6),
                usd: 1.0,
            },
            Tier {
                up_to: None,
                usd: 0.9,
            },
        ]),
        ..lambda_x86()
    };
    let cost = per_request_monthly(&offer, &workload(100.0, 1024.0, 1.0), 1000.0);
    assert!(close(cost.part("gateway").unwrap_or(0.0), 2395.20));
}

#[test]
fn one_t3_medium_all_month() {
    // $0.0416/h × 730 h = $30.368.
    let cost = provisioned_monthly(&t3_medium(), &workload(100.0, 512.0, 100.0), 10.0);
    assert!(close(cost.total(), 30.37));
    assert_eq!(cost.instances, Some(1.0));
}

/// The notification service of claims.md #3: requests per hour of day.
fn notifications_profile() -> Profile {
    let mut per_hour = [500.0; 24];
    per_hour[6..9].fill(10_000.0);
    per_hour[9..17].fill(2_000.0);
    per_hour[17..19].fill(15_000.0);
    Profile::from_weights(&per_hour).unwrap_or_else(Profile::flat)
}

#[test]
fn fixed_and_autoscaled_fleets_follow_the_profile() {
    // 81,500 requests a day = 0.943 req/s on average. At 1 req/s per instance, hourly rates
    // 0.139, 2.78, 0.556 and 4.17 req/s need 1, 3, 1 and 5 instances.
    // Autoscaled: (11×1 + 3×3 + 8×1 + 2×5) = 38 instance-hours a day, 38/24 × $30.368 = $48.08.
    // Fixed for the peak hour: 5 × $30.368 = $151.84.
    let mut w = workload(100.0, 512.0, 1.0);
    w.profile = notifications_profile();
    let rate = 81_500.0 / 86_400.0;
    assert!(close(
        provisioned_monthly(&t3_medium(), &w, rate).total(),
        151.84
    ));
    w.fleet = Fleet::Autoscaled;
    assert!(close(
        provisioned_monthly(&t3_medium(), &w, rate).total(),
        48.08
    ));
}

#[test]
fn profile_rejects_bad_weights() {
    assert!(Profile::from_weights(&[1.0; 23]).is_none());
    assert!(Profile::from_weights(&[0.0; 24]).is_none());
    let mut negative = [1.0; 24];
    negative[3] = -1.0;
    assert!(Profile::from_weights(&negative).is_none());
    assert!(close(
        notifications_profile().peak(),
        15_000.0 * 24.0 / 81_500.0
    ));
}

#[test]
fn t3_medium_against_lambda_512mb_100ms() {
    // Per req/s Lambda costs 2,628,000 × ($0.0000002 + 0.05 GB-s × $0.0000166667)
    // = 2,628,000 × $0.000001033335 = $2.7156/month. $30.368 / $2.7156 = 11.18 req/s.
    let rate = break_even(&lambda_x86(), &t3_medium(), &workload(100.0, 512.0, 100.0));
    let rate = rate.rate().unwrap_or(0.0);
    assert!((rate - 11.1828).abs() < 0.001, "{rate}");
}

#[test]
fn free_tier_moves_the_break_even_up() {
    // The free tier is worth $0.20 + 400,000 × $0.0000166667 = $6.8667 once used up:
    // ($30.368 + $6.8667) / $2.7156 = 13.71 req/s.
    let mut w = workload(100.0, 512.0, 100.0);
    w.free_tier = true;
    let rate = break_even(&lambda_x86(), &t3_medium(), &w)
        .rate()
        .unwrap_or(0.0);
    assert!((rate - 13.711).abs() < 0.001, "{rate}");
}

#[test]
fn break_even_inside_a_later_step() {
    // At 12 req/s per instance the first t3.medium covers the 11.18 req/s crossing.
    let w = workload(100.0, 512.0, 12.0);
    assert!(
        matches!(break_even(&lambda_x86(), &t3_medium(), &w), BreakEven::At(r) if (r - 11.1828).abs() < 0.001)
    );
    // At 11 req/s per instance, each new instance arrives just before Lambda catches up
    // (k × 11 < k × 11.18 for every k): Lambda stays cheaper everywhere.
    let w = workload(100.0, 512.0, 11.0);
    assert_eq!(
        break_even(&lambda_x86(), &t3_medium(), &w),
        BreakEven::NotInRange
    );
}

#[test]
fn base_fee_above_a_tiny_server_is_dearer_from_zero() {
    // Workers' $5 fee against a $0.73/month server: pay-per-request is never cheaper.
    let workers = PerRequest {
        usd_per_month: 5.0,
        usd_per_million_requests: 0.30,
        ..PerRequest::default()
    };
    let tiny = Provisioned {
        usd_per_hour: 0.001,
    };
    assert_eq!(
        break_even(&workers, &tiny, &workload(10.0, 128.0, 100.0)),
        BreakEven::FromZero
    );
}

#[test]
fn scale_to_zero_fleet_still_breaks_even_at_the_first_instance() {
    // min_instances 0: the first request starts one t3.medium, so the crossing is 11.18 req/s.
    let mut w = workload(100.0, 512.0, 100.0);
    w.min_instances = 0;
    w.fleet = Fleet::Autoscaled;
    let rate = break_even(&lambda_x86(), &t3_medium(), &w)
        .rate()
        .unwrap_or(0.0);
    assert!((rate - 11.1828).abs() < 0.001, "{rate}");
}

fn arb_per_request() -> impl Strategy<Value = PerRequest> {
    (
        0.0..2.0,
        1e-7..1e-4,
        0.0..5e6,
        0.0..20.0,
        proptest::option::of((1e5..1e10, 0.2..1.0)),
        0.0..3.0,
    )
        .prop_map(|(p_req, p_gbs, free, fee, tier, gateway)| PerRequest {
            usd_per_month: fee,
            usd_per_million_requests: p_req,
            free_requests: free,
            usd_per_gb_second: match tier {
                Some((bound, discount)) => Tiered(vec![
                    Tier {
                        up_to: Some(bound),
                        usd: p_gbs,
                    },
                    Tier {
                        up_to: None,
                        usd: p_gbs * discount,
                    },
                ]),
                None => Tiered::flat(p_gbs),
            },
            free_gb_seconds: free / 10.0,
            gateway_usd_per_million_requests: Tiered::flat(gateway),
            ..PerRequest::default()
        })
}

fn arb_workload() -> impl Strategy<Value = Workload> {
    let weights = proptest::collection::vec(0.0..10.0f64, 24);
    (
        1.0..2000.0,
        128.0..10240.0,
        0.5..2000.0,
        0u32..4,
        any::<bool>(),
        weights,
        any::<bool>(),
    )
        .prop_map(
            |(duration_ms, memory_mb, capacity, n0, autoscaled, weights, free_tier)| Workload {
                duration_ms,
                memory_mb,
                cpu_ms: duration_ms,
                capacity_per_instance: Some(capacity),
                min_instances: n0,
                fleet: if autoscaled {
                    Fleet::Autoscaled
                } else {
                    Fleet::Fixed
                },
                profile: Profile::from_weights(&weights).unwrap_or_else(Profile::flat),
                free_tier,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn reported_break_even_costs_are_equal(p in arb_per_request(), w in arb_workload(), hourly in 0.001..5.0f64) {
        let server = Provisioned { usd_per_hour: hourly };
        if let BreakEven::At(rate) = break_even(&p, &server, &w) {
            let serverless = per_request_monthly(&p, &w, rate).total();
            let provisioned = provisioned_monthly(&server, &w, rate).total();
            prop_assert!((serverless - provisioned).abs() < 0.01, "{serverless} vs {provisioned} at {rate}");
            // …and it is the lowest: below it pay-per-request is cheaper.
            for i in 1..20 {
                let below = rate * f64::from(i) / 20.0;
                let (r, s) = (per_request_monthly(&p, &w, below).total(), provisioned_monthly(&server, &w, below).total());
                prop_assert!(r < s + 0.01, "{r} ≥ {s} at {below} < {rate}");
            }
        }
    }

    /// Where pay-per-request costs more than the fleet at some rate, the lines cross at or
    /// below it: the solver must report that crossing, never "no break-even". Rates stay within
    /// 100,000 × the capacity so the fleet has far fewer sizes than the solver's step limit.
    #[test]
    fn a_break_even_is_found_wherever_the_lines_must_cross(p in arb_per_request(), w in arb_workload(), hourly in 0.001..5.0f64) {
        let server = Provisioned { usd_per_hour: hourly };
        let top = crate::cost::MAX_RATE.min(w.capacity_per_instance.unwrap_or(1.0) * 1e5);
        let rates = (0..=80).map(|i| 1e-3 * (top / 1e-3).powf(f64::from(i) / 80.0));
        let dearer = |r: f64| per_request_monthly(&p, &w, r).total() > provisioned_monthly(&server, &w, r).total() + 0.01;
        if let Some(first) = rates.clone().find(|r| dearer(*r)) {
            match break_even(&p, &server, &w) {
                BreakEven::At(at) => prop_assert!(at <= first * (1.0 + 1e-9), "{at} > {first}"),
                BreakEven::FromZero => {}
                BreakEven::NotInRange => prop_assert!(false, "pay-per-request costs more at {first} req/s, yet no break-even"),
            }
        }
    }
}
