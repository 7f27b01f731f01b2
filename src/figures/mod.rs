//! PLACEHOLDER until the figures engine lands: no figure names, so every fence is code.
use std::path::{Path, PathBuf};
pub const FIGURE_NAMES: &[&str] = &["crossover", "cost-table", "cold-starts"];
pub struct Figures;
pub struct Scenarios;
pub struct Rendered {
    pub html: String,
    pub reads: Vec<PathBuf>,
}
pub struct FigureError {
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}
impl Figures {
    pub fn load(_d: &Path) -> Result<Figures, Vec<FigureError>> {
        Ok(Figures)
    }
    pub fn is_block(_i: &str) -> bool {
        false
    }
    pub fn page_scenarios(&self, _v: Option<&yaml_serde::Value>) -> Result<Scenarios, FigureError> {
        Ok(Scenarios)
    }
    pub fn block(&self, name: &str, _b: &str, _s: &Scenarios) -> Result<Rendered, FigureError> {
        Err(FigureError {
            file: None,
            line: None,
            message: format!("no figure {name}"),
            help: None,
        })
    }
    pub fn inline(&self, e: &str, _s: &Scenarios) -> Result<Rendered, FigureError> {
        Err(FigureError {
            file: None,
            line: None,
            message: format!("no value {e}"),
            help: None,
        })
    }
}
