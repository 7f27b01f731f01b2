//! The command line: parses arguments, calls the library, prints diagnostics, sets the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use breakeven::progress::{Bar, Reporter};
use breakeven::{Build, Failure, Options, terminal};
use clap::{Args, Parser, Subcommand};

// Returns freed memory to the system promptly: with glibc's per-thread arenas, a parallel build
// of a large site keeps far more memory resident than it uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A static site generator whose figures are computed from the data behind them.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The site's folder (the one holding site.yaml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Print only errors and warnings: no progress line, no summary.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Serve the site from memory with live reload, rebuilding what each change affects.
    Serve(ServeArgs),
    /// Create a draft post in content/blog/posts/ and print its path.
    New {
        /// The post's title.
        title: String,
        /// Tags besides `post`, comma-separated.
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
    },
    /// Build in memory and check every internal link and #anchor; writes nothing.
    Check(CheckArgs),
}

#[derive(Args)]
struct BuildArgs {
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Output folder (default: public/ in the site's folder).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the `--out` folder even if it holds files breakeven did not write.
    #[arg(long)]
    force: bool,
    /// Publish under this URL instead of site.yaml's base_url.
    #[arg(long)]
    base_url: Option<String>,
    /// Neither read nor write the warm-build cache in .breakeven/.
    #[arg(long)]
    no_cache: bool,
}

#[derive(Args)]
struct ServeArgs {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Open the site in a browser.
    #[arg(long)]
    open: bool,
}

#[derive(Args)]
struct CheckArgs {
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Also move each price in data/ down and up by this many percent, one at a time, and
    /// list every claim that no longer holds.
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    sensitivity: Option<f64>,
}

/// What every command shares: the site's folder, `--quiet`, and the progress line.
struct Run {
    root: PathBuf,
    quiet: bool,
    progress: Reporter,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The progress line: drawn only on a terminal, and only for a build that takes a while.
    let progress = if cli.quiet {
        Reporter::default()
    } else {
        Reporter::new(Arc::new(Bar::stderr()))
    };
    let run = Run {
        root: cli.root,
        quiet: cli.quiet,
        progress,
    };
    match cli.command {
        Command::Build(args) => build(&run, args),
        Command::Serve(args) => serve(run, args),
        Command::Check(args) => check(&run, &args),
        Command::New { title, tags } => new_post(&run.root, &title, &tags),
    }
}

/// `build`: the site into the output folder, then one summary line.
fn build(run: &Run, args: BuildArgs) -> ExitCode {
    let out = breakeven::outdir::OutDir {
        chosen: args.out.is_some(),
        path: args.out.unwrap_or_else(|| run.root.join("public")),
        force: args.force,
    };
    let started = Instant::now();
    let options = Options {
        drafts: args.drafts,
        base_url: args.base_url,
        progress: run.progress.clone(),
        cache: !args.no_cache,
    };
    let result = breakeven::build_to(&run.root, &out, &options);
    run.progress.finish();
    finish(&run.root, result, |build| {
        if run.quiet {
            return;
        }
        let pages = build.files.keys().filter(|p| p.ends_with(".html")).count();
        println!(
            "built {pages} pages and {} other files in {:.2} s → {}",
            build.files.len() - pages,
            started.elapsed().as_secs_f64(),
            out.path.display()
        );
    })
}

/// `serve`: runs until interrupted; only a failure to start returns.
fn serve(run: Run, args: ServeArgs) -> ExitCode {
    let options = breakeven::serve::ServeOptions {
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        open: args.open,
        progress: run.progress,
    };
    match breakeven::serve::run(&run.root, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => finish(&run.root, Err(failure), |_| {}),
    }
}

/// `check`: every internal link and anchor, and with `--sensitivity` every claim on a price.
fn check(run: &Run, args: &CheckArgs) -> ExitCode {
    let options = Options {
        drafts: args.drafts,
        base_url: None,
        progress: run.progress.clone(),
        // Claims come from a fresh rendering of every page.
        cache: false,
    };
    let result = breakeven::check(&run.root, &options);
    run.progress.finish();
    if let (Some(percent), Ok((build, _))) = (args.sensitivity, &result) {
        return report_sensitivity(&run.root, build, percent);
    }
    finish(&run.root, result.map(|(build, _)| build), |build| {
        if !run.quiet {
            println!(
                "checked {} files: every internal link and anchor resolves",
                build.files.len()
            );
        }
    })
}

/// `new`: a draft post dated today; prints its path.
fn new_post(root: &Path, title: &str, tags: &[String]) -> ExitCode {
    let today = jiff::Zoned::now().date();
    match breakeven::scaffold::new_post(root, title, tags, today) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(d) => {
            terminal::print_all(&[d], root);
            ExitCode::from(2)
        }
    }
}

/// Prints the claims that flip and a one-line summary; exit 1 if any flips.
fn report_sensitivity(root: &Path, build: &Build, percent: f64) -> ExitCode {
    let (report, problems) = breakeven::check::sensitivity(build, percent);
    terminal::print_all(&problems, root);
    let summary = format!(
        "sensitivity ±{percent}%: {} claims on prices, {} prices, {} cases",
        report.claims, report.prices, report.cases
    );
    if problems.is_empty() {
        println!("{summary}: every claim holds");
        ExitCode::SUCCESS
    } else {
        let n = problems.len();
        let claims = if n == 1 {
            "1 claim flips"
        } else {
            "claims flip"
        };
        let count = if n == 1 {
            String::new()
        } else {
            format!("{n} ")
        };
        eprintln!("{summary}: {count}{claims}");
        ExitCode::from(1)
    }
}

/// `--sensitivity`'s value: a percentage above 0 and below 100.
fn percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(p) if p > 0.0 && p < 100.0 => Ok(p),
        _ => Err(format!(
            "`{text}` is not a percentage between 0 and 100 (e.g. 10)"
        )),
    }
}

fn finish(root: &Path, result: Result<Build, Failure>, report: impl FnOnce(&Build)) -> ExitCode {
    match result {
        Ok(build) => {
            terminal::print_all(&build.warnings, root);
            report(&build);
            ExitCode::SUCCESS
        }
        Err(Failure::Site(problems)) => {
            terminal::print_all(&problems, root);
            eprintln!("{}", failed_line(&problems));
            ExitCode::from(1)
        }
        Err(Failure::Usage(d)) => {
            terminal::print_all(&[d], root);
            ExitCode::from(2)
        }
    }
}

/// The last line of a failed run: what failed and how often.
fn failed_line(problems: &[breakeven::diag::Diagnostic]) -> String {
    let errors: Vec<_> = problems.iter().filter(|p| p.is_error()).collect();
    let plural = if errors.len() == 1 { "" } else { "s" };
    if !errors.is_empty() && errors.iter().all(|e| e.message.starts_with("broken link ")) {
        format!("check failed: {} broken link{plural}", errors.len())
    } else {
        format!("build failed with {} error{plural}", errors.len())
    }
}
