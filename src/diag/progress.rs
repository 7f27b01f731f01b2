//! Build progress: a build says which phase it is in (`reading`, `rendering`) and how many of
//! its items are done; [`Bar`] shows that on one updating terminal line, and a build given no
//! reporter (tests, rebuilds in the live preview) reports to nobody.

use std::fmt;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::diag::Diagnostic;
use crate::output::{Output, Sink};

/// Receives a build's progress, from many threads at once.
pub trait Progress: Send + Sync {
    /// A phase of `total` items begins.
    fn phase(&self, name: &'static str, total: usize);
    /// `done` more items of the current phase are finished.
    fn advance(&self, done: usize);
    /// The build is over (whether it failed or not): clear the line.
    fn finish(&self);
}

/// Where a build reports its progress: nowhere unless given a [`Progress`].
#[derive(Clone, Default)]
pub struct Reporter(Option<Arc<dyn Progress>>);

impl Reporter {
    /// Reports to `progress` (a terminal bar, or a test's recorder).
    pub fn new(progress: Arc<dyn Progress>) -> Reporter {
        Reporter(Some(progress))
    }

    /// Starts a named stage of the build (`rendering`) that has `total` items to do.
    pub fn phase(&self, name: &'static str, total: usize) {
        if let Some(p) = &self.0 {
            p.phase(name, total);
        }
    }

    /// Counts `done` more items of the current stage as finished.
    pub fn advance(&self, done: usize) {
        if let Some(p) = &self.0 {
            p.advance(done);
        }
    }

    /// Ends the progress report of this build.
    pub fn finish(&self) {
        if let Some(p) = &self.0 {
            p.finish();
        }
    }
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Reporter"
        } else {
            "Reporter(none)"
        })
    }
}

/// A sink that counts every file handed to it as one item of progress.
pub struct Counted<'a> {
    /// Where the files go.
    pub inner: &'a dyn Sink,
    /// What counts them.
    pub progress: &'a Reporter,
}

impl Sink for Counted<'_> {
    fn put(&self, path: &str, output: Output) -> Result<(), Diagnostic> {
        let result = self.inner.put(path, output);
        self.progress.advance(1);
        result
    }
}

/// A short build should not flash a bar: it appears once the build has run this long.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// One updating line on standard error (`rendering [=====>    ] 4,210/10,053`), drawn only
/// when standard error is a terminal, and only once the build has taken a second.
pub struct Bar {
    bar: ProgressBar,
    /// When the current build started (a live preview may build again after a failure).
    started: Mutex<Instant>,
    shown: AtomicBool,
}

impl Bar {
    /// A bar on standard error, hidden until the build has run for a second.
    pub fn stderr() -> Bar {
        let bar = ProgressBar::hidden();
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>9} [{bar:30}] {human_pos}/{human_len} files")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Bar {
            bar,
            started: Mutex::new(Instant::now()),
            shown: AtomicBool::new(false),
        }
    }

    fn show_when_due(&self) {
        if !self.shown.load(Ordering::Relaxed)
            && self.started.lock().is_ok_and(|t| t.elapsed() >= SHOW_AFTER)
            && std::io::stderr().is_terminal()
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

impl Progress for Bar {
    fn phase(&self, name: &'static str, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_message(name);
        self.bar.reset();
        self.show_when_due();
    }

    fn advance(&self, done: usize) {
        self.bar.inc(done as u64);
        self.show_when_due();
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
        self.bar.set_draw_target(ProgressDrawTarget::hidden());
        self.shown.store(false, Ordering::Relaxed);
        if let Ok(mut started) = self.started.lock() {
            *started = Instant::now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what a build reports.
    #[derive(Default)]
    struct Log(Mutex<Vec<String>>);

    impl Progress for Log {
        fn phase(&self, name: &'static str, total: usize) {
            self.0.lock().unwrap().push(format!("{name} {total}"));
        }
        fn advance(&self, done: usize) {
            self.0.lock().unwrap().push(format!("+{done}"));
        }
        fn finish(&self) {
            self.0.lock().unwrap().push("finish".into());
        }
    }

    #[test]
    fn a_counted_sink_reports_each_file_and_passes_it_on() {
        let log = Arc::new(Log::default());
        let reporter = Reporter::new(log.clone());
        let memory = crate::output::Memory::default();
        let counted = Counted {
            inner: &memory,
            progress: &reporter,
        };
        reporter.phase("rendering", 2);
        for path in ["a.html", "b.html"] {
            let output = Output {
                origin: crate::plan::Origin::Static(path.into()),
                content: crate::output::Content::Bytes(b"x".to_vec()),
            };
            counted.put(path, output).unwrap();
        }
        reporter.finish();
        assert_eq!(
            *log.0.lock().unwrap(),
            ["rendering 2", "+1", "+1", "finish"]
        );
        assert_eq!(memory.into_outputs().len(), 2);
    }
}
