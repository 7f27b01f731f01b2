//! Integration tests: fixture sites built by the real `breakeven` binary, asserting on the files
//! it writes and the messages it prints.

// A test that cannot read its fixture or run the binary should fail loudly, at the line that
// could not, so the harness and the tests unwrap and expect (clippy.toml only covers `#[test]`
// functions, not the helpers they share).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod base_blog;
mod build;
mod cache;
mod claims;
mod content_listing;
mod differential;
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
mod same_as_clean;
mod serve;
mod tools;
