//! Figures as one page sees them: the site's figure data with the page's own scenarios, and
//! figure errors turned into diagnostics at the page's real lines.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::figures::{FigureError, Figures, Rendered, Scenarios};

/// The figures of one page.
pub struct PageFigures<'a> {
    figures: &'a Figures,
    scenarios: Scenarios,
    file: PathBuf,
}

impl<'a> PageFigures<'a> {
    /// `front_matter_scenarios` is the page's `scenarios:` value; `line` is where it is written.
    pub fn new(
        figures: &'a Figures,
        file: &Path,
        front_matter_scenarios: Option<&yaml_serde::Value>,
        line: Option<usize>,
    ) -> Result<Self, Diagnostic> {
        let scenarios = figures
            .page_scenarios(front_matter_scenarios)
            // Scenario errors are shown at the `scenarios:` key: values are not mapped to lines.
            .map_err(|e| located(FigureError { line: None, ..e }, file, line.unwrap_or(1)))?;
        Ok(PageFigures {
            figures,
            scenarios,
            file: file.to_path_buf(),
        })
    }

    /// A fenced figure whose fence is on file line `fence_line`.
    pub fn block(&self, name: &str, body: &str, fence_line: usize) -> Result<Rendered, Diagnostic> {
        self.figures
            .block(name, body, &self.scenarios)
            .map_err(|e| located(e, &self.file, fence_line))
    }

    /// An inline value (`=…`, without the `=`) at file line `line`, column `col`.
    pub fn inline(&self, expr: &str, line: usize, col: usize) -> Result<Rendered, Diagnostic> {
        self.figures.inline(expr, &self.scenarios).map_err(|e| {
            let d = located(FigureError { line: None, ..e }, &self.file, line);
            if d.file.as_deref() == Some(self.file.as_path()) {
                d.at(line, Some(col))
            } else {
                d
            }
        })
    }
}

/// An error in a data file keeps its own file and line. One in the page is placed at `base`
/// (the fence line) plus its line in the figure's body, which counts from 1 after the fence.
fn located(e: FigureError, page: &Path, base: usize) -> Diagnostic {
    let mut d = Diagnostic::error(e.message);
    if let Some(help) = e.help {
        d = d.help(help);
    }
    match e.file {
        Some(file) => d.in_file(file).at_line(e.line),
        None => d.in_file(page).at(base + e.line.unwrap_or(0), None),
    }
}

/// An error in a data file, read when figures load.
pub fn data_error(e: FigureError) -> Diagnostic {
    located(e, Path::new("data"), 0)
}
