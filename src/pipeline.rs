//! The pipeline behind `build`, `check` and `serve`: load a site (`prepare`), plan its outputs,
//! produce them into a sink (memory, or a staging folder swapped in when all is written).

use std::path::Path;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::output::{Content, Output, Outputs, Sink};
use crate::plan::{self, Generated, Origin, Plan};
use crate::site::{self, Loader, Options, Site};
use crate::{
    cache, config, data, diag, discover, feed, figures, highlight, layout_chain,
    markdown_templates, outdir, output, progress, render, source_links,
};

/// A finished build.
pub struct Build {
    /// The site as loaded: pages, collections and settings.
    pub site: Site,
    /// Every file written: output path → where it came from.
    pub files: Plan,
    /// Warnings found on the way (the build succeeded anyway).
    pub warnings: Vec<Diagnostic>,
    /// The prices and scenarios the figures were computed from.
    pub figures: Arc<figures::Figures>,
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
    let (mut build, outputs) = build(root, options)?;
    let mut broken = crate::check::links(&outputs, &build.site.config.base_url, root);
    // A link to a source file that is no page is a broken link: the build found it, at its line.
    let (unknown, warnings) = std::mem::take(&mut build.warnings)
        .into_iter()
        .partition(|d| d.message.starts_with(source_links::UNKNOWN));
    build.warnings = warnings;
    broken.extend(unknown.into_iter().map(|d: Diagnostic| Diagnostic {
        severity: diag::Severity::Error,
        ..d
    }));
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
    /// The site's folder.
    pub root: std::path::PathBuf,
    /// Every input file found, by role.
    pub inputs: discover::Inputs,
    /// Folder and page data (`_dir.yaml`, Eleventy's data files), under each page's own.
    pub dir_layers: Arc<site::DataLayers>,
    /// The files in `layouts/`, with their own front matter split off.
    pub layout_files: layout_chain::LayoutFiles,
    /// Prices, scenarios and cold starts the figures are computed from.
    pub figures: Arc<figures::Figures>,
    /// The loaded pages, collections and settings.
    pub site: Site,
    /// Every page as templates see it.
    pub views: render::Views,
    /// The parsed Tera templates.
    pub layouts: Arc<render::Layouts>,
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
    let files = data::load(&inputs, &mut problems);
    let figures = Arc::new(load_figures(root, &files, &mut problems)?);
    let dir_layers = Loader::load_dir_layers(&inputs, &mut problems);
    let layout_files = layout_chain::LayoutFiles::load(&inputs, &mut problems);
    let cache = options
        .cache
        .then(|| open_cache(root, (&inputs, &layout_files), options, &mut problems))
        .flatten();
    let loader = Loader {
        inputs: &inputs,
        config: &config,
        options,
        highlighter,
        figures: &figures,
        dir_layers: &dir_layers,
        cache: cache.as_ref(),
        layout_files: &layout_files,
    };
    options.progress.phase("reading", inputs.pages.len());
    let mut site = Site::load(&loader, files.data, &mut problems);
    fail_on_errors(&mut problems)?;
    let layouts =
        render::Layouts::load(&layout_files, &site).map_err(|e| failed(&mut problems, e))?;
    let mut views = render::Views::new(&site, layouts.show_others_content());
    markdown_templates::render_all(&loader, &mut site, &mut views, &layouts, &mut problems);
    fail_on_errors(&mut problems)?;
    let prepared = Prepared {
        root: root.to_path_buf(),
        inputs,
        dir_layers: Arc::new(dir_layers),
        layout_files,
        figures,
        site,
        views,
        layouts: Arc::new(layouts),
        progress: options.progress.clone(),
        cache,
    };
    Ok((prepared, problems))
}

/// The warm-build cache, keyed by everything besides a page's own file that its Markdown's
/// rendering reads: site.yaml, the folder defaults, layouts with front matter (data under the
/// page's own), the data files (figures), the base URL.
fn open_cache(
    root: &Path,
    (inputs, layout_files): (&discover::Inputs, &layout_chain::LayoutFiles),
    options: &Options,
    problems: &mut Vec<Diagnostic>,
) -> Option<cache::Store> {
    let mut site_inputs = vec![std::path::PathBuf::from(config::FILE)];
    site_inputs.extend(inputs.dir_defaults.iter().cloned());
    site_inputs.extend(
        layout_files
            .with_front_matter()
            .map(std::path::PathBuf::from),
    );
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
        cache
            .save(self.site.pages.iter().map(|page| &page.markdown))
            .err()
    }

    /// Every output of the site and where it comes from, with the paths two inputs claim.
    pub fn plan(&self) -> (Plan, Vec<Diagnostic>) {
        let tag_pages = self.layouts.has(render::TAG_LAYOUT);
        plan::outputs(&self.site, &self.inputs, tag_pages)
    }

    /// Plans every output and produces it into `sink`.
    pub fn render_all(
        &self,
        sink: &dyn Sink,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<Plan, Failure> {
        let (plan, clashes) = self.plan();
        problems.extend(clashes);
        fail_on_errors(problems)?;
        self.progress.phase("rendering", plan.len());
        let sink = &progress::Counted {
            inner: sink,
            progress: &self.progress,
        };
        self.produce(&plan, sink).map_err(|e| failed(problems, e))?;
        fail_on_errors(problems)?;
        Ok(plan)
    }

    /// Renders, copies or generates the given planned files into `sink`.
    pub fn produce<'a>(
        &self,
        files: impl IntoIterator<Item = (&'a String, &'a Origin)>,
        sink: &dyn Sink,
    ) -> Result<(), Vec<Diagnostic>> {
        let (mut ids, mut tags, mut others) = (Vec::new(), Vec::new(), Vec::new());
        for (path, origin) in files {
            match origin {
                Origin::Page { source, chunk } => {
                    ids.extend(self.site.find(source).map(|id| (id, *chunk)));
                }
                Origin::Tag { slug, chunk } => {
                    let tag = self.site.tags.iter().find(|t| &t.slug == slug);
                    tags.extend(tag.map(|t| (t, *chunk)));
                }
                Origin::Static(_) | Origin::Generated(_) => others.push((path, origin)),
            }
        }
        render::some(&self.site, &self.views, &self.layouts, (&ids, &tags), sink)?;
        let mut problems = Vec::new();
        for (path, origin) in others {
            let content = match origin {
                Origin::Static(rel) => Ok(Content::Copy(self.root.join(rel))),
                Origin::Generated(g) => self.generate(*g).map(|t| Content::Bytes(t.into_bytes())),
                Origin::Page { .. } | Origin::Tag { .. } => continue,
            };
            let output = content.map(|content| Output {
                origin: origin.clone(),
                content,
            });
            if let Err(d) = output.and_then(|o| sink.put(path, o)) {
                problems.push(d);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    fn generate(&self, file: Generated) -> Result<String, Diagnostic> {
        match file {
            Generated::Feed => Ok(feed::atom(&self.site)),
            Generated::Sitemap => Ok(feed::sitemap(
                &self.site,
                self.layouts.has(render::TAG_LAYOUT),
            )),
            Generated::Stylesheet => highlight::stylesheet(&self.site.config.highlight),
        }
    }
}

/// Prices and scenarios for the figures, read from the data files `data::load` parsed. Figures
/// cannot be drawn from broken price data: the build stops here rather than report the same
/// problem at every figure.
pub fn load_figures(
    root: &Path,
    files: &data::Loaded,
    problems: &mut Vec<Diagnostic>,
) -> Result<figures::Figures, Failure> {
    figures::Figures::load(root, files).map_err(|errors| failed(problems, errors))
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

/// Adds `errors` to the problems found so far and fails with all of them.
pub fn failed(problems: &mut Vec<Diagnostic>, errors: Vec<Diagnostic>) -> Failure {
    problems.extend(errors);
    problems.sort();
    Failure::Site(std::mem::take(problems))
}

/// Fails with every problem found so far when one of them is an error.
pub fn fail_on_errors(problems: &mut Vec<Diagnostic>) -> Result<(), Failure> {
    if problems.iter().any(Diagnostic::is_error) {
        Err(failed(problems, Vec::new()))
    } else {
        problems.sort();
        Ok(())
    }
}
