//! Sensitivity on the tests' own price table (`test_data`), worked out by hand.

use super::*;
use crate::figures::claims::parse;
use crate::figures::test_data::figures;

/// Scenario `small` costs, per request, $0.20/1e6 = 2e-7 for the request plus
/// 0.1 s × 0.5 GB × $0.0000166667 = 8.33335e-7 for memory-time. One box is $30.368/month.
/// - GB-s price +8 %: 2e-7 + 9.0000e-7 = 1.1e-6 → break-even 30.368 / (1.1e-6 × 2,628,000)
///   = 10.505 req/s; at +5 %: 1.075e-6 → 10.749 req/s.
/// - box −8 %: $27.939 → 9.665e-6… → break-even 10.288 req/s; at −5 %: 10.623 req/s.
///
/// So "break-even above 10.6" flips at ±8 % (two cases) and holds at ±5 %, while "the function
/// costs less than the box at 10 req/s" ($27.156 against $30.368, 12 % apart) holds at ±8 %.
#[test]
fn a_claim_built_to_flip_at_eight_percent_flips_and_a_robust_one_does_not() {
    let (figures, _dir) = figures();
    let scenarios = figures.page_scenarios(None).expect("scenarios");
    let fragile = parse("breakeven small fn box > 10.6").expect("parses");
    let robust = parse("cost small fn < cost small box").expect("parses");
    let claims = [(&fragile, &scenarios), (&robust, &scenarios)];

    let report = run(&figures, &claims, 8.0);
    assert_eq!(report.claims, 2);
    // fn: requests and GB-s; box: hourly price.
    assert_eq!(report.prices, 3);
    assert_eq!(report.cases, 2 * 6);
    let found: Vec<(usize, &str, &str, f64)> = report
        .flips
        .iter()
        .map(|f| (f.claim, f.case.offer.as_str(), f.case.price, f.case.change))
        .collect();
    assert_eq!(
        found,
        [
            (0, "box", "usd_per_hour", -0.08),
            (0, "fn", "usd_per_gb_second", 0.08)
        ]
    );
    let gb = &report.flips[1];
    assert!(gb.value.starts_with("10.5 req/s"), "{}", gb.value);

    assert!(run(&figures, &claims, 5.0).flips.is_empty());
}

#[test]
fn claims_that_read_no_prices_are_not_counted() {
    let (figures, _dir) = figures();
    let scenarios = figures.page_scenarios(None).expect("scenarios");
    let claim = parse("rate small > 5").expect("parses");
    let report = run(&figures, &[(&claim, &scenarios)], 10.0);
    assert_eq!((report.claims, report.cases), (0, 0));
    assert!(report.flips.is_empty());
}
