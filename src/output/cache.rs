//! The warm-build cache: each Markdown page's rendered HTML (highlighting and figures included),
//! kept in `.breakeven/markdown.cache` between `build`s, keyed by the page's file and everything
//! else its rendering reads. It takes the page sources and the site's settings; it gives back
//! the rendering of every page that did not change, and writes this build's pages for the next.
//!
//! A cache file that is corrupt, truncated or from another version is ignored with a warning:
//! its payload carries a length and a CRC-32, checked before anything is decoded.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::markdown::{Rendered, TocEntry};
use crate::site::packed::Packed;

/// The folder in the site root; git-ignored, and never read by anything but this module.
pub const DIR: &str = ".breakeven";
const FILE: &str = "markdown.cache";
/// Changes whenever what is stored, or how a key is made, changes.
const FORMAT: u32 = 2;
const MAGIC: &[u8] = b"breakeven markdown cache\n";
/// Payload length (u64) and CRC-32 (u32), little-endian, after the payload.
const TRAILER: usize = 12;

/// A page's key: its path, its file and the site-wide inputs of rendering, hashed.
pub type Key = (u64, u64);

/// One page's rendering as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    key: Key,
    /// The HTML, packed as the page views keep it.
    body: Vec<u8>,
    summary: Option<String>,
    toc: Vec<TocEntry>,
    word_count: usize,
    reads: Vec<PathBuf>,
    prices_as_of: Option<String>,
    found: Vec<Diagnostic>,
}

/// The same, borrowed from a finished build, to write without copying.
#[derive(Serialize)]
struct EntryRef<'a> {
    key: Key,
    body: &'a [u8],
    summary: Option<&'a str>,
    toc: &'a [TocEntry],
    word_count: usize,
    reads: &'a [PathBuf],
    prices_as_of: Option<&'a str>,
    found: &'a [Diagnostic],
}

/// The cache as read at the start of a build.
pub struct Store {
    path: PathBuf,
    /// Everything besides the page's own file that its rendering reads.
    site: u64,
    entries: Mutex<HashMap<Key, Entry>>,
    misses: AtomicUsize,
}

impl Store {
    /// Reads the cache of the site at `root`. `site_inputs` are the files (relative to the root)
    /// whose content any page's rendering may read; `extra` anything else that matters.
    /// Returns `None`, with a warning, when one of those cannot be read.
    pub fn open(
        root: &Path,
        site_inputs: &[PathBuf],
        extra: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Store> {
        let mut site = DefaultHasher::new();
        (FORMAT, env!("CARGO_PKG_VERSION"), extra).hash(&mut site);
        for rel in site_inputs {
            match std::fs::read(root.join(rel)) {
                Ok(bytes) => (rel, bytes).hash(&mut site),
                Err(e) => {
                    problems.push(Diagnostic::warning(format!(
                        "build cache not used: cannot read {}: {e}",
                        rel.display()
                    )));
                    return None;
                }
            }
        }
        let path = root.join(DIR).join(FILE);
        let entries = match std::fs::File::open(&path) {
            Ok(file) => decode(file).unwrap_or_else(|warning| {
                problems.push(warning);
                HashMap::new()
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashMap::new(),
            Err(e) => {
                problems.push(ignored(&e.to_string()));
                HashMap::new()
            }
        };
        Some(Store {
            path,
            site: site.finish(),
            entries: Mutex::new(entries),
            misses: AtomicUsize::new(0),
        })
    }

    /// The key of the page at `rel` whose file holds `text`.
    pub fn key(&self, rel: &Path, text: &str) -> Key {
        let hash = |salt: u8| {
            let mut h = DefaultHasher::new();
            (salt, self.site, rel, text).hash(&mut h);
            h.finish()
        };
        (hash(1), hash(2))
    }

    /// The stored rendering for `key`, with the problems found when it was made.
    pub fn take(&self, key: Key) -> Option<Rendered> {
        let entry = self.entries.lock().ok()?.remove(&key);
        // Bytes that do not unpack (past the checksum, so hardly ever) are a miss.
        let entry =
            entry.and_then(|mut e| Some((Packed::from_bytes(std::mem::take(&mut e.body))?, e)));
        if entry.is_none() {
            self.misses.fetch_add(1, Ordering::Relaxed);
        }
        entry.map(|(html, e)| Rendered {
            html,
            summary: e.summary,
            toc: e.toc,
            word_count: e.word_count,
            reads: e.reads,
            // Pages with claims are never stored (see `save`).
            claims: Vec::new(),
            prices_as_of: e.prices_as_of,
            cache_key: Some(key),
            found: e.found,
            // Pages with source links are never stored (see `save`).
            source_links: Vec::new(),
        })
    }

    /// Writes this build's pages, `(rendering, its HTML)`, as the new cache: pages no longer in
    /// the site drop out, and so do pages with claims (`check --sensitivity` needs their checked
    /// values from a fresh rendering), pages with links to source files and pages a time limit
    /// cut short. Nothing is written when
    /// every page came from the cache and none was left over. Written beside the old file and
    /// renamed over it, so a reader never sees half.
    pub fn save<'a>(&self, pages: impl Iterator<Item = &'a Rendered>) -> Result<(), Diagnostic> {
        let leftover = self.entries.lock().map_or(true, |e| !e.is_empty());
        if self.misses.load(Ordering::Relaxed) == 0 && !leftover {
            return Ok(());
        }
        let entries: Vec<EntryRef> = pages.filter_map(entry).collect();
        let dir = self.path.parent().unwrap_or(Path::new(DIR));
        std::fs::create_dir_all(dir).map_err(|e| not_saved(&e.to_string()))?;
        let temp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
        let written = write_file(&temp, &entries).and_then(|()| std::fs::rename(&temp, &self.path));
        written.map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            not_saved(&e.to_string())
        })
    }
}

/// Which build of breakeven this is, beyond its version number: a developer's rebuilt binary
/// may render Markdown differently under the same version, so its size and time count too.
pub fn program_identity() -> String {
    let metadata = std::env::current_exe().and_then(std::fs::metadata);
    match metadata {
        Ok(m) => format!("{} {:?}", m.len(), m.modified().ok()),
        Err(_) => "unknown".to_string(),
    }
}

/// What is stored of a page. Every field of [`Rendered`] is named here, so a new one cannot be
/// forgotten: it must be stored, or the page left out.
fn entry(rendered: &Rendered) -> Option<EntryRef<'_>> {
    let Rendered {
        html,
        summary,
        toc,
        word_count,
        reads,
        claims,
        prices_as_of,
        cache_key,
        found,
        source_links,
    } = rendered;
    // A page cut short by a time limit may render in full next time: render it again. A page
    // linking to source files holds other pages' URLs, which may have changed since.
    if !claims.is_empty()
        || !source_links.is_empty()
        || found.iter().any(crate::markdown::depends_on_time)
    {
        return None;
    }
    Some(EntryRef {
        key: (*cache_key)?,
        body: html.bytes(),
        summary: summary.as_deref(),
        toc,
        word_count: *word_count,
        reads,
        prices_as_of: prices_as_of.as_deref(),
        found,
    })
}

fn header() -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(format!("{} {FORMAT}\n", env!("CARGO_PKG_VERSION")).as_bytes());
    out
}

/// Header, payload streamed from `entries` (never held whole in memory), then its length
/// and CRC-32.
fn write_file(path: &Path, entries: &[EntryRef]) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    file.write_all(&header())?;
    let mut payload = Summing::new(&mut file);
    bincode::serialize_into(&mut payload, entries).map_err(std::io::Error::other)?;
    let (len, crc) = (payload.len, payload.crc.finalize());
    file.write_all(&len.to_le_bytes())?;
    file.write_all(&crc.to_le_bytes())?;
    // No fsync: a file cut short by a crash fails its length or checksum check and is ignored.
    file.flush()
}

/// The entries of a cache file, or a warning saying why it cannot be used. The file is read twice, to check
/// its checksum and then to decode it, so that it is never held in memory whole.
fn decode(mut file: impl Read + Seek) -> Result<HashMap<Key, Entry>, Diagnostic> {
    let io = |e: std::io::Error| ignored(&format!("it cannot be read: {e}"));
    let total = file.seek(SeekFrom::End(0)).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    let expected = header();
    let mut start = Vec::new();
    (&mut file)
        .take(expected.len() as u64)
        .read_to_end(&mut start)
        .map_err(io)?;
    if !start.starts_with(MAGIC) {
        return Err(ignored("it is not a breakeven cache file"));
    }
    if start != expected {
        return Err(ignored("it was written by another version of breakeven"));
    }
    let header_len = expected.len() as u64;
    let payload_len = (total - header_len)
        .checked_sub(TRAILER as u64)
        .ok_or_else(|| ignored("it is truncated"))?;
    let mut trailer = [0u8; TRAILER];
    file.seek(SeekFrom::Start(header_len + payload_len))
        .and_then(|_| file.read_exact(&mut trailer))
        .map_err(io)?;
    let (length, crc) = trailer.split_at(8);
    let length = u64::from_le_bytes(length.try_into().map_err(|_| ignored("it is truncated"))?);
    let crc = u32::from_le_bytes(crc.try_into().map_err(|_| ignored("it is truncated"))?);
    if length != payload_len {
        return Err(ignored("it is truncated"));
    }
    file.seek(SeekFrom::Start(header_len)).map_err(io)?;
    let mut summed = Summing::new(std::io::sink());
    std::io::copy(&mut (&mut file).take(payload_len), &mut summed).map_err(io)?;
    if crc != summed.crc.finalize() {
        return Err(ignored("its checksum does not match (the file is damaged)"));
    }
    file.seek(SeekFrom::Start(header_len)).map_err(io)?;
    let payload = std::io::BufReader::new(file.take(payload_len));
    let entries: Vec<Entry> = bincode::deserialize_from(payload)
        .map_err(|e| ignored(&format!("it cannot be decoded: {e}")))?;
    Ok(entries.into_iter().map(|e| (e.key, e)).collect())
}

/// A writer that passes bytes on and keeps their CRC-32 and count.
struct Summing<W> {
    inner: W,
    crc: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Summing<W> {
    fn new(inner: W) -> Self {
        Summing {
            inner,
            crc: crc32fast::Hasher::new(),
            len: 0,
        }
    }
}

impl<W: Write> Write for Summing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn ignored(why: &str) -> Diagnostic {
    Diagnostic::warning(format!("ignoring the build cache: {why}"))
        .in_file(Path::new(DIR).join(FILE))
        .help("it is rebuilt by this build; `build --no-cache` neither reads nor writes it")
}

fn not_saved(why: &str) -> Diagnostic {
    Diagnostic::warning(format!("the build cache was not saved: {why}"))
        .in_file(Path::new(DIR).join(FILE))
        .help("the site was built; the next build renders every page again")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries, or the warning's message.
    fn decode_bytes(bytes: &[u8]) -> Result<HashMap<Key, Entry>, String> {
        decode(std::io::Cursor::new(bytes.to_vec())).map_err(|d| d.message)
    }

    fn file_with(entries: &[Entry]) -> Vec<u8> {
        let payload = bincode::serialize(entries).unwrap();
        let mut out = header();
        out.extend_from_slice(&payload);
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out
    }

    fn entry() -> Entry {
        Entry {
            key: (1, 2),
            body: Packed::new("<p>hello</p>").bytes().to_vec(),
            summary: None,
            toc: Vec::new(),
            word_count: 1,
            reads: Vec::new(),
            prices_as_of: Some("2026-11-22".into()),
            found: vec![Diagnostic::warning("w").in_file("content/a.md").at(3, None)],
        }
    }

    #[test]
    fn a_written_file_decodes_to_its_entries() {
        let decoded = decode_bytes(&file_with(&[entry()])).unwrap();
        let e = &decoded[&(1, 2)];
        let body = Packed::from_bytes(e.body.clone()).unwrap();
        assert_eq!(body.html(), "<p>hello</p>");
        assert_eq!(e.found[0].to_string(), "warning: content/a.md:3: w");
    }

    #[test]
    fn damaged_truncated_and_foreign_files_are_refused() {
        let good = file_with(&[entry()]);
        let mut flipped = good.clone();
        let at = good.len() - TRAILER - 5;
        flipped[at] ^= 0x20;
        assert!(decode_bytes(&flipped).unwrap_err().contains("checksum"));
        assert!(
            decode_bytes(&good[..good.len() - 3])
                .unwrap_err()
                .contains("truncated")
        );
        assert!(decode_bytes(&good[..MAGIC.len() + 2]).is_err());
        assert!(
            decode_bytes(b"hello")
                .unwrap_err()
                .contains("not a breakeven cache")
        );
        let mut other = MAGIC.to_vec();
        other.extend_from_slice(b"0.0.0 1\n");
        assert!(
            decode_bytes(&other)
                .unwrap_err()
                .contains("another version")
        );
    }
}
