//! A differential property test of `serve`'s rebuilds: generated sites (posts, data, layouts and
//! listings from a template grammar, a paged listing) take generated edits, and after each edit
//! every output of the live session must equal a clean build's, byte for byte. A failure shrinks
//! to a small site and a short list of edits, printed as files.
//!
//! `cargo test` runs a fixed number of cases from a fixed seed; `bench/differential.sh` runs
//! many more (`BREAKEVEN_DIFF_CASES`, `BREAKEVEN_DIFF_SEED`).

mod grammar;
mod model;
mod strategies;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use breakeven::Options;
use breakeven::rebuild::Session;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use crate::harness::Site;
use crate::same_as_clean::{Compared, equals_a_clean_build};
use model::{Edit, Model};

/// Cases in `cargo test`: enough to reach every rule of the grammar, few enough to run in
/// seconds on a 2-core machine.
const CASES: u32 = 128;

/// A site and the edits made to it, shown as the files of each version.
#[derive(Clone)]
struct Case {
    site: Model,
    /// Each edit, and whether it is saved with the one before (one rebuild for both).
    edits: Vec<(Edit, bool)>,
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut model = self.site.clone();
        writeln!(f, "the site:")?;
        show_files(f, &BTreeMap::new(), &model.files())?;
        for (n, (edit, together)) in self.edits.iter().enumerate() {
            let before = model.files();
            model.apply(edit);
            let with = if *together {
                " (saved with the edit before)"
            } else {
                ""
            };
            writeln!(f, "edit {}{with}: {edit:?}", n + 1)?;
            show_files(f, &before, &model.files())?;
        }
        Ok(())
    }
}

/// The files that differ from `before`, with their text (or `deleted`).
fn show_files(
    f: &mut fmt::Formatter<'_>,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> fmt::Result {
    for (path, text) in after {
        if before.get(path) != Some(text) {
            writeln!(f, "  == {path}\n{}", indent(text))?;
        }
    }
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        writeln!(f, "  == {path}: deleted")?;
    }
    Ok(())
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("     {l}\n")).collect()
}

fn case() -> impl Strategy<Value = Case> {
    let edit = (strategies::edit(), prop::bool::weighted(0.2));
    (strategies::model(), prop::collection::vec(edit, 3..9))
        .prop_map(|(site, edits)| Case { site, edits })
}

/// Writes `files` over `before` into `site`; gives the paths written or deleted.
fn write_version(
    site: &Site,
    before: &BTreeMap<String, String>,
    files: &BTreeMap<String, String>,
) -> BTreeSet<PathBuf> {
    let mut changed = BTreeSet::new();
    for (path, text) in files {
        if before.get(path) != Some(text) {
            site.write(path, text);
            changed.insert(PathBuf::from(path));
        }
    }
    for path in before.keys().filter(|p| !files.contains_key(*p)) {
        std::fs::remove_file(site.path(path)).expect("delete");
        changed.insert(PathBuf::from(path));
    }
    changed
}

/// What the cases did, so a run shows how many of them tested rebuilds at all.
#[derive(Default)]
struct Tally {
    cases: AtomicUsize,
    sites_that_fail: AtomicUsize,
    steps_built: AtomicUsize,
    steps_failing: AtomicUsize,
}

impl Tally {
    fn add(counter: &AtomicUsize) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Starts a session on the generated site, then applies each edit and compares.
fn check(case: Case, tally: &Tally) -> Result<(), TestCaseError> {
    Tally::add(&tally.cases);
    let site = Site::blank();
    let mut model = case.site.clone();
    let mut files = model.files();
    write_version(&site, &BTreeMap::new(), &files);
    let mut session = match Session::start(site.root(), &Options::default()) {
        Ok((session, _)) => session,
        // A site the grammar got wrong is no test of rebuilds, unless a build disagrees.
        Err(_) if breakeven::build(site.root(), &Options::default()).is_err() => {
            Tally::add(&tally.sites_that_fail);
            return Ok(());
        }
        Err(f) => return Err(TestCaseError::fail(format!("start failed: {f:?}"))),
    };
    let mut changed = BTreeSet::new();
    for (n, (edit, _)) in case.edits.iter().enumerate() {
        model.apply(edit);
        let next = model.files();
        changed.extend(write_version(&site, &files, &next));
        files = next;
        if case.edits.get(n + 1).is_some_and(|(_, together)| *together) {
            continue;
        }
        let changed = std::mem::take(&mut changed);
        let compared = equals_a_clean_build(&mut session, site.root(), changed)
            .map_err(|e| TestCaseError::fail(format!("edit {} ({edit:?}): {e}", n + 1)))?;
        Tally::add(match compared {
            Compared::Built => &tally.steps_built,
            Compared::BothFailed => &tally.steps_failing,
        });
    }
    Ok(())
}

/// Runs `cases` cases from `seed`, failing with the smallest failing case found.
fn run(cases: u32, seed: u64) {
    let config = Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        max_shrink_iters: 400,
        ..Config::default()
    };
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let tally = Tally::default();
    let result = runner.run(&case(), |case| check(case, &tally));
    let n = |c: &AtomicUsize| c.load(Ordering::Relaxed);
    eprintln!(
        "differential: {} cases run (shrinking included), {} sites failed to build, {} edits \
         compared with a clean build, {} edits failed in both",
        n(&tally.cases),
        n(&tally.sites_that_fail),
        n(&tally.steps_built),
        n(&tally.steps_failing)
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn generated_sites_and_edits_rebuild_like_a_clean_build() {
    let cases = env_number("BREAKEVEN_DIFF_CASES").map_or(CASES, |n| n as u32);
    run(cases, env_number("BREAKEVEN_DIFF_SEED").unwrap_or(0));
}
