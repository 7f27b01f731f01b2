//! Reading a site: which files exist (`discover`) less what Eleventy's ignore files name
//! (`ignore`), its settings (`config`), its data files (`data`), each page's front matter
//! (`frontmatter`) and where it is published (`permalink`).

pub mod config;
pub mod data;
pub mod data_template;
pub mod discover;
pub mod frontmatter;
pub mod ignore;
pub mod permalink;
pub mod slugs;
pub mod yaml;
