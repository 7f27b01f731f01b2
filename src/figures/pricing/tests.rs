//! `data/pricing.yaml` read as a build reads it, and its errors at their lines.

use super::*;

const FILE: &str = "data/pricing.yaml";

/// Parses `text` as the data loader does, then reads the offers from it.
fn parse_text(text: &str) -> Result<Pricing, Vec<FigureError>> {
    let document = Document::parse(text.to_string(), Path::new(FILE))
        .map_err(|d| vec![FigureError::at(d.line, d.message)])?;
    parse(&document, Path::new(FILE))
}

fn first_error(text: &str) -> FigureError {
    let errors = parse_text(text).err().unwrap_or_default();
    errors
        .into_iter()
        .next()
        .unwrap_or_else(|| FigureError::at(None, "no error"))
}

#[test]
fn the_site_pricing_parses() {
    let text = include_str!("../../../data/pricing.yaml");
    let pricing = parse_text(text).map_err(|e| format!("{e:?}"));
    let pricing = pricing.unwrap_or_default();
    assert!(pricing.offers.len() >= 12);
    // Fargate 1 vCPU + 2 GB: 0.04048 + 2 × 0.004445 = $0.04937 an hour.
    let fargate = pricing
        .offers
        .get("fargate-1vcpu-2gb")
        .map(|o| o.offer.clone());
    assert!(
        matches!(fargate, Some(Offer::Provisioned(p)) if (p.usd_per_hour - 0.04937).abs() < 1e-12)
    );
}

#[test]
fn negative_price_names_the_file_and_line() {
    let text = "offers:\n  t3.medium:\n    kind: provisioned\n    source: https://x.test/\n    as_of: 2026-11-22\n    usd_per_hour: -0.0416\n";
    let error = first_error(text);
    assert_eq!(error.file.as_deref(), Some(Path::new(FILE)));
    assert_eq!(error.line, Some(6));
    assert_eq!(
        error.message,
        "offer `t3.medium`: `usd_per_hour` must be a number ≥ 0, not -0.0416"
    );
}

#[test]
fn broken_yaml_names_the_file_and_line() {
    let text = "offers:\n  t3.medium:\n    kind: provisioned\n    usd_per_hr: 0.0416\n";
    let error = first_error(text);
    assert_eq!(error.file.as_deref(), Some(Path::new(FILE)));
    assert_eq!(error.line, Some(4));
    assert!(
        error.message.contains("unknown field `usd_per_hr`"),
        "{}",
        error.message
    );
    assert!(error.help.unwrap_or_default().contains("`usd_per_hour`"));
}
