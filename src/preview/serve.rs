//! `serve`: builds the site in memory, serves it with live reload, and rebuilds what each
//! change affects. A failed rebuild keeps the last good site and shows the error on every page.

mod live;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::diag::Diagnostic;
use crate::highlight::escape_html;
use crate::rebuild::Session;
use crate::terminal;
use crate::watch::Watcher;
use crate::{Failure, Options};
use live::{Live, Snapshot};

const OVERLAY_STYLE: &str = include_str!("serve/overlay.css");

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on (`--bind`).
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Include `draft: true` pages.
    pub drafts: bool,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Told how the first build goes.
    pub progress: crate::progress::Reporter,
}

/// Runs until Ctrl-C. Returns only on a start-up problem.
pub fn run(root: &Path, options: &ServeOptions) -> Result<(), Failure> {
    let listener = TcpListener::bind((options.bind, options.port)).map_err(|e| {
        Failure::Usage(
            Diagnostic::error(format!(
                "cannot listen on {}:{}: {e}",
                options.bind, options.port
            ))
            .help("pick another port with `--port N`, or `--port 0` for any free one"),
        )
    })?;
    let address = listener
        .local_addr()
        .map_err(|e| Failure::Usage(Diagnostic::error(e.to_string())))?;
    let url = format!("http://{}/", display_address(address));
    // Links made absolute by the templates point at this preview, not the published site.
    let build_options = Options {
        drafts: options.drafts,
        base_url: Some(url.trim_end_matches('/').to_string()),
        progress: options.progress.clone(),
        cache: false,
    };
    let mut watcher = Watcher::start(root).map_err(Failure::Usage)?;
    let live = Arc::new(Live::default());
    let started = Instant::now();
    let mut session = start_session(root, &build_options, &live);
    say(&format!(
        "serving {url} (first build {:.2} s); press Ctrl-C to stop",
        started.elapsed().as_secs_f64()
    ));
    let _ = ctrlc::set_handler(|| {
        say("\nstopped");
        std::process::exit(0);
    });
    let server = Arc::clone(&live);
    std::thread::spawn(move || live::accept(listener, server));
    if options.open {
        open_browser(&url);
    }
    while let Some(paths) = watcher.next_batch() {
        let started = Instant::now();
        session = match session {
            Some(mut s) => {
                rebuild(&mut s, paths, &live, (started, build_options.drafts));
                Some(s)
            }
            None => start_session(root, &build_options, &live),
        };
    }
    Ok(())
}

/// A first build; on errors the preview shows them and waits for a fix.
fn start_session(root: &Path, options: &Options, live: &Live) -> Option<Session> {
    let started = Session::start(root, options);
    options.progress.finish();
    match started {
        Ok((session, warnings)) => {
            terminal::print_all(&warnings, root);
            let snapshot = Snapshot {
                outputs: Arc::clone(session.outputs()),
                errors: None,
            };
            live.publish(snapshot, r#"{"all":true}"#);
            Some(session)
        }
        Err(failure) => {
            let problems = problems_of(failure);
            terminal::print_all(&problems, root);
            // On stderr: stdout's first line is the address, printed once the server is up.
            eprintln!("{}", failed_line("build", &problems));
            live.publish(
                Snapshot {
                    outputs: Arc::default(),
                    errors: Some(overlay(root, &problems)),
                },
                r#"{"all":true}"#,
            );
            None
        }
    }
}

/// `started` is when the change was seen, and whether drafts are shown.
fn rebuild(
    session: &mut Session,
    paths: BTreeSet<PathBuf>,
    live: &Live,
    (started, with_drafts): (Instant, bool),
) {
    let had_errors = live.current().errors.is_some();
    let drafts = if with_drafts {
        Vec::new()
    } else {
        hidden_drafts(session.root(), &paths)
    };
    match session.apply(paths) {
        Ok(update) => {
            terminal::print_all(&update.warnings, session.root());
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            let fixed = if had_errors { "fixed: " } else { "" };
            say(&format!(
                "{fixed}rebuilt in {ms:.0} ms: {} file(s) changed",
                update.changed.len()
            ));
            for draft in drafts {
                say(&format!(
                    "note: {} is a draft (`draft: true`), hidden without `--drafts`",
                    draft.display()
                ));
            }
            let snapshot = Snapshot {
                outputs: Arc::clone(session.outputs()),
                errors: None,
            };
            let event = if had_errors || update.full {
                r#"{"all":true}"#.to_string()
            } else {
                let paths: Vec<String> = update
                    .changed
                    .iter()
                    .map(|p| serde_json::to_string(p).unwrap_or_default())
                    .collect();
                format!(r#"{{"paths":[{}]}}"#, paths.join(","))
            };
            live.publish(snapshot, &event);
        }
        Err(failure) => {
            let problems = problems_of(failure);
            terminal::print_all(&problems, session.root());
            say(&failed_line("rebuild", &problems));
            let snapshot = Snapshot {
                outputs: Arc::clone(session.outputs()),
                errors: Some(overlay(session.root(), &problems)),
            };
            live.publish(snapshot, r#"{"all":true}"#);
        }
    }
}

/// "rebuild failed (2 errors); …": the summary after the errors themselves.
fn failed_line(what: &str, problems: &[Diagnostic]) -> String {
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let plural = if errors == 1 { "" } else { "s" };
    format!(
        "{what} failed ({errors} error{plural}); the preview shows them until a save fixes them"
    )
}

/// The changed pages that are drafts the preview leaves out, so a saved draft that changes
/// nothing says why.
fn hidden_drafts(root: &Path, paths: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| p.starts_with("content"))
        .filter(|p| {
            std::fs::read_to_string(root.join(p))
                .is_ok_and(|text| crate::frontmatter::is_draft(&text))
        })
        .cloned()
        .collect()
}

fn problems_of(failure: Failure) -> Vec<Diagnostic> {
    match failure {
        Failure::Site(problems) => problems,
        Failure::Usage(d) => vec![d],
    }
}

/// Prints a line; a closed terminal or pipe must not stop the preview.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// The error overlay: every error with its location, message, help and source line.
fn overlay(root: &Path, problems: &[Diagnostic]) -> String {
    let mut html = format!(
        "<div id=\"breakeven-errors\" role=\"alert\"><style>{OVERLAY_STYLE}</style><h2>The site did not build</h2>"
    );
    for d in problems.iter().filter(|d| d.is_error()) {
        html.push_str("<section>");
        html.push_str(&format!(
            "<p class=\"be-where\">{}</p>",
            escape_html(&d.location().unwrap_or_default())
        ));
        html.push_str(&format!(
            "<p class=\"be-what\">{}</p>",
            escape_html(&d.message)
        ));
        if let (Some(source), Some(line)) = (terminal::source_line(root, d), d.line) {
            html.push_str(&format!("<pre>{line} | {}</pre>", escape_html(&source)));
        }
        if let Some(help) = &d.help {
            html.push_str(&format!(
                "<p class=\"be-help\">help: {}</p>",
                escape_html(help)
            ));
        }
        html.push_str("</section>");
    }
    html.push_str("<p class=\"be-note\">Showing the last good build underneath. Save a fix and this page reloads.</p></div>");
    html
}

fn display_address(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", address.port()),
        _ => address.to_string(),
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::OVERLAY_STYLE;

    /// The overlay once let the page's heading show through a translucent backdrop.
    #[test]
    fn overlay_background_is_opaque() {
        let backdrop = OVERLAY_STYLE
            .split("#breakeven-errors {")
            .nth(1)
            .and_then(|rule| rule.split("background: ").nth(1))
            .and_then(|value| value.split(';').next())
            .expect("the overlay sets a background");
        assert!(
            backdrop.len() == 7 && backdrop.starts_with('#'),
            "a solid #rrggbb colour, not `{backdrop}`"
        );
    }
}
