//! The claim parser and evaluator, on a small price table of the tests' own.

use super::*;
use crate::figures::Figures;

/// One per-request offer at $0.20 per million requests and $0.0000166667 per GB-s, no free
/// tier in the scenarios, and one server at $0.0416/h = $30.368/month.
const PRICING: &str = "offers:
  fn:
    kind: per-request
    source: https://example.com/fn
    as_of: 2026-01-01
    usd_per_million_requests: 0.20
    usd_per_gb_second: 0.0000166667
  box:
    kind: provisioned
    source: https://example.com/box
    as_of: 2026-01-01
    usd_per_hour: 0.0416
";

/// `small`: 10 req/s, 100 ms at 512 MB, one box serves 100 req/s.
/// Per request: $0.20/1e6 + 0.1 s × 0.5 GB × $0.0000166667 = $0.00000103333 (1.03333e-6).
/// Break-even against one box: 30.368 / (1.03333e-6 × 2,628,000 s) = 11.18 req/s.
/// At 10 req/s the function costs 10 × 2,628,000 × 1.03333e-6 = $27.156/month.
/// `idle`: same, but a box serves only 1 req/s: at 1 req/s it needs 1 box ($30.368) while the
/// function costs $2.7156, and every further req/s adds a box ($30.368) against $2.7156:
/// the function never catches up (`is none`).
const SCENARIOS: &str = "scenarios:
  small:
    rate_per_second: 10
    duration_ms: 100
    memory_mb: 512
    capacity_per_instance: 100
    free_tier: false
  idle:
    rate_per_second: 1
    duration_ms: 100
    memory_mb: 512
    capacity_per_instance: 1
    free_tier: false
";

fn figures() -> (Figures, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("pricing.yaml"), PRICING).expect("write pricing");
    std::fs::write(dir.path().join("scenarios.yaml"), SCENARIOS).expect("write scenarios");
    let figures = Figures::load(dir.path()).expect("valid data");
    (figures, dir)
}

fn holds(text: &str) -> Result<bool, String> {
    let (figures, _dir) = figures();
    let scenarios = figures.page_scenarios(None).map_err(|e| e.to_string())?;
    let claim = parse(text).map_err(|e| e.to_string())?;
    let (verdict, _) = figures
        .claim(&claim, &scenarios)
        .map_err(|e| e.to_string())?;
    Ok(verdict.holds)
}

#[test]
fn claims_hold_or_not_as_worked_out_by_hand() {
    let cases = [
        ("breakeven small fn box between 11 and 11.5", true),
        ("breakeven small fn box between 11.5 and 20", false),
        ("breakeven small fn box > 11.1", true),
        ("breakeven small fn box >= 11.2", false),
        ("breakeven small fn box<11.2", true),
        ("cost small fn < cost small box", true),
        ("cost small fn <= 27.1", false),
        ("cost small fn <= $27.16", true),
        ("cost small box > $30", true),
        ("ratio small box fn between 1.11 and 1.12", true),
        ("ratio small box fn > 1.2", false),
        ("breakeven idle fn box is none", true),
        ("breakeven small fn box is none", false),
        ("=rate small >= 10", true),
        ("rate small >= 10", true),
        ("1 < 2", true),
        ("$1,500 > 1499", true),
    ];
    for (text, expected) in cases {
        match holds(text) {
            Ok(got) => assert_eq!(got, expected, "claim `{text}`"),
            Err(e) => panic!("claim `{text}` failed to evaluate: {e}"),
        }
    }
}

#[test]
fn claims_that_are_written_wrong_say_how_to_write_them() {
    let cases = [
        ("cost small fn", "this claim compares nothing"),
        ("cost small fn between 1", "`between` needs `and`"),
        ("cost small fn is none", "only a `breakeven` value can be `none`"),
        ("< 3", "a side of this claim is empty"),
        ("cost small fn between and 3", "a side of this claim is empty"),
        ("cost smal fn < 3", "unknown scenario `smal`"),
        ("cost small lambda < 3", "unknown offer `lambda`"),
        ("costs small fn < 3", "unknown inline value `=costs`"),
        ("cost small fn < 3 4", "unknown inline value `=3`"),
        ("breakeven small fn < 3", "wrong number of arguments for `=breakeven`"),
    ];
    for (text, message) in cases {
        match holds(text) {
            Err(e) => assert!(e.contains(message), "claim `{text}`: got {e}"),
            Ok(h) => panic!("claim `{text}` evaluated to {h}, expected an error"),
        }
    }
}

#[test]
fn unknown_names_list_the_valid_ones() {
    let err = holds("cost small lamda < 3").expect_err("unknown offer");
    assert!(err.contains("valid offers: box, fn"), "{err}");
}

#[test]
fn a_claim_prints_back_as_written() {
    let text = "cold-start data.json \"rust (prov.al2023)\" 512 between 1 and 20";
    let claim = parse(text).expect("parses");
    assert_eq!(claim.to_string(), text);
    assert_eq!(
        parse("cost a b<=$3").expect("parses").to_string(),
        "cost a b <= 3"
    );
}
