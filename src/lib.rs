//! breakeven: a static site generator whose figures are computed from the data behind them.
//!
//! The pipeline, stage by stage (each module says what it takes and gives):
//! discover → config/data/figures → site (front matter, Markdown) → render (Tera) → outputs.

pub mod cache;
pub mod check;
pub mod clashes;
pub mod config;
pub mod cost;

pub mod data;
pub mod deadline;
pub mod deps;
pub mod diag;
pub mod discover;
pub mod feed;
pub mod figures;
pub mod filters;
pub mod frontmatter;
pub mod highlight;
pub mod http;
pub mod markdown;
pub mod outdir;
pub mod output;
pub mod page_figures;
pub mod permalink;
pub mod progress;
pub mod rebuild;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod terminal;
pub mod watch;

use std::path::Path;

use config::SiteConfig;
use diag::Diagnostic;
use output::{Content, Output, Outputs, Sink};
pub use site::Options;
use site::{Loader, Site};

/// The origin of files breakeven writes itself (feed, sitemap, highlight stylesheet).
pub const GENERATED: &str = "breakeven";

/// Where a file from `static/` is published, or one from `content/` that is not a page.
pub fn static_output_path(rel: &Path) -> String {
    rel.strip_prefix("static")
        .or_else(|_| rel.strip_prefix("content"))
        .unwrap_or(rel)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Two inputs that would write the same output file.
pub fn clash(path: &str, first: &str, second: &Path) -> Diagnostic {
    Diagnostic::error(format!(
        "`/{path}` is written by both {first} and {}",
        second.display()
    ))
    .in_file(second)
    .help("rename the static file or change the page's permalink")
}

/// A finished build.
pub struct Build {
    pub site: Site,
    /// Every file written: output path → the input it came from.
    pub files: render::Listing,
    /// Warnings found on the way (the build succeeded anyway).
    pub warnings: Vec<Diagnostic>,
    /// The prices and scenarios the figures were computed from.
    pub figures: figures::Figures,
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
pub fn build(root: &Path, options: &Options) -> Result<(Build, Outputs), Failure> {
    let memory = output::Memory::default();
    let build = build_into(root, options, &memory)?;
    Ok((build, memory.into_outputs()))
}

/// Builds the site at `root` and writes it to `out`: into a staging folder, swapped in only
/// when the whole build succeeded.
pub fn build_to(root: &Path, out: &outdir::OutDir, options: &Options) -> Result<Build, Failure> {
    output::check_out_dir(root, &out.path).map_err(Failure::Usage)?;
    let staging = output::Staging::new(out).map_err(Failure::Usage)?;
    let build = build_into(root, options, &staging);
    // A file that could not be written is an I/O problem (exit 2), whatever else went wrong.
    if let Some(d) = staging.write_failure() {
        return Err(Failure::Usage(d));
    }
    let build = build?;
    staging.commit().map_err(Failure::Usage)?;
    Ok(build)
}

/// Builds in memory and checks every internal link and anchor.
pub fn check(root: &Path, options: &Options) -> Result<(Build, Outputs), Failure> {
    let (build, outputs) = build(root, options)?;
    let broken = check::links(&outputs, &build.site.config.base_url, root);
    if broken.is_empty() {
        Ok((build, outputs))
    } else {
        let mut all = build.warnings;
        all.extend(broken);
        Err(Failure::Site(all))
    }
}

/// The pipeline: every stage collects its problems; errors stop the build before rendering
/// or writing anything more.
fn build_into(root: &Path, options: &Options, sink: &dyn Sink) -> Result<Build, Failure> {
    let highlighter = highlight::Highlighter::default();
    let (prepared, mut problems) = prepare(root, options, &highlighter)?;
    // The cache holds only rendered Markdown, all done by now: it is written (on one thread)
    // while the pages render, rather than after them on a core left idle.
    let (files, cache_warning) = rayon::join(
        || prepared.render_all(sink, &mut problems),
        || prepared.save_cache(),
    );
    let files = files?;
    problems.extend(cache_warning);
    Ok(Build {
        site: prepared.site,
        files,
        warnings: problems,
        figures: prepared.figures,
    })
}

/// A site loaded and ready to render: everything a build (or a live preview) keeps.
pub struct Prepared {
    pub root: std::path::PathBuf,
    pub inputs: discover::Inputs,
    pub dir_layers: crate::site::DataLayers,
    pub figures: figures::Figures,
    pub site: Site,
    pub views: render::Views,
    pub layouts: render::Layouts,
    /// Told how rendering goes (the options' reporter).
    pub progress: progress::Reporter,
    /// The warm-build cache, when the options ask for one.
    pub cache: Option<cache::Store>,
}

/// Loads the site at `root`: inputs, data, figures, pages (with their Markdown) and layouts.
pub fn prepare(
    root: &Path,
    options: &Options,
    highlighter: &highlight::Highlighter,
) -> Result<(Prepared, Vec<Diagnostic>), Failure> {
    let mut config = load_config(root)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url);
    }
    let mut problems = Vec::new();
    let inputs = discover::scan(root, &mut problems);
    let data = data::load(&inputs, &mut problems);
    let figures = load_figures(root, &mut problems)?;
    let dir_layers = Loader::load_dir_layers(&inputs, &mut problems);
    let cache = options
        .cache
        .then(|| open_cache(root, &inputs, options, &mut problems))
        .flatten();
    let loader = Loader {
        inputs: &inputs,
        config: &config,
        options,
        highlighter,
        figures: &figures,
        dir_layers: &dir_layers,
        cache: cache.as_ref(),
    };
    options.progress.phase("reading", inputs.pages.len());
    let mut site = Site::load(&loader, data, &mut problems);
    fail_on_errors(&mut problems)?;
    let views = render::Views::new(&mut site);
    let layouts = render::Layouts::load(&inputs, &site).map_err(|e| failed(&mut problems, e))?;
    let prepared = Prepared {
        root: root.to_path_buf(),
        inputs,
        dir_layers,
        figures,
        site,
        views,
        layouts,
        progress: options.progress.clone(),
        cache,
    };
    Ok((prepared, problems))
}

/// The warm-build cache, keyed by everything besides a page's own file that its Markdown's
/// rendering reads: site.yaml, the folder defaults, the data files (figures), the base URL.
fn open_cache(
    root: &Path,
    inputs: &discover::Inputs,
    options: &Options,
    problems: &mut Vec<Diagnostic>,
) -> Option<cache::Store> {
    let mut site_inputs = vec![std::path::PathBuf::from(config::FILE)];
    site_inputs.extend(inputs.dir_defaults.iter().cloned());
    let data_dir = root.join("data");
    let data = walkdir::WalkDir::new(&data_dir).sort_by_file_name();
    for entry in data.into_iter().filter(|_| data_dir.is_dir()) {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                site_inputs.extend(e.path().strip_prefix(root).ok().map(Path::to_path_buf));
            }
            Ok(_) => {}
            // An unreadable folder: the store reports it and the build goes without a cache.
            Err(e) => site_inputs.extend(e.path().map(Path::to_path_buf)),
        }
    }
    let extra = format!(
        "base_url={:?} {}",
        options.base_url,
        cache::program_identity()
    );
    cache::Store::open(root, &site_inputs, &extra, problems)
}

impl Prepared {
    /// Writes the warm-build cache, if this build keeps one; a warning if it could not.
    fn save_cache(&self) -> Option<Diagnostic> {
        let cache = self.cache.as_ref()?;
        let pages = self.site.pages.iter().enumerate();
        let rendered = pages.map(|(id, page)| (&page.markdown, self.views.content(id)));
        cache.save(rendered).err()
    }

    /// Renders every page and writes every other file into `sink`.
    pub fn render_all(
        &self,
        sink: &dyn Sink,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<render::Listing, Failure> {
        let planned = self.planned_paths();
        self.progress.phase("rendering", planned.len());
        problems.extend(clashes::file_folder_clashes(&planned));
        fail_on_errors(problems)?;
        let sink = &progress::Counted {
            inner: sink,
            progress: &self.progress,
        };
        let mut files = render::all(&self.site, &self.views, &self.layouts, sink)
            .map_err(|e| failed(problems, e))?;
        self.extras().write(&mut files, sink, problems);
        fail_on_errors(problems)?;
        Ok(files)
    }

    /// Every output path the build will write, with the input it comes from.
    fn planned_paths(&self) -> Vec<(String, String)> {
        let pages = self.site.pages.iter().filter_map(|p| {
            let url = p.url.as_deref()?;
            Some((permalink::output_path(url), p.source.display().to_string()))
        });
        let tags = self
            .site
            .tags
            .iter()
            .filter(|_| self.layouts.has(render::TAG_LAYOUT))
            .map(|t| {
                let origin = format!("the page of tag `{}` ({})", t.name, render::TAG_LAYOUT);
                (permalink::output_path(&t.url), origin)
            });
        let statics = self
            .inputs
            .statics
            .iter()
            .chain(&self.inputs.assets)
            .map(|rel| (static_output_path(rel), rel.display().to_string()));
        let generated = [
            feed::FEED_PATH,
            feed::SITEMAP_PATH,
            highlight::STYLESHEET_URL,
        ]
        .map(|p| (p.trim_start_matches('/').to_string(), GENERATED.to_string()));
        pages.chain(tags).chain(statics).chain(generated).collect()
    }

    pub fn extras(&self) -> Extras<'_> {
        Extras {
            root: &self.root,
            inputs: &self.inputs,
            site: &self.site,
            views: &self.views,
            tag_pages: self.layouts.has(render::TAG_LAYOUT),
        }
    }
}

/// Prices and scenarios for the figures. Figures cannot be drawn from broken price data: the
/// build stops here rather than report the same problem at every figure.
pub fn load_figures(
    root: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Result<figures::Figures, Failure> {
    figures::Figures::load(&root.join("data")).map_err(|errors| {
        problems.extend(errors.into_iter().map(page_figures::data_error));
        failed(problems, Vec::new())
    })
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

pub fn failed(problems: &mut Vec<Diagnostic>, errors: Vec<Diagnostic>) -> Failure {
    problems.extend(errors);
    problems.sort();
    Failure::Site(std::mem::take(problems))
}

pub fn fail_on_errors(problems: &mut Vec<Diagnostic>) -> Result<(), Failure> {
    if problems.iter().any(Diagnostic::is_error) {
        Err(failed(problems, Vec::new()))
    } else {
        problems.sort();
        Ok(())
    }
}

/// The files besides rendered pages: static files and generated ones.
pub struct Extras<'a> {
    root: &'a Path,
    inputs: &'a discover::Inputs,
    site: &'a Site,
    views: &'a render::Views,
    tag_pages: bool,
}

impl Extras<'_> {
    /// A static file and a page may not claim the same path; generated files (feed, sitemap,
    /// highlight CSS) give way to the site's own.
    pub fn write(
        &self,
        files: &mut render::Listing,
        sink: &dyn Sink,
        problems: &mut Vec<Diagnostic>,
    ) {
        for rel in self.inputs.statics.iter().chain(&self.inputs.assets) {
            let path = static_output_path(rel);
            let origin = rel.to_string_lossy().into_owned();
            if let Some(page) = files.get(&path) {
                problems.push(clash(&path, page, rel));
                continue;
            }
            let output = Output {
                origin: origin.clone(),
                content: Content::Copy(self.root.join(rel)),
            };
            put(files, sink, path, output, problems);
        }
        let generated = [
            (feed::FEED_PATH, Ok(feed::atom(self.site, self.views))),
            (
                feed::SITEMAP_PATH,
                Ok(feed::sitemap(self.site, self.tag_pages)),
            ),
            (
                highlight::STYLESHEET_URL.trim_start_matches('/'),
                highlight::stylesheet(&self.site.config.highlight),
            ),
        ];
        for (path, text) in generated {
            match text {
                Ok(_) if files.contains_key(path) => {}
                Ok(text) => {
                    let output = Output {
                        origin: GENERATED.into(),
                        content: Content::Bytes(text.into_bytes()),
                    };
                    put(files, sink, path.to_string(), output, problems);
                }
                Err(message) => problems.push(Diagnostic::error(message).in_file(config::FILE)),
            }
        }
    }
}

fn put(
    files: &mut render::Listing,
    sink: &dyn Sink,
    path: String,
    output: Output,
    problems: &mut Vec<Diagnostic>,
) {
    files.insert(path.clone(), output.origin.clone());
    if let Err(d) = sink.put(&path, output) {
        problems.push(d);
    }
}
