//! A small price table and scenarios of the tests' own, worked out by hand, so tests do not
//! depend on the blog's live `data/`.

use super::Figures;

/// One per-request offer at $0.20 per million requests and $0.0000166667 per GB-s, no free
/// tier in the scenarios, and one server at $0.0416/h = $30.368/month.
pub const PRICING: &str = "offers:
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
pub const SCENARIOS: &str = "scenarios:
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

pub fn figures() -> (Figures, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data folder");
    std::fs::write(data.join("pricing.yaml"), PRICING).expect("write pricing");
    std::fs::write(data.join("scenarios.yaml"), SCENARIOS).expect("write scenarios");
    let figures = super::tests::load(dir.path()).expect("valid data");
    (figures, dir)
}
