//! Inline values read straight from the inputs, without the cost model: a scenario's own
//! numbers (rate, concurrency, requests, peak, function size) and a measured cold start.

use super::{Value, usage};
use crate::cost::SECONDS_PER_MONTH;
use crate::figures::coldstarts::{self, Config, median};
use crate::figures::describe::{per_month, per_request_terms};
use crate::figures::format::{count, ms, rate, ratio, sig3};
use crate::figures::{Context, FigureError, args};

/// `=rate`, `=concurrency`, `=peak`, `=function`, `=requests`: a scenario's own numbers.
pub(super) fn scenario_value(
    cx: &mut Context,
    name: &str,
    what: &str,
) -> Result<Value, FigureError> {
    let s = cx.scenario(name, Some(1))?;
    let r = s.rate_per_second;
    let (value, text, title) = match what {
        "rate" => (r, rate(r), format!("scenario {name}: average rate")),
        "concurrency" => {
            let c = r * s.workload.duration_ms / 1000.0;
            (
                c,
                format!("{} concurrent requests", sig3(c)),
                format!(
                    "{} × {} (Little's law)",
                    rate(r),
                    ms(s.workload.duration_ms)
                ),
            )
        }
        "function" => (
            s.workload.memory_mb,
            per_request_terms(&s),
            format!("scenario {name}: billed duration and memory per request"),
        ),
        "peak" => (
            s.workload.profile.peak(),
            ratio(s.workload.profile.peak()),
            format!("scenario {name}: busiest hour ÷ average"),
        ),
        "day" => (
            r * 86_400.0,
            format!("{} requests/day", count(r * 86_400.0)),
            format!("{} × 86,400 s", rate(r)),
        ),
        _ => (
            r * SECONDS_PER_MONTH,
            per_month(r),
            format!("{} × 2,628,000 s (730 h)", rate(r)),
        ),
    };
    Ok(Value::new("be-number", value, text, title))
}

/// `=cold-start`: one statistic of a runtime's measured init durations.
pub(super) fn cold_start_value(cx: &mut Context, words: &[&str]) -> Result<Value, FigureError> {
    let [source, runtime, memory, ..] = *words else {
        return Err(
            FigureError::at(Some(1), "wrong number of arguments for `=cold-start`")
                .help(usage("cold-start")),
        );
    };
    let memory_mb = memory.parse::<u32>().map_err(|_| {
        FigureError::at(
            Some(1),
            format!("memory `{memory}` is not a whole number of MB"),
        )
        .help(usage("cold-start"))
    })?;
    let architecture = words.get(3).copied().unwrap_or("x86_64");
    let stat = words.get(4).copied().unwrap_or("median");
    if !["x86_64", "arm64"].contains(&architecture) {
        return Err(
            FigureError::at(Some(1), format!("unknown architecture `{architecture}`"))
                .help("valid architectures: arm64, x86_64"),
        );
    }
    let config = Config {
        memory_mb,
        architecture,
        package: "zip",
    };
    let measured = coldstarts::load(cx, source, &config, Some(1))?;
    let Some((durations, first)) = measured.runtimes.get(runtime) else {
        let error = FigureError::at(Some(1), format!("no runtime `{runtime}` in {source}"));
        return Err(error.help(args::valid("runtimes", measured.runtimes.keys())));
    };
    let value = match stat {
        "median" => median(durations),
        "min" => durations.first().copied().unwrap_or(f64::NAN),
        "max" => durations.last().copied().unwrap_or(f64::NAN),
        "first-invoke" => first.unwrap_or(f64::NAN),
        other => {
            return Err(
                FigureError::at(Some(1), format!("unknown statistic `{other}`"))
                    .help("valid statistics: median, min, max, first-invoke"),
            );
        }
    };
    let title = format!(
        "{runtime} {stat} over {} cold starts, {memory_mb} MB {architecture}, lambda-perf {}",
        durations.len(),
        measured.date
    );
    Ok(Value::new("be-ms", value, ms(value), title))
}
