//! breakeven: a static site generator whose figures are computed from the data behind them.
//!
//! The pipeline, a folder per stage (each module says what it takes and gives):
//!
//! 1. `input`: what exists (`discover`), `config`, `data`, `frontmatter`, `permalink`;
//! 2. `site`: pages loaded (Markdown, `highlight`, figures), collections, tags, `paginate`;
//! 3. `render`: Tera over the layouts, with `filters`, `deps` (what a template reads) and `feed`;
//! 4. `output`: the `plan` of every output file, written to memory or a staging folder;
//! 5. `figures`: the `cost` model, its charts and tables, and their place in a `page`;
//! 6. `preview`: `serve`, a site kept in memory and rebuilt on every save (`rebuild`);
//! 7. `diag`: every problem found, shown rustc-style by `terminal`, and `progress`.
//!
//! `pipeline` runs them: `build` loads, plans, produces and commits; `serve` loads once, then
//! applies changes through the same plan.

pub mod check;
pub mod diag;
pub mod figures;
pub mod input;
pub mod output;
pub mod preview;
pub mod render;
pub mod scaffold;
pub mod site;

mod pipeline;

// Every stage's modules by their own name, so code reads `crate::frontmatter`, not the folder.
pub use diag::{progress, terminal};
pub use figures::{cost, page as page_figures};
pub use input::{config, data, data_template, discover, frontmatter, permalink, slugs, yaml};
pub use output::{cache, outdir, plan};
pub use pipeline::{
    Build, Failure, Prepared, build, build_to, check, fail_on_errors, failed, load_figures, prepare,
};
pub use preview::{http, rebuild, serve, watch};
pub use render::{deadline, deps, feed, filters};
pub use site::{
    Options, computed, highlight, layout_chain, markdown, markdown_templates, paginate,
    source_links,
};
