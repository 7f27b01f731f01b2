//! Computed figures: fenced blocks (`crossover`, `cost-table`, `cold-starts`) and inline values
//! (`=cost api lambda-x86`) rendered to HTML from `data/` at build time, with every data file
//! they read recorded, and errors that point at the block's line and list the valid choices.

mod args;
mod chart;
pub mod claims;
mod coldstarts;
pub mod cost;
mod crossover;
mod describe;
pub mod format;
mod inline;
pub mod page;
mod place;
pub mod pricing;
pub mod scenarios;
pub mod sensitivity;
mod tables;
#[cfg(test)]
mod test_data;

pub use inline::asks_for_value;
pub use pricing::{PricedOffer, Pricing};
pub use scenarios::{Scenario, Scenarios};

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::data;
use crate::diag::Diagnostic;
use crate::yaml::Document;

/// The info strings that name a block figure.
pub const FIGURE_NAMES: &[&str] = &["cold-starts", "cost-table", "crossover"];

/// The words that start an inline value (after its `=`).
pub const INLINE_NAMES: &[&str] = inline::NAMES;

/// Loaded once per build from `<root>/data/`: `pricing.yaml` (required only if a figure needs
/// offers) and `scenarios.yaml` (optional).
#[derive(Debug, Clone)]
pub struct Figures {
    pricing: Option<Pricing>,
    site_scenarios: Scenarios,
    data_dir: PathBuf,
}

/// A rendered figure or inline value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML to put in the page.
    pub html: String,
    /// Data files read, relative to the site root, e.g. "data/pricing.yaml",
    /// "data/lambda-perf/2026-08-22.json" (sorted, deduped).
    pub reads: Vec<PathBuf>,
    /// The `as_of` dates of the prices it used (sorted, deduped).
    pub prices_as_of: Vec<String>,
}

/// A problem with a figure or its data, located as precisely as the input allows: the one
/// error type inside `figures`. It becomes a [`Diagnostic`] in one place, `page::located`
/// (through `PageFigures` for a page's figures, `page::data_error` for the data files), since
/// only the page knows the file line a figure's body starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureError {
    /// None: the error is in the page's block/inline itself; Some(path relative to the site root,
    /// e.g. "data/pricing.yaml"): in that data file.
    pub file: Option<PathBuf>,
    /// 1-based line: within `body` for a block (line 1 = first body line; errors about the block
    /// as a whole, like a missing argument, are on line 1), within the data file when `file` is
    /// Some, always 1 for an inline value; None if unknown.
    pub line: Option<usize>,
    /// The data key it is about (`usd_per_hour`), for errors found in a parsed value before
    /// their line is known; the caller finds the key's line.
    pub key: Option<&'static str>,
    /// What is wrong, e.g. "unknown offer `lamda-x86`".
    pub message: String,
    /// How to fix it, listing valid choices, e.g. "valid offers: c5.2xlarge, lambda-arm, …".
    pub help: Option<String>,
}

impl fmt::Display for FigureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}:", file.display())?;
        }
        if let Some(line) = self.line {
            write!(f, "{line}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FigureError {}

/// Where data files are named in reads and errors: relative to the site root.
fn site_path(relative: &Path) -> PathBuf {
    Path::new("data").join(relative)
}

/// Reads the figure file `data/<name>` with `read`: `Ok(None)` when there is none. One the data
/// loader could not parse fails with no errors of its own: the loader reported it.
fn read_file<T>(
    files: &data::Loaded,
    name: &str,
    read: impl Fn(&Document, &Path) -> Result<T, Vec<FigureError>>,
) -> Result<Option<T>, Vec<FigureError>> {
    let file = site_path(Path::new(name));
    match files.document(&file) {
        Ok(Some(document)) => read(document, &file).map(Some),
        Ok(None) => Ok(None),
        Err(data::Broken) => Err(Vec::new()),
    }
}

impl Figures {
    /// Reads pricing and site scenarios from the data files `data::load` parsed, so each is
    /// parsed once. Missing files are fine (empty); a broken file is an error naming it and its
    /// line, every one reported.
    pub fn load(root: &Path, files: &data::Loaded) -> Result<Figures, Vec<Diagnostic>> {
        let pricing = read_file(files, "pricing.yaml", pricing::parse);
        let scenarios = read_file(files, "scenarios.yaml", scenarios::parse_site);
        match (pricing, scenarios) {
            (Ok(pricing), Ok(scenarios)) => Ok(Figures {
                pricing,
                site_scenarios: scenarios.unwrap_or_default(),
                data_dir: root.join("data"),
            }),
            (pricing, scenarios) => {
                let errors = pricing.err().into_iter().chain(scenarios.err()).flatten();
                Err(errors.map(page::data_error).collect())
            }
        }
    }

    /// True for info strings that name a figure: "crossover", "cost-table", "cold-starts".
    pub fn is_block(info: &str) -> bool {
        let name = info.split_whitespace().next().unwrap_or("");
        FIGURE_NAMES.contains(&name)
    }

    /// A page's own `scenarios:` front-matter value (already parsed YAML), merged over the site
    /// ones (page wins by name).
    pub fn page_scenarios(
        &self,
        front_matter_scenarios: Option<&crate::yaml::Value>,
    ) -> Result<Scenarios, FigureError> {
        scenarios::merge_page(&self.site_scenarios, front_matter_scenarios)
    }

    /// A fenced block: `name` is the info string, `body` the YAML inside the fence.
    pub fn block(
        &self,
        name: &str,
        body: &str,
        scenarios: &Scenarios,
    ) -> Result<Rendered, FigureError> {
        let mut cx = Context::new(self, scenarios);
        let html = match name.split_whitespace().next().unwrap_or("") {
            "crossover" => crossover::render(&mut cx, body)?,
            "cost-table" => tables::render(&mut cx, body)?,
            "cold-starts" => coldstarts::render(&mut cx, body)?,
            other => {
                let error = FigureError::at(Some(1), format!("unknown figure `{other}`"));
                return Err(error.help(args::valid("figures", FIGURE_NAMES)));
            }
        };
        Ok(cx.finish(html))
    }

    /// An inline code span starting with '=', passed without the '=' (e.g. "cost api lambda-x86").
    pub fn inline(&self, expr: &str, scenarios: &Scenarios) -> Result<Rendered, FigureError> {
        let mut cx = Context::new(self, scenarios);
        let html = inline::render(&mut cx, expr)?;
        Ok(cx.finish(html))
    }
}

impl Figures {
    /// Evaluates a claim with a page's scenarios: whether it holds, and the data files read.
    pub fn claim(
        &self,
        claim: &claims::Claim,
        scenarios: &Scenarios,
    ) -> Result<(claims::Verdict, Vec<PathBuf>), FigureError> {
        let mut cx = Context::new(self, scenarios);
        let verdict = claims::check(&mut cx, claim)?;
        Ok((verdict, cx.reads.into_iter().collect()))
    }
}

/// What a figure sees while it renders: the data, the page's scenarios, and what it has read.
pub(crate) struct Context<'a> {
    figures: &'a Figures,
    scenarios: &'a Scenarios,
    reads: BTreeSet<PathBuf>,
    prices_as_of: BTreeSet<String>,
}

impl<'a> Context<'a> {
    fn new(figures: &'a Figures, scenarios: &'a Scenarios) -> Context<'a> {
        Context {
            figures,
            scenarios,
            reads: BTreeSet::new(),
            prices_as_of: BTreeSet::new(),
        }
    }

    fn finish(self, html: String) -> Rendered {
        Rendered {
            html,
            reads: self.reads.into_iter().collect(),
            prices_as_of: self.prices_as_of.into_iter().collect(),
        }
    }

    /// The offer called `name`; an error at `line` lists the valid ones.
    fn offer(&mut self, name: &str, line: Option<usize>) -> Result<PricedOffer, FigureError> {
        let Some(pricing) = &self.figures.pricing else {
            let error = FigureError::at(
                line,
                format!("offer `{name}` needs data/pricing.yaml, which does not exist"),
            );
            return Err(error.help("create data/pricing.yaml with an `offers:` mapping"));
        };
        self.reads.insert(site_path(Path::new("pricing.yaml")));
        match pricing.offers.get(name) {
            Some(offer) => {
                self.prices_as_of.insert(offer.as_of.clone());
                Ok(offer.clone())
            }
            None => Err(FigureError::at(line, format!("unknown offer `{name}`"))
                .help(args::valid("offers", pricing.offers.keys()))),
        }
    }

    /// The offers named under `offers:` in a block, each checked; errors point at the name.
    fn offers(
        &mut self,
        names: &[String],
        lines: &args::Lines,
    ) -> Result<Vec<PricedOffer>, FigureError> {
        if names.is_empty() {
            let error = FigureError::at(lines.key_or_start("offers"), "`offers` is empty");
            let valid = self
                .figures
                .pricing
                .as_ref()
                .map(|p| args::valid("offers", p.offers.keys()));
            return Err(
                error.help(valid.unwrap_or_else(|| String::from("list at least one offer")))
            );
        }
        let mut offers = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let line = lines.value("offers", name);
            if names[..i].contains(name) {
                return Err(FigureError::at(
                    line,
                    format!("offer `{name}` is listed twice"),
                ));
            }
            offers.push(self.offer(name, line)?);
        }
        Ok(offers)
    }

    /// The scenario called `name`; an error at `line` lists the valid ones.
    fn scenario(&mut self, name: &str, line: Option<usize>) -> Result<Scenario, FigureError> {
        match self.scenarios.get(name) {
            Some(scenario) => {
                if scenario.from_site {
                    self.reads.insert(site_path(Path::new("scenarios.yaml")));
                }
                Ok(scenario.clone())
            }
            None => {
                let help = args::valid("scenarios", self.scenarios.names());
                Err(FigureError::at(line, format!("unknown scenario `{name}`")).help(help))
            }
        }
    }

    /// Reads `relative` (inside the data folder) and records the read. A missing file is an
    /// error at `line` listing the files beside it.
    fn read_data(&mut self, relative: &Path, line: Option<usize>) -> Result<String, FigureError> {
        let path = self.figures.data_dir.join(relative);
        self.reads.insert(site_path(relative));
        std::fs::read_to_string(&path).map_err(|e| {
            let shown = site_path(relative);
            let error = FigureError::at(line, format!("cannot read {}: {e}", shown.display()));
            match siblings(&path) {
                Some(list) => error.help(list),
                None => error,
            }
        })
    }
}

/// "files in data/x/: a.json, b.json" for help texts.
fn siblings(path: &Path) -> Option<String> {
    let dir = path.parent()?;
    let extension = path.extension();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension() == extension)
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .collect();
    names.sort();
    (!names.is_empty()).then(|| format!("files there: {}", names.join(", ")))
}

#[cfg(test)]
mod tests;
