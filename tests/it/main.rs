//! Integration tests: fixture sites built by the real `breakeven` binary, asserting on the files
//! it writes and the messages it prints.

mod base_blog;
mod build;
mod cache;
mod claims;
mod eleventy;
mod eleventy_ignore;
mod eleventy_layouts;
mod eleventy_links;
mod eleventy_templates;
mod errors;
mod figures;
mod harness;
mod hostile;
mod incremental;
mod neighbours;
mod pagination;
mod serve;
mod tools;
