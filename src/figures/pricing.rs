//! `data/pricing.yaml`: the offers figures compare, parsed into `cost::Offer`s with their sources
//! and dates, and checked (no negative prices, well-formed tiers) with errors at the file's line.

use super::FigureError;
use super::args::{Lines, MAX_PRICE_NUMBER, non_negative, within};
use crate::cost::{Offer, PerRequest, Provisioned, Tier, Tiered};
use crate::yaml::Document;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// An offer with where its prices come from.
#[derive(Debug, Clone, PartialEq)]
pub struct PricedOffer {
    /// Its key in `offers:`.
    pub name: String,
    /// What charts, tables and captions call it ("Lambda (Arm)"); the name unless given.
    pub label: String,
    /// vCPUs of one instance, for scenarios that give `capacity_per_vcpu`.
    pub vcpus: Option<f64>,
    /// The prices.
    pub offer: Offer,
    /// Source URLs.
    pub sources: Vec<String>,
    /// The date the prices were read (`YYYY-MM-DD`).
    pub as_of: String,
}

/// All offers, by name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pricing {
    /// Offers by name (sorted, so help texts list them in a stable order).
    pub offers: BTreeMap<String, PricedOffer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPricing {
    offers: BTreeMap<String, RawOffer>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    PerRequest,
    Provisioned,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Sources {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Price<T> {
    Flat(f64),
    Tiers(Vec<T>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GbTier {
    up_to_gb_seconds: Option<f64>,
    usd: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestTier {
    up_to_requests: Option<f64>,
    usd: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    kind: Kind,
    label: Option<String>,
    source: Sources,
    as_of: String,
    #[allow(dead_code)] // documentation for readers of the YAML
    note: Option<String>,
    usd_per_million_requests: Option<f64>,
    usd_per_gb_second: Option<Price<GbTier>>,
    free_requests: Option<f64>,
    free_gb_seconds: Option<f64>,
    gateway_usd_per_million_requests: Option<Price<RequestTier>>,
    usd_per_month: Option<f64>,
    usd_per_million_cpu_ms: Option<f64>,
    included_requests: Option<f64>,
    included_cpu_ms: Option<f64>,
    usd_per_hour: Option<f64>,
    usd_per_vcpu_hour: Option<f64>,
    usd_per_gb_hour: Option<f64>,
    vcpus: Option<f64>,
    memory_gb: Option<f64>,
}

/// A problem with one key of one offer; its line is found afterwards.
fn problem(key: &'static str, message: impl Into<String>) -> FigureError {
    FigureError::at(None, message).about(key)
}

impl RawOffer {
    /// Every number with its key, for the sign check.
    fn numbers(&self) -> Vec<(&'static str, f64)> {
        let mut numbers = vec![
            ("usd_per_million_requests", self.usd_per_million_requests),
            ("free_requests", self.free_requests),
            ("free_gb_seconds", self.free_gb_seconds),
            ("usd_per_month", self.usd_per_month),
            ("usd_per_million_cpu_ms", self.usd_per_million_cpu_ms),
            ("included_requests", self.included_requests),
            ("included_cpu_ms", self.included_cpu_ms),
            ("usd_per_hour", self.usd_per_hour),
            ("usd_per_vcpu_hour", self.usd_per_vcpu_hour),
            ("usd_per_gb_hour", self.usd_per_gb_hour),
            ("vcpus", self.vcpus),
            ("memory_gb", self.memory_gb),
        ];
        if let Some(Price::Flat(usd)) = self.usd_per_gb_second {
            numbers.push(("usd_per_gb_second", Some(usd)));
        }
        if let Some(Price::Flat(usd)) = self.gateway_usd_per_million_requests {
            numbers.push(("gateway_usd_per_million_requests", Some(usd)));
        }
        numbers
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    }

    fn per_request(&self) -> Result<Offer, FigureError> {
        let provisioned_only = [
            ("usd_per_hour", self.usd_per_hour),
            ("usd_per_vcpu_hour", self.usd_per_vcpu_hour),
            ("usd_per_gb_hour", self.usd_per_gb_hour),
            ("vcpus", self.vcpus),
            ("memory_gb", self.memory_gb),
        ];
        if let Some((key, _)) = provisioned_only.iter().find(|(_, v)| v.is_some()) {
            return Err(problem(
                key,
                format!("`{key}` does not apply to a per-request offer"),
            ));
        }
        let Some(usd_per_million_requests) = self.usd_per_million_requests else {
            return Err(problem(
                "kind",
                "a per-request offer needs `usd_per_million_requests`",
            ));
        };
        Ok(Offer::PerRequest(PerRequest {
            usd_per_month: self.usd_per_month.unwrap_or(0.0),
            usd_per_million_requests,
            free_requests: self.free_requests.unwrap_or(0.0),
            usd_per_gb_second: tiers(
                "usd_per_gb_second",
                &self.usd_per_gb_second,
                |t: &GbTier| (t.up_to_gb_seconds, t.usd),
            )?,
            free_gb_seconds: self.free_gb_seconds.unwrap_or(0.0),
            gateway_usd_per_million_requests: tiers(
                "gateway_usd_per_million_requests",
                &self.gateway_usd_per_million_requests,
                |t: &RequestTier| (t.up_to_requests, t.usd),
            )?,
            usd_per_million_cpu_ms: self.usd_per_million_cpu_ms.unwrap_or(0.0),
            included_requests: self.included_requests.unwrap_or(0.0),
            included_cpu_ms: self.included_cpu_ms.unwrap_or(0.0),
        }))
    }

    fn provisioned(&self) -> Result<Offer, FigureError> {
        if self.usd_per_gb_second.is_some() || self.usd_per_million_requests.is_some() {
            let key = if self.usd_per_gb_second.is_some() {
                "usd_per_gb_second"
            } else {
                "usd_per_million_requests"
            };
            return Err(problem(
                key,
                format!("`{key}` does not apply to a provisioned offer"),
            ));
        }
        let sized = (
            self.usd_per_vcpu_hour,
            self.usd_per_gb_hour,
            self.vcpus,
            self.memory_gb,
        );
        let usd_per_hour = match (self.usd_per_hour, sized) {
            // `vcpus` beside an hourly price sizes the instance for `capacity_per_vcpu`.
            (Some(usd), (None, None, _, None)) => usd,
            // Fargate bills a task by size: vCPUs × vCPU-hour price + GB × GB-hour price.
            (None, (Some(cpu), Some(gb), Some(vcpus), Some(memory))) => vcpus * cpu + memory * gb,
            _ => {
                let help = "give `usd_per_hour` (and `vcpus`), or all of `usd_per_vcpu_hour`, `usd_per_gb_hour`, `vcpus` and `memory_gb`";
                return Err(problem(
                    "kind",
                    format!("a provisioned offer needs an hourly price: {help}"),
                ));
            }
        };
        Ok(Offer::Provisioned(Provisioned { usd_per_hour }))
    }
}

/// Tiers from YAML, checked: non-negative prices, increasing bounds, only the last open-ended.
fn tiers<T>(
    key: &'static str,
    price: &Option<Price<T>>,
    parts: impl Fn(&T) -> (Option<f64>, f64),
) -> Result<Tiered, FigureError> {
    let list = match price {
        None => return Ok(Tiered::default()),
        Some(Price::Flat(usd)) => return Ok(Tiered::flat(*usd)),
        Some(Price::Tiers(list)) => list,
    };
    let mut out = Vec::new();
    let mut below = 0.0;
    for (i, tier) in list.iter().enumerate() {
        let (up_to, usd) = parts(tier);
        non_negative("usd", usd)
            .and_then(|usd| within("usd", usd, (0.0, MAX_PRICE_NUMBER)))
            .map_err(|e| e.about(key))?;
        let last = i + 1 == list.len();
        match up_to {
            Some(top) if !(top.is_finite() && top > below) => {
                return Err(problem(
                    key,
                    format!("tier bounds must increase: {top} after {below}"),
                ));
            }
            Some(_) if last => {
                return Err(problem(
                    key,
                    "the last tier must be open-ended (no `up_to_…`)",
                ));
            }
            None if !last => return Err(problem(key, "only the last tier may be open-ended")),
            _ => {}
        }
        below = up_to.unwrap_or(below);
        out.push(Tier { up_to, usd });
    }
    if out.is_empty() {
        return Err(problem(key, "a tier list needs at least one tier"));
    }
    Ok(Tiered(out))
}

/// True for a `YYYY-MM-DD` date.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// Every number finite, not negative and in the model's range, with its key.
fn check_numbers(raw: &RawOffer) -> Result<(), FigureError> {
    let numbers = raw.numbers();
    if let Some((key, value)) = numbers.iter().find(|(_, v)| !(v.is_finite() && *v >= 0.0)) {
        return Err(problem(
            key,
            format!("`{key}` must be a number ≥ 0, not {value}"),
        ));
    }
    for (key, value) in numbers {
        within(key, value, (0.0, MAX_PRICE_NUMBER)).map_err(|e| e.about(key))?;
    }
    Ok(())
}

/// The source URLs, one or a list, each http(s).
fn sources(raw: &RawOffer) -> Result<Vec<String>, FigureError> {
    let sources = match &raw.source {
        Sources::One(url) => vec![url.clone()],
        Sources::Many(urls) => urls.clone(),
    };
    let web = |s: &String| s.starts_with("https://") || s.starts_with("http://");
    if sources.is_empty() || !sources.iter().all(web) {
        return Err(problem(
            "source",
            "`source` must be an http(s) URL (or a list of them)",
        ));
    }
    Ok(sources)
}

fn check(name: &str, raw: RawOffer) -> Result<PricedOffer, FigureError> {
    check_numbers(&raw)?;
    if !is_date(&raw.as_of) {
        return Err(problem(
            "as_of",
            format!(
                "`as_of` must be a date like 2026-11-22, not `{}`",
                raw.as_of
            ),
        ));
    }
    let sources = sources(&raw)?;
    let offer = match raw.kind {
        Kind::PerRequest => raw.per_request()?,
        Kind::Provisioned => raw.provisioned()?,
    };
    let label = match raw.label {
        Some(label) if label.trim().is_empty() => {
            return Err(problem(
                "label",
                "`label` is empty: leave it out to use the offer's name",
            ));
        }
        Some(label) => label,
        None => name.to_string(),
    };
    Ok(PricedOffer {
        name: name.to_string(),
        label,
        vcpus: raw.vcpus,
        offer,
        sources,
        as_of: raw.as_of,
    })
}

/// Reads the offers from `data/pricing.yaml` as parsed; `file` (relative to the site root) names
/// it in errors, each at the line of the key it is about.
pub fn parse(document: &Document, file: &Path) -> Result<Pricing, Vec<FigureError>> {
    let text = &document.text;
    let raw: RawPricing = crate::yaml::from_value(&document.value)
        .map_err(|refused| vec![FigureError::refused_in(&refused, text, file)])?;
    let lines = Lines::new(text);
    let mut pricing = Pricing::default();
    let mut errors = Vec::new();
    for (name, offer) in raw.offers {
        match check(&name, offer) {
            Ok(priced) => {
                pricing.offers.insert(name, priced);
            }
            Err(e) => {
                let start = lines.key(&name, 1);
                let line = e.key.and_then(|key| lines.key(key, start?)).or(start);
                let message = format!("offer `{name}`: {}", e.message);
                errors.push(FigureError::at(line, message).in_file(file));
            }
        }
    }
    if errors.is_empty() {
        Ok(pricing)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
