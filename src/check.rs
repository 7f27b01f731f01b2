//! `check`: every internal link and `#anchor` in the built site must lead somewhere, and with
//! `--sensitivity`, every claim must survive each price moving by a percentage.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::Build;
use crate::diag::Diagnostic;
use crate::figures::format::sig3;
use crate::figures::sensitivity::{self, Report};
use crate::output::{Content, Outputs};

/// One diagnostic per broken link, naming the page (by its source, and the line there that
/// writes the link when the source has it as written) that holds it.
pub fn links(outputs: &Outputs, base_url: &str, root: &Path) -> Vec<Diagnostic> {
    let ids: HashMap<&str, HashSet<String>> = outputs
        .iter()
        .filter_map(|(path, o)| match &o.content {
            Content::Bytes(b) if path.ends_with(".html") => Some((
                path.as_str(),
                attribute_values(&String::from_utf8_lossy(b), &["id", "name"]),
            )),
            _ => None,
        })
        .map(|(path, ids)| (path, ids.into_iter().collect()))
        .collect();
    let mut problems = Vec::new();
    for (path, output) in outputs {
        let Content::Bytes(bytes) = &output.content else {
            continue;
        };
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for link in attribute_values(&html, &["href", "src"]) {
            let Some((target, anchor)) = resolve(path, &link, base_url) else {
                continue;
            };
            let target = match find(outputs, &target, path) {
                Some(t) => t,
                // The build reported this link to a source file at its line already.
                None if from_markdown(&output.origin) && names_source(&link) => continue,
                None => {
                    problems.push(broken(output, path, &link, "no page or file has this URL"));
                    continue;
                }
            };
            if let Some(anchor) = anchor
                && !anchor.is_empty()
                && ids.get(target).is_some_and(|ids| !ids.contains(&anchor))
            {
                problems.push(broken(
                    output,
                    path,
                    &link,
                    &format!("`{target}` has no element with id `{anchor}`"),
                ));
            }
        }
    }
    for d in &mut problems {
        if let (Some(file), Some(link)) = (&d.file, link_of(&d.message))
            && let Some((line, col)) = place_of(&root.join(file), link)
        {
            d.line = Some(line);
            d.col = Some(col);
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// Whether `link` is one the build rewrites to a page's URL or reports (`other.md#part`).
fn names_source(link: &str) -> bool {
    let path = link.split(['#', '?']).next().unwrap_or_default();
    path.ends_with(".md") || path.ends_with(".njk") || path.ends_with(".liquid")
}

fn from_markdown(origin: &crate::plan::Origin) -> bool {
    origin
        .file()
        .is_some_and(|f| f.extension().is_some_and(|e| e == "md"))
}

fn broken(output: &crate::output::Output, path: &str, link: &str, why: &str) -> Diagnostic {
    let d = Diagnostic::error(format!("broken link `{link}` in /{path}: {why}"));
    match output.origin.file() {
        Some(file) => d.in_file(file),
        None => d,
    }
    .help("fix the link, or the permalink of the page it points to")
}

/// The link a `broken` message names.
fn link_of(message: &str) -> Option<&str> {
    message.strip_prefix("broken link `")?.split('`').next()
}

/// Line and column of the first place in `file` that writes `link` (as a Markdown or HTML link
/// target).
fn place_of(file: &Path, link: &str) -> Option<(usize, usize)> {
    let text = std::fs::read_to_string(file).ok()?;
    let forms = [
        format!("({link})"),
        format!("({link} "),
        format!("\"{link}\""),
    ];
    text.lines().enumerate().find_map(|(i, line)| {
        let at = forms.iter().find_map(|f| line.find(f.as_str()))?;
        // The column of the link itself, after the `(` or `"` that opens it.
        Some((i + 1, line[..at].chars().count() + 2))
    })
}

/// The output path and anchor an internal link points to; `None` for external links.
fn resolve(from: &str, link: &str, base_url: &str) -> Option<(String, Option<String>)> {
    let link = link.trim();
    let link = link
        .strip_prefix(base_url)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .unwrap_or(link);
    let (path, anchor) = match link.split_once('#') {
        Some((p, a)) => (p, Some(percent_decode(a))),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    if path.contains(':') || path.starts_with("//") {
        return None;
    }
    let path = percent_decode(path);
    let joined = if path.is_empty() {
        format!("/{from}")
    } else if path.starts_with('/') {
        path
    } else {
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        format!("/{dir}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut target = parts.join("/");
    if joined.ends_with('/') && !target.is_empty() {
        target.push('/');
    }
    Some((target, anchor))
}

/// The output a site path names: the file itself or its folder's `index.html`.
fn find<'a>(outputs: &'a Outputs, target: &str, from: &'a str) -> Option<&'a str> {
    if target.is_empty() || target.ends_with('/') {
        let index = format!("{target}index.html");
        return outputs.get_key_value(&index).map(|(k, _)| k.as_str());
    }
    if target == from {
        return Some(from);
    }
    outputs
        .get_key_value(target)
        .or_else(|| outputs.get_key_value(&format!("{target}/index.html")))
        .map(|(k, _)| k.as_str())
}

/// Values of the given attributes anywhere in `html` (a scan, not a parser: enough for
/// the HTML this generator writes).
fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    for name in names {
        let needle = format!(" {name}=\"");
        let mut rest = html;
        while let Some(i) = rest.find(&needle) {
            rest = &rest[i + needle.len()..];
            if let Some(end) = rest.find('"') {
                values.push(decode_entities(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    values
}

/// The text an attribute value stands for: `&lt;` → `<`, `&#39;` → `'`, `&#x41;` → `A`.
/// Named entities other than the five XML ones are kept as written.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').and_then(|end| {
            let c = match &rest[1..end] {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                name => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&crate::permalink::percent_decode(s)).into_owned()
}

/// Evaluates every claim of the built site with each price moved by ±`percent`, one at a time:
/// one error per claim that flips, listing each case that flips it.
pub fn sensitivity(build: &Build, percent: f64) -> (Report, Vec<Diagnostic>) {
    let claims: Vec<_> = build
        .site
        .pages
        .iter()
        .flat_map(|p| &p.markdown.claims)
        .collect();
    let pairs: Vec<_> = claims.iter().map(|c| (&c.claim, &c.scenarios)).collect();
    let report = sensitivity::run(&build.figures, &pairs, percent);
    let mut problems = Vec::new();
    for (i, claim) in claims.iter().enumerate() {
        let cases: Vec<String> = report
            .flips
            .iter()
            .filter(|f| f.claim == i)
            .map(|f| {
                let sign = if f.case.change < 0.0 { "−" } else { "+" };
                let pct = sig3(f.case.change.abs() * 100.0);
                format!(
                    "{} {} {sign}{pct}%: {}",
                    f.case.offer, f.case.price, f.value
                )
            })
            .collect();
        if cases.is_empty() {
            continue;
        }
        let mut help = cases.join("\n");
        help.push_str(&format!("\nsentence: \"{}\"", claim.sentence));
        help.push_str("\nsay what holds across that range of prices, or widen the claim");
        problems.push(
            Diagnostic::error(format!(
                "claim flips when one price moves by {}%: {}",
                sig3(percent),
                claim.claim
            ))
            .in_file(&claim.file)
            .at(claim.line, None)
            .help(help),
        );
    }
    (report, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_in_attributes_are_decoded() {
        assert_eq!(
            decode_entities("/a&lt;b&gt;/&quot;&#39;&#x41;&amp;amp;"),
            "/a<b>/\"'A&amp;"
        );
        assert_eq!(
            decode_entities("a & b &nbsp; &#xZZ;"),
            "a & b &nbsp; &#xZZ;"
        );
    }

    #[test]
    fn links_resolve_relative_to_the_page() {
        let base = "https://ex.org";
        assert_eq!(
            resolve("a/b/index.html", "../c/", base),
            Some(("a/c/".into(), None))
        );
        assert_eq!(
            resolve("a/index.html", "/x/#y", base),
            Some(("x/".into(), Some("y".into())))
        );
        assert_eq!(
            resolve("a/index.html", "#top", base),
            Some(("a/index.html".into(), Some("top".into())))
        );
        assert_eq!(
            resolve("a/index.html", "https://ex.org/z/", base),
            Some(("z/".into(), None))
        );
        assert_eq!(resolve("a/index.html", "https://other.org/", base), None);
        assert_eq!(resolve("a/index.html", "mailto:x@y", base), None);
    }
}
