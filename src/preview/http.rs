//! A small HTTP/1.1 server for the live preview: GET and HEAD of files held in memory, plus one
//! Server-Sent Events stream. It never reads the file system, so no request can reach outside
//! the site.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// The most bytes read of a request head, and drained after a response.
const MAX_HEAD: u64 = 16 * 1024;

/// A parsed request line.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The decoded path, without query or fragment.
    pub path: String,
}

/// Reads the request head. `None` for a connection that sent nothing usable.
pub fn read_request(stream: &TcpStream) -> Option<Request> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    // A request head is small: a peer that sends more is not a browser.
    let mut reader = BufReader::new(stream.take(MAX_HEAD));
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    // Drain the headers: nothing in them changes the answer.
    let mut header = String::new();
    for _ in 0..100 {
        header.clear();
        if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    parse_request_line(&line)
}

fn parse_request_line(line: &str) -> Option<Request> {
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?;
    let path = target.split(['?', '#']).next().unwrap_or("/");
    Some(Request {
        method,
        path: percent_decode(path)?,
    })
}

/// The decoded path; `None` for bytes that do not form UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    String::from_utf8(crate::permalink::percent_decode(s)).ok()
}

/// The output file a request path names, or `None` for a path that tries to leave the site
/// (`..`, a backslash, a NUL). `/a/` → `a/index.html`.
pub fn output_path(path: &str) -> Option<String> {
    if !path.starts_with('/') || path.contains(['\\', '\0']) {
        return None;
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return None;
    }
    let mut file = segments.join("/");
    if path.ends_with('/') {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(file)
}

/// A path for a `Location` header: every byte outside `A-Z a-z 0-9 - . _ ~ /` percent-encoded.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `Content-Type` for a file, by its extension (`application/octet-stream` if unknown).
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Writes a whole response (the body only for GET) and closes the exchange.
pub fn respond(
    stream: &mut TcpStream,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\nCache-Control: no-store\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if !head_only {
        let _ = stream.write_all(body);
    }
    let _ = stream.flush();
    close_gracefully(stream);
}

/// Closing a socket that still has unread input resets the connection, and the peer can lose
/// the end of a large page: say we are done, then read until the peer closes too.
fn close_gracefully(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut sink = [0u8; 4096];
    let mut drained = 0;
    while drained < MAX_HEAD {
        match stream.read(&mut sink) {
            Ok(n) if n > 0 => drained += n as u64,
            _ => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_are_decoded_and_stripped() {
        let r = parse_request_line("GET /a%20b/?x=1 HTTP/1.1\r\n").unwrap();
        assert_eq!(
            r,
            Request {
                method: "GET".into(),
                path: "/a b/".into()
            }
        );
    }

    #[test]
    fn paths_outside_the_site_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "relative",
            "/a\\b",
            "/./x",
        ] {
            let decoded = percent_decode(bad).unwrap();
            assert_eq!(output_path(&decoded), None, "{bad}");
        }
    }

    #[test]
    fn folders_serve_their_index() {
        assert_eq!(output_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            output_path("/blog/x/").as_deref(),
            Some("blog/x/index.html")
        );
        assert_eq!(output_path("/feed.xml").as_deref(), Some("feed.xml"));
        assert_eq!(output_path("//etc/passwd").as_deref(), Some("etc/passwd"));
    }
}
