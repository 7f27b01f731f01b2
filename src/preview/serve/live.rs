//! Serving the live site: the last good build (with the errors of a failed rebuild) as a
//! snapshot the rebuild loop swaps, its files over HTTP with the reload script and the error
//! overlay put in each page, and the event stream that tells open pages to reload.

use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::http::{self, Request};
use crate::output::{Content, Outputs};

/// The event stream the injected script listens to.
const EVENTS_PATH: &str = "/__breakeven/events";
/// The page script: reloads after a rebuild that changed this page, swaps changed stylesheets.
const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// What is being served: the last good site and, after a failed rebuild, its errors.
#[derive(Default)]
pub(super) struct Snapshot {
    pub(super) outputs: Arc<Outputs>,
    pub(super) errors: Option<String>,
}

/// State shared by the rebuild loop and the connections.
#[derive(Default)]
pub(super) struct Live {
    snapshot: RwLock<Arc<Snapshot>>,
    clients: Mutex<Vec<Sender<String>>>,
}

impl Live {
    /// What is served now.
    pub(super) fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_default()
    }

    /// Serves `snapshot` from now on and tells every open page `event`.
    pub(super) fn publish(&self, snapshot: Snapshot, event: &str) {
        if let Ok(mut current) = self.snapshot.write() {
            *current = Arc::new(snapshot);
        }
        let message = format!("event: reload\ndata: {event}\n\n");
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }
}

/// Serves each connection on a thread of its own, until the listener closes.
pub(super) fn accept(listener: TcpListener, live: Arc<Live>) {
    for stream in listener.incoming().flatten() {
        let live = Arc::clone(&live);
        std::thread::spawn(move || handle(stream, &live));
    }
}

/// Answers one request: a file of the snapshot, a redirect to a folder's page, the event
/// stream, or not found.
fn handle(mut stream: TcpStream, live: &Live) {
    let Some(Request { method, path }) = http::read_request(&stream) else {
        return;
    };
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        http::respond(
            &mut stream,
            "405 Method Not Allowed",
            &[("Allow", "GET, HEAD")],
            b"only GET and HEAD\n",
            false,
        );
        return;
    }
    if path == EVENTS_PATH {
        return stream_events(stream, live);
    }
    let snapshot = live.current();
    let Some(file) = http::output_path(&path) else {
        http::respond(
            &mut stream,
            "400 Bad Request",
            &[],
            b"bad path\n",
            head_only,
        );
        return;
    };
    if let Some(output) = snapshot.outputs.get(&file) {
        let Content::Bytes(bytes) = &output.content else {
            return;
        };
        let body = page_body(&file, bytes, &snapshot, false);
        http::respond(
            &mut stream,
            "200 OK",
            &[("Content-Type", http::content_type(&file))],
            &body,
            head_only,
        );
    } else if snapshot.outputs.contains_key(&format!("{file}/index.html")) {
        // Built from the normalised file name, so the redirect never leaves this site.
        let location = http::encode_path(&format!("/{file}/"));
        http::respond(
            &mut stream,
            "301 Moved Permanently",
            &[("Location", &location)],
            b"",
            head_only,
        );
    } else {
        respond_not_found(&mut stream, &snapshot, head_only);
    }
}

/// The site's own `404.html` if it has one, else a plain page.
fn respond_not_found(stream: &mut TcpStream, snapshot: &Snapshot, head_only: bool) {
    let not_found = snapshot
        .outputs
        .get("404.html")
        .and_then(|o| match &o.content {
            Content::Bytes(b) => Some(b.as_slice()),
            Content::Copy(_) => None,
        });
    let body = page_body(
        "404.html",
        not_found.unwrap_or(b"<!doctype html><title>Not found</title><h1>Not found</h1>"),
        snapshot,
        true,
    );
    http::respond(
        stream,
        "404 Not Found",
        &[("Content-Type", "text/html; charset=utf-8")],
        &body,
        head_only,
    );
}

/// HTML gets the reload script, and the error overlay while the last rebuild failed.
fn page_body(file: &str, bytes: &[u8], snapshot: &Snapshot, missing: bool) -> Vec<u8> {
    if !file.ends_with(".html") {
        return bytes.to_vec();
    }
    let html = String::from_utf8_lossy(bytes);
    let mut extra = String::new();
    if let Some(errors) = &snapshot.errors {
        extra.push_str(errors);
    }
    extra.push_str(&format!(
        "<script data-be-missing=\"{missing}\">{RELOAD_SCRIPT}</script>"
    ));
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]).into_bytes(),
        None => format!("{html}{extra}").into_bytes(),
    }
}

fn stream_events(mut stream: TcpStream, live: &Live) {
    use std::io::Write;
    let (tx, rx) = channel();
    if let Ok(mut clients) = live.clients.lock() {
        clients.push(tx);
    }
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    loop {
        // A comment every few seconds finds closed connections, so they do not pile up.
        let message = rx
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| ": ping\n\n".to_string());
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}
