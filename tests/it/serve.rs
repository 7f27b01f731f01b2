//! `serve` for real: the binary on a free port, a file edited on disk, the reload event and
//! the new page; errors over every page; safety of paths and methods; and one test in a real
//! headless Chromium.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::harness::Site;

/// How long to wait for a page or the browser before failing. Generous: the whole suite runs
/// in parallel on two cores, and a cold Chromium took over 20 s to start there once.
const WAIT: Duration = Duration::from_secs(90);

/// A running `breakeven serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    address: String,
    /// What serve prints on stdout after its first line.
    lines: Receiver<String>,
}

impl Server {
    pub(crate) fn start(site: &Site) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_breakeven"))
            .arg("--root")
            .arg(site.root())
            .args(["serve", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start serve");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let lines = spawn_lines(stdout);
        let first = lines.recv_timeout(WAIT).expect("serve printed its URL");
        let address = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no URL in `{first}`"))
            .to_string();
        Server {
            child,
            address,
            lines,
        }
    }

    /// Waits for a line of serve's output that contains `needle`.
    fn wait_for_line(&self, needle: &str) -> String {
        let mut seen = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(WAIT) {
            if line.contains(needle) {
                return line;
            }
            seen.push(line);
        }
        panic!(
            "serve never printed `{needle}`; it printed:\n{}",
            seen.join("\n")
        );
    }

    pub(crate) fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path)
    }

    fn request(&self, method: &str, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream.set_read_timeout(Some(WAIT)).expect("timeout");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    /// The reload events, one `data:` line each.
    fn events(&self) -> Receiver<String> {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "GET /__breakeven/events HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        .expect("send");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(data) = line.strip_prefix("data: ")
                    && tx.send(data.to_string()).is_err()
                {
                    return;
                }
            }
        });
        // The stream is open once the server has answered with its headers; a page fetch
        // after this point proves the subscription is registered.
        std::thread::sleep(Duration::from_millis(200));
        rx
    }

    /// Waits for a page whose body satisfies `check`.
    pub(crate) fn wait_for(&self, path: &str, check: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let (_, body) = self.get(path);
            if check(&body) {
                return body;
            }
            assert!(
                started.elapsed() < WAIT,
                "timed out waiting on {path}; last body:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Lines of the server's output; it is read to the end so the server never writes to a
/// closed pipe.
fn spawn_lines(reader: impl BufRead + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

fn next_event(events: &Receiver<String>, expect: &str) -> String {
    let started = Instant::now();
    while started.elapsed() < WAIT {
        if let Ok(event) = events.recv_timeout(WAIT)
            && event.contains(expect)
        {
            return event;
        }
    }
    panic!("no reload event with `{expect}`");
}

const SECOND: &str = "content/blog/posts/2025-04-01-second.md";
const SECOND_PAGE: &str = "/blog/posts/2025-04-01-second/";

#[test]
fn an_edit_sends_a_reload_event_and_serves_the_new_page() {
    let site = Site::fixture("blog");
    let server = Server::start(&site);
    let (status, page) = server.get(SECOND_PAGE);
    assert_eq!(status, 200);
    assert!(
        page.contains("/__breakeven/events"),
        "reload script injected"
    );
    assert!(!site.exists("index.html"), "serve never writes public/");
    let events = server.events();
    let text = std::fs::read_to_string(site.path(SECOND)).expect("post");
    site.write(
        SECOND,
        text.replace("Dated by its file name.", "Edited while serving."),
    );
    let event = next_event(&events, "blog/posts/2025-04-01-second/index.html");
    assert!(!event.contains("\"all\""), "{event}");
    assert!(server.get(SECOND_PAGE).1.contains("Edited while serving."));
    // A stylesheet change is announced alone, so pages swap it without reloading.
    site.write("static/css/site.css", "body { color: teal; }\n");
    assert_eq!(next_event(&events, "css"), r#"{"paths":["css/site.css"]}"#);
}

#[test]
fn the_terminal_says_when_a_rebuild_failed_was_fixed_or_hid_a_draft() {
    let site = Site::fixture("blog");
    let server = Server::start(&site);
    let text = std::fs::read_to_string(site.path(SECOND)).expect("post");
    site.write(SECOND, "---\ntitle: [\n---\n");
    server.wait_for_line("rebuild failed (1 error)");
    site.write(SECOND, &text);
    server.wait_for_line("fixed: rebuilt in");
    site.write(
        "content/blog/posts/new-draft.md",
        "---\ntitle: Not yet\ndraft: true\n---\nSoon.\n",
    );
    let note = server.wait_for_line("is a draft");
    assert_eq!(
        note,
        "note: content/blog/posts/new-draft.md is a draft (`draft: true`), hidden without `--drafts`"
    );
}

#[test]
fn errors_show_over_every_page_and_clear() {
    let site = Site::fixture("blog");
    let server = Server::start(&site);
    site.write(SECOND, "---\ntitle: [\n---\n");
    let page = server.wait_for("/about/", |b| b.contains("<div id=\"breakeven-errors\""));
    // The YAML parser notices the unclosed list on the closing fence; the error names the line
    // that opens it.
    assert!(
        page.contains("content/blog/posts/2025-04-01-second.md:2:8"),
        "{page}"
    );
    assert!(
        page.contains("<pre>2 | title: [</pre>"),
        "the source line is shown:\n{page}"
    );
    assert!(
        page.contains("About this site."),
        "the last good page is still served"
    );
    site.write(SECOND, "---\ntitle: Fixed\n---\nFixed.\n");
    let page = server.wait_for(SECOND_PAGE, |b| b.contains("Fixed."));
    assert!(!page.contains("<div id=\"breakeven-errors\""));
}

/// A price edit in `data/` re-checks the claims of every page that reads it: a post whose claim
/// it breaks shows the error, and the fix clears it. The fixture's `claim-breakeven` breaks
/// even with one t3.medium at 11.18 req/s; at twice the hourly price, at 22.4 req/s.
#[test]
fn a_price_edit_that_breaks_a_claim_shows_over_the_page() {
    let site = Site::fixture("figures");
    site.write(
        "content/claimed.md",
        "---\ntitle: Claimed\n---\nCheaper up to `=breakeven claim-breakeven lambda-x86 t3.medium`.\n<!-- claim: breakeven claim-breakeven lambda-x86 t3.medium < 15 -->\n",
    );
    let server = Server::start(&site);
    let (status, page) = server.get("/claimed/");
    assert_eq!(status, 200);
    assert!(!page.contains("<div id=\"breakeven-errors\""), "{page}");

    let prices = std::fs::read_to_string(site.path("data/pricing.yaml")).expect("pricing");
    let doubled = prices.replace("usd_per_hour: 0.0416", "usd_per_hour: 0.0832");
    assert_ne!(prices, doubled);
    site.write("data/pricing.yaml", &doubled);
    let page = server.wait_for("/claimed/", |b| b.contains("<div id=\"breakeven-errors\""));
    assert!(
        page.contains("content/claimed.md:5"),
        "the claim's line is named:\n{page}"
    );
    assert!(page.contains("claim does not hold"), "{page}");
    assert!(
        page.contains("22.4 req/s"),
        "the new value is shown:\n{page}"
    );

    site.write("data/pricing.yaml", &prices);
    let page = server.wait_for("/claimed/", |b| !b.contains("<div id=\"breakeven-errors\""));
    assert!(page.contains("11.2 req/s"), "{page}");
}

#[test]
fn a_layout_failing_on_every_post_shows_one_error_in_the_overlay() {
    let site = Site::fixture("blog");
    let server = Server::start(&site);
    site.write(
        "layouts/blog.html",
        "{% extends \"layouts/base.html\" %}\n{% block main %}\n{{ page.data.missing.key }}\n{% endblock main %}\n",
    );
    let page = server.wait_for("/about/", |b| b.contains("<div id=\"breakeven-errors\""));
    assert_eq!(page.matches("<section>").count(), 1, "{page}");
    assert!(page.contains("layouts/blog.html:3:"), "{page}");
    assert!(
        page.contains(
            "while rendering content/blog/posts/2025-04-01-second.md and \
             content/blog/posts/servers-vs-serverless.md"
        ),
        "{page}"
    );
}

#[test]
fn a_deleted_page_is_a_404_that_still_reloads() {
    let site = Site::fixture("blog");
    let server = Server::start(&site);
    std::fs::remove_file(site.path(SECOND)).expect("delete");
    let body = server.wait_for(SECOND_PAGE, |b| b.contains("data-be-missing=\"true\""));
    assert!(body.contains("/__breakeven/events"));
    assert_eq!(server.get(SECOND_PAGE).0, 404);
    assert!(
        !server.get("/").1.contains("Second post"),
        "listings drop the deleted post"
    );
}

#[test]
fn a_page_added_under_an_eleventyignore_folder_stays_unpublished() {
    let site = Site::fixture("blog");
    site.write("content/.eleventyignore", "drafts\n");
    let server = Server::start(&site);
    let events = server.events();
    site.write(
        "content/drafts/later.md",
        "---\ntitle: Later\n---\nNot yet.\n",
    );
    let text = std::fs::read_to_string(site.path(SECOND)).expect("post");
    site.write(
        SECOND,
        text.replace("Dated by its file name.", "Edited after."),
    );
    next_event(&events, "blog/posts/2025-04-01-second/index.html");
    assert_eq!(server.get("/drafts/later/").0, 404);
    assert!(server.get(SECOND_PAGE).1.contains("Edited after."));
}

#[test]
fn only_get_and_head_inside_the_site() {
    let site = Site::fixture("blog");
    let server = Server::start(&site);
    assert_eq!(server.request("POST", "/").0, 405);
    assert_eq!(server.request("DELETE", "/").0, 405);
    let (status, body) = server.request("HEAD", "/");
    assert_eq!((status, body.as_str()), (200, ""));
    assert_eq!(server.get("/../site.yaml").0, 400);
    assert_eq!(server.get("/%2e%2e/site.yaml").0, 400);
    assert_eq!(server.get("/content/about.md").0, 404);
    assert_eq!(server.get("/about").0, 301);
}

/// Headless Chromium, watched through its DevTools HTTP listing (page titles): the open page
/// reloads itself after an edit, then shows and clears the error overlay. Needs Debian's
/// `chromium`: without it (build.rs sets `cfg(chromium)`) `cargo test` lists it as ignored.
#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium: apt-get install chromium, then cargo test again"
)]
fn a_real_browser_reloads_and_shows_errors() {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("chromium was installed when this test was built; build again");
    let site = Site::fixture("blog");
    let server = Server::start(&site);
    let profile = tempfile::tempdir().expect("profile");
    let debug_port = free_port();
    let mut browser = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--remote-debugging-port={debug_port}"))
        .arg(format!("http://{}{SECOND_PAGE}", server.address))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let result = std::panic::catch_unwind(|| {
        wait_for_title(debug_port, "Second post | Fixture Blog");
        let text = std::fs::read_to_string(site.path(SECOND)).expect("post");
        site.write(
            SECOND,
            text.replace("title: Second post", "title: Reloaded by itself"),
        );
        wait_for_title(debug_port, "Reloaded by itself | Fixture Blog");
        site.write(SECOND, "---\ntitle: [\n---\n");
        wait_for_title(
            debug_port,
            "Build failed · Reloaded by itself | Fixture Blog",
        );
        site.write(
            SECOND,
            text.replace("title: Second post", "title: Fixed again"),
        );
        wait_for_title(debug_port, "Fixed again | Fixture Blog");
    });
    let _ = browser.kill();
    let _ = browser.wait();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Polls Chromium's `/json/list` until a page has `title`.
fn wait_for_title(debug_port: u16, title: &str) {
    let started = Instant::now();
    let needle = format!("\"title\": {}", serde_json::to_string(title).expect("json"));
    let mut last = String::new();
    while started.elapsed() < WAIT {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", debug_port)) {
            // The DevTools listener may keep the connection open: read what arrives in time.
            let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
            let _ = write!(
                stream,
                "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            );
            last.clear();
            let _ = stream.read_to_string(&mut last);
            if last.contains(&needle) {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the browser never showed the title `{title}`; its pages:\n{last}");
}
