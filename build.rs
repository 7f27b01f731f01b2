//! Marks the build with `cfg(chromium)` when Debian's Chromium is installed, so the browser test
//! is reported as ignored, not as passed, on a machine without it.

use std::path::Path;

/// Where Debian and Ubuntu install Chromium.
const CHROMIUM: [&str; 2] = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    // Installing or removing a browser changes the folder it lives in.
    println!("cargo::rerun-if-changed=/usr/bin");
    println!("cargo::rerun-if-changed=build.rs");
    if CHROMIUM.iter().any(|p| Path::new(p).exists()) {
        println!("cargo::rustc-cfg=chromium");
    }
}
