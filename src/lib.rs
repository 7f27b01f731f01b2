//! breakeven: a static site generator whose figures are computed from the data behind them.
//!
//! The pipeline, stage by stage (each module says what it takes and gives):
//! discover → config/data/figures → site (front matter, Markdown) → render (Tera) → outputs.

pub mod check;
pub mod config;
pub mod cost;

pub mod data;
pub mod diag;
pub mod discover;
pub mod feed;
pub mod figures;
pub mod filters;
pub mod frontmatter;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod page_figures;
pub mod permalink;
pub mod render;
pub mod scaffold;
pub mod site;

use std::path::Path;

use config::SiteConfig;
use diag::Diagnostic;
use output::{Content, Output, Outputs};
pub use site::Options;
use site::{Loader, Site};

/// A finished build, in memory.
pub struct Build {
    pub site: Site,
    pub outputs: Outputs,
    /// Warnings found on the way (the build succeeded anyway).
    pub warnings: Vec<Diagnostic>,
}

/// Why a build failed.
#[derive(Debug)]
pub enum Failure {
    /// The site has errors (content, templates, data): every one found, with the warnings. Exit 1.
    Site(Vec<Diagnostic>),
    /// Usage or I/O problems (no site here, an output folder we may not write). Exit 2.
    Usage(Diagnostic),
}

/// Builds the site at `root` in memory.
pub fn build(root: &Path, options: &Options) -> Result<Build, Failure> {
    let mut config = load_config(root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url);
    }
    let mut problems = Vec::new();
    let inputs = discover::scan(root, &mut problems);
    let data = data::load(&inputs, &mut problems);
    // Figures cannot be drawn from broken price data: stop here rather than report every figure.
    let figures = match figures::Figures::load(&root.join("data")) {
        Ok(figures) => figures,
        Err(errors) => {
            problems.extend(errors.into_iter().map(page_figures::data_error));
            return Err(failed(&mut problems, Vec::new()));
        }
    };
    let loader = Loader {
        inputs: &inputs,
        config: &config,
        options,
        highlighter: &highlight::Highlighter::default(),
        figures: &figures,
        dir_layers: Loader::load_dir_layers(&inputs, &mut problems),
    };
    let site = Site::load(&loader, data, &mut problems);
    fail_on_errors(&mut problems)?;
    let layouts = render::Layouts::load(&inputs, &site).map_err(|e| failed(&mut problems, e))?;
    let rendered = render::all(&site, &layouts).map_err(|e| failed(&mut problems, e))?;
    let outputs = assemble(
        root,
        &inputs,
        &site,
        rendered,
        layouts.has(render::TAG_LAYOUT),
        &mut problems,
    );
    fail_on_errors(&mut problems)?;
    Ok(Build {
        site,
        outputs,
        warnings: problems,
    })
}

/// Builds the site at `root` and writes it to `out` (staging folder + swap).
pub fn build_to(root: &Path, out: &Path, options: &Options) -> Result<Build, Failure> {
    output::check_out_dir(root, out).map_err(Failure::Usage)?;
    let build = build(root, options)?;
    output::commit(&build.outputs, out).map_err(Failure::Usage)?;
    Ok(build)
}

/// Builds in memory and checks every internal link and anchor.
pub fn check(root: &Path, options: &Options) -> Result<Build, Failure> {
    let build = build(root, options)?;
    let broken = check::links(&build.outputs, &build.site.config.base_url);
    if broken.is_empty() {
        Ok(build)
    } else {
        let mut all = build.warnings;
        all.extend(broken);
        Err(Failure::Site(all))
    }
}

fn load_config(root: &Path) -> Result<SiteConfig, Failure> {
    if !root.join(config::FILE).is_file() {
        return Err(Failure::Usage(
            Diagnostic::error(format!(
                "no `{}` in `{}`: this is not a breakeven site",
                config::FILE,
                root.display()
            ))
            .help("run breakeven in the site's folder, or pass `--root DIR`"),
        ));
    }
    SiteConfig::load(root).map_err(|d| Failure::Site(vec![d]))
}

fn failed(problems: &mut Vec<Diagnostic>, errors: Vec<Diagnostic>) -> Failure {
    problems.extend(errors);
    problems.sort();
    Failure::Site(std::mem::take(problems))
}

fn fail_on_errors(problems: &mut Vec<Diagnostic>) -> Result<(), Failure> {
    if problems.iter().any(Diagnostic::is_error) {
        Err(failed(problems, Vec::new()))
    } else {
        problems.sort();
        Ok(())
    }
}

/// Pages, static files and generated files in one map. A static file and a page may not claim
/// the same path; generated files (feed, sitemap, highlight CSS) give way to the site's own.
fn assemble(
    root: &Path,
    inputs: &discover::Inputs,
    site: &Site,
    rendered: render::Rendered,
    tag_pages: bool,
    problems: &mut Vec<Diagnostic>,
) -> Outputs {
    let mut outputs: Outputs = rendered
        .into_iter()
        .map(|(path, (origin, bytes))| {
            (
                path,
                Output {
                    origin,
                    content: Content::Bytes(bytes),
                },
            )
        })
        .collect();
    for rel in &inputs.statics {
        let path = rel
            .strip_prefix("static")
            .unwrap_or(rel)
            .to_string_lossy()
            .replace('\\', "/");
        let origin = rel.to_string_lossy().into_owned();
        if let Some(page) = outputs.get(&path) {
            problems.push(
                Diagnostic::error(format!(
                    "`/{path}` is written by both {} and {origin}",
                    page.origin
                ))
                .in_file(rel)
                .help("rename the static file or change the page's permalink"),
            );
            continue;
        }
        outputs.insert(
            path,
            Output {
                origin,
                content: Content::Copy(root.join(rel)),
            },
        );
    }
    let mut generated = vec![
        (feed::FEED_PATH.to_string(), Ok(feed::atom(site))),
        (
            feed::SITEMAP_PATH.to_string(),
            Ok(feed::sitemap(site, tag_pages)),
        ),
        (
            highlight::STYLESHEET_URL
                .trim_start_matches('/')
                .to_string(),
            highlight::stylesheet(&site.config.highlight),
        ),
    ];
    for (path, text) in generated.drain(..) {
        match text {
            Ok(text) => {
                outputs.entry(path).or_insert(Output {
                    origin: "breakeven".into(),
                    content: Content::Bytes(text.into_bytes()),
                });
            }
            Err(message) => problems.push(Diagnostic::error(message).in_file(config::FILE)),
        }
    }
    outputs
}
