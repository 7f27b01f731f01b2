//! Scenarios: named workloads from `data/scenarios.yaml` and a page's `scenarios:` front matter
//! (the page's win by name), parsed into `cost::Workload`s with their average rate.

use super::args::{
    CAPACITY_RANGE, Lines, MAX_DURATION_MS, MAX_MEMORY_MB, MAX_PROFILE_WEIGHT, non_negative,
    positive, within,
};
use super::{FigureError, PricedOffer};
use crate::cost::{Fleet, Profile, Workload};
use crate::yaml::{Document, Refused, Value};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A named workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Its name.
    pub name: String,
    /// Average requests per second.
    pub rate_per_second: f64,
    /// Everything else about it; `capacity_per_instance` as written (see [`Scenario::workload_for`]).
    pub workload: Workload,
    /// Requests per second one vCPU serves, when capacity scales with the machine's size.
    pub capacity_per_vcpu: Option<f64>,
    /// True when it comes from `data/scenarios.yaml` (so figures using it depend on that file).
    pub from_site: bool,
}

impl Scenario {
    /// The workload as `offer` sees it: with `capacity_per_vcpu`, one instance serves that
    /// times the offer's vCPUs. Figures check first ([`super::describe::check_capacity`]) that
    /// the offer has `vcpus`.
    pub fn workload_for(&self, offer: &PricedOffer) -> Workload {
        let mut workload = self.workload.clone();
        if let (Some(per_vcpu), Some(vcpus)) = (self.capacity_per_vcpu, offer.vcpus) {
            workload.capacity_per_instance = Some(per_vcpu * vcpus);
        }
        workload
    }

    /// What one instance serves, in words: "100 req/s per instance", "125 req/s per vCPU".
    pub fn capacity_words(&self) -> Option<String> {
        match (self.capacity_per_vcpu, self.workload.capacity_per_instance) {
            (Some(c), _) => Some(format!("{} per vCPU", super::format::rate(c))),
            (None, Some(c)) => Some(format!("{} per instance", super::format::rate(c))),
            (None, None) => None,
        }
    }
}

/// The scenarios a page can use, by name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenarios {
    by_name: BTreeMap<String, Scenario>,
}

impl Scenarios {
    /// The scenario called `name`.
    pub fn get(&self, name: &str) -> Option<&Scenario> {
        self.by_name.get(name)
    }

    /// All names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// Adds or replaces a scenario.
    pub fn insert(&mut self, scenario: Scenario) {
        self.by_name.insert(scenario.name.clone(), scenario);
    }
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum FleetName {
    Fixed,
    Autoscaled,
}

/// A scenario as written; `deny_unknown_fields` turns a typo into an error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    #[allow(dead_code)] // for readers of the YAML
    description: Option<String>,
    rate_per_second: Option<f64>,
    requests_per_day: Option<f64>,
    requests_per_month: Option<f64>,
    duration_ms: f64,
    memory_mb: f64,
    cpu_ms: Option<f64>,
    capacity_per_instance: Option<f64>,
    capacity_per_vcpu: Option<f64>,
    min_instances: Option<u32>,
    fleet: Option<FleetName>,
    hourly_profile: Option<Vec<f64>>,
    free_tier: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    scenarios: BTreeMap<String, RawScenario>,
}

impl RawScenario {
    /// The average rate from whichever of the three rate keys is given (exactly one).
    fn rate(&self) -> Result<f64, FigureError> {
        let given = [
            ("rate_per_second", self.rate_per_second.map(|r| (r, 1.0))),
            (
                "requests_per_day",
                self.requests_per_day.map(|r| (r, 86_400.0)),
            ),
            (
                "requests_per_month",
                self.requests_per_month
                    .map(|r| (r, crate::cost::SECONDS_PER_MONTH)),
            ),
        ];
        let mut present = given.iter().filter_map(|(k, v)| v.map(|v| (*k, v)));
        match (present.next(), present.next()) {
            (Some((key, (value, seconds))), None) => {
                let rate = non_negative(key, value).map_err(|e| e.about(key))? / seconds;
                if rate > crate::cost::MAX_RATE {
                    let max = crate::cost::MAX_RATE;
                    return Err(problem(
                        key,
                        format!("`{key}` is above the model's range of {max} requests/s"),
                    ));
                }
                Ok(rate)
            }
            (None, _) => Err(problem(
                "duration_ms",
                "missing the rate: give `rate_per_second`, `requests_per_day` or `requests_per_month`",
            )),
            (Some(_), Some((key, _))) => Err(problem(
                key,
                "give only one of `rate_per_second`, `requests_per_day` and `requests_per_month`",
            )),
        }
    }

    /// Refuses finite, positive values beyond what the cost model takes (a duration of 1e308 ms
    /// made costs infinite); zero, negative and non-finite ones are left to `build`'s checks.
    fn check_ranges(&self) -> Result<(), FigureError> {
        let to_check = [
            (
                "duration_ms",
                Some(self.duration_ms),
                (0.0, MAX_DURATION_MS),
            ),
            ("memory_mb", Some(self.memory_mb), (0.0, MAX_MEMORY_MB)),
            ("cpu_ms", self.cpu_ms, (0.0, MAX_DURATION_MS)),
            (
                "capacity_per_instance",
                self.capacity_per_instance,
                CAPACITY_RANGE,
            ),
            ("capacity_per_vcpu", self.capacity_per_vcpu, CAPACITY_RANGE),
        ];
        for (key, value, range) in to_check {
            if let Some(v) = value.filter(|v| v.is_finite() && *v > 0.0) {
                within(key, v, range).map_err(|e| e.about(key))?;
            }
        }
        // Weights so large that normalising them overflows.
        let weights = self.hourly_profile.iter().flatten();
        if let Some(w) = weights
            .copied()
            .find(|w| w.is_finite() && *w > MAX_PROFILE_WEIGHT)
        {
            let range = (0.0, MAX_PROFILE_WEIGHT);
            within("a weight", w, range).map_err(|e| e.about("hourly_profile"))?;
        }
        Ok(())
    }

    /// Checks the values and builds the scenario; errors name the offending key.
    pub(crate) fn build(self, name: &str, from_site: bool) -> Result<Scenario, FigureError> {
        let rate_per_second = self.rate()?;
        let key = |k: &'static str| move |e: FigureError| e.about(k);
        self.check_ranges()?;
        let duration_ms = positive("duration_ms", self.duration_ms).map_err(key("duration_ms"))?;
        let memory_mb = positive("memory_mb", self.memory_mb).map_err(key("memory_mb"))?;
        let cpu_ms =
            non_negative("cpu_ms", self.cpu_ms.unwrap_or(duration_ms)).map_err(key("cpu_ms"))?;
        let capacity = self
            .capacity_per_instance
            .map(|c| positive("capacity_per_instance", c));
        let capacity_per_instance = capacity.transpose().map_err(key("capacity_per_instance"))?;
        let per_vcpu = self
            .capacity_per_vcpu
            .map(|c| positive("capacity_per_vcpu", c));
        let capacity_per_vcpu = per_vcpu.transpose().map_err(key("capacity_per_vcpu"))?;
        if capacity_per_instance.is_some() && capacity_per_vcpu.is_some() {
            return Err(problem(
                "capacity_per_vcpu",
                "give `capacity_per_instance` (one machine size) or `capacity_per_vcpu` (any size), not both",
            ));
        }
        let profile = match &self.hourly_profile {
            None => Profile::flat(),
            Some(weights) => Profile::from_weights(weights).ok_or_else(|| {
                problem(
                    "hourly_profile",
                    format!(
                        "`hourly_profile` needs 24 weights ≥ 0, not all zero (got {})",
                        weights.len()
                    ),
                )
            })?,
        };
        let fleet = match self.fleet {
            Some(FleetName::Autoscaled) => Fleet::Autoscaled,
            _ => Fleet::Fixed,
        };
        let workload = Workload {
            duration_ms,
            memory_mb,
            cpu_ms,
            capacity_per_instance,
            min_instances: self.min_instances.unwrap_or(1),
            fleet,
            profile,
            free_tier: self.free_tier.unwrap_or(true),
        };
        Ok(Scenario {
            name: name.to_string(),
            rate_per_second,
            workload,
            capacity_per_vcpu,
            from_site,
        })
    }
}

/// A problem with one key of one scenario; its line is found afterwards.
fn problem(key: &'static str, message: impl Into<String>) -> FigureError {
    FigureError::at(None, message).about(key)
}

/// Reads the scenarios from `data/scenarios.yaml` as parsed; `file` (relative to the site root)
/// names it in errors, each at the line of the key it is about.
pub fn parse_site(document: &Document, file: &Path) -> Result<Scenarios, Vec<FigureError>> {
    let text = &document.text;
    let raw: RawFile = crate::yaml::from_value(&document.value)
        .map_err(|refused| vec![FigureError::refused_in(&refused, text, file)])?;
    let lines = Lines::new(text);
    let mut scenarios = Scenarios::default();
    let mut errors = Vec::new();
    for (name, raw) in raw.scenarios {
        match raw.build(&name, true) {
            Ok(scenario) => scenarios.insert(scenario),
            Err(e) => {
                let start = lines.key(&name, 1);
                let line = e.key.and_then(|key| lines.key(key, start?)).or(start);
                let message = format!("scenario `{name}`: {}", e.message);
                errors.push(FigureError::at(line, message).in_file(file));
            }
        }
    }
    if errors.is_empty() {
        Ok(scenarios)
    } else {
        Err(errors)
    }
}

/// Merges a page's `scenarios:` front matter over the site's. The front matter arrives parsed,
/// so errors cannot carry a line; they name the key path (`scenarios.api.memory_mb`) instead.
pub fn merge_page(
    site: &Scenarios,
    front_matter: Option<&Value>,
) -> Result<Scenarios, FigureError> {
    let mut merged = site.clone();
    let Some(value) = front_matter else {
        return Ok(merged);
    };
    let Some(mapping) = value.as_mapping() else {
        return Err(FigureError::at(
            None,
            "front matter `scenarios` must be a mapping of names to scenarios",
        ));
    };
    for (name, body) in mapping {
        let Some(name) = name.as_str() else {
            return Err(FigureError::at(
                None,
                "front matter `scenarios`: scenario names must be strings",
            ));
        };
        let raw: RawScenario = crate::yaml::from_value(body).map_err(|refused| {
            let path = match &refused.path {
                Some(path) => format!("{name}.{path}"),
                None => name.to_string(),
            };
            let error = FigureError::from_yaml(&Refused {
                path: Some(format!("front matter `scenarios.{path}`")),
                ..refused
            });
            error.on_line(None)
        })?;
        let scenario = raw.build(name, false).map_err(|e| {
            let key = e.key.map(|k| format!(".{k}")).unwrap_or_default();
            FigureError::at(
                None,
                format!("front matter `scenarios.{name}{key}`: {}", e.message),
            )
        })?;
        merged.insert(scenario);
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `text` as the data loader does, then reads the scenarios from it.
    fn parse_text(text: &str) -> Result<Scenarios, Vec<FigureError>> {
        let file = Path::new("data/scenarios.yaml");
        let document = Document::parse(text.to_string(), file)
            .map_err(|d| vec![FigureError::at(d.line, d.message)])?;
        parse_site(&document, file)
    }

    /// A page's front matter value.
    fn value(text: &str) -> Value {
        crate::yaml::from_fragment(text).unwrap_or_default()
    }

    #[test]
    fn the_site_scenarios_parse() {
        let text = include_str!("../../data/scenarios.yaml");
        let scenarios = parse_text(text).unwrap_or_default();
        let rate = scenarios
            .get("notifications")
            .map(|s| s.rate_per_second)
            .unwrap_or(0.0);
        // 81,500 requests a day / 86,400 s = 0.9433 req/s.
        assert!((rate - 0.943287).abs() < 1e-6);
    }

    #[test]
    fn bad_value_in_the_site_file_names_its_line() {
        let text = "scenarios:\n  api:\n    rate_per_second: 10\n    duration_ms: 100\n    memory_mb: lots\n";
        let errors = parse_text(text).err().unwrap_or_default();
        assert_eq!(errors.first().and_then(|e| e.line), Some(5));
    }

    #[test]
    fn page_scenarios_override_the_site_ones() {
        let site = parse_text(include_str!("../../data/scenarios.yaml")).unwrap_or_default();
        let page = value("api:\n  rate_per_second: 5\n  duration_ms: 20\n  memory_mb: 128\n");
        let merged = merge_page(&site, Some(&page)).unwrap_or_default();
        let api = merged.get("api");
        assert_eq!(
            api.map(|s| (s.rate_per_second, s.from_site)),
            Some((5.0, false))
        );
        let typo = value("api:\n  duration: 20\n");
        let error = merge_page(&site, Some(&typo))
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert_eq!(
            error,
            "front matter `scenarios.api`: unknown field `duration`"
        );
    }
}
