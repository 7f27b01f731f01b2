//! Page bodies kept compressed between reading and rendering.
//!
//! A build reads every page before it renders any (listings and neighbours need them all), so
//! every body's HTML is held at once. Highlighted code makes that HTML repetitive (a class per
//! scope, nested spans), and LZ4 packs it to about a fifth at a cost of microseconds per page:
//! at 50,000 posts that is the difference between about 1.5 GB held and 0.3 GB.

use std::sync::Arc;

/// A page's HTML, LZ4-compressed. Cloning shares it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Packed(Arc<[u8]>);

impl Packed {
    /// Packs `html`.
    pub fn new(html: &str) -> Packed {
        Packed(lz4_flex::compress_prepend_size(html.as_bytes()).into())
    }

    /// Takes bytes made by [`Packed::bytes`], e.g. read back from the warm-build cache. `None` if
    /// they do not unpack to text (a damaged cache): the caller renders the page again.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Packed> {
        let packed = Packed(bytes.into());
        packed.try_html().map(|_| packed)
    }

    /// The packed bytes, to store.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The HTML back.
    pub fn html(&self) -> String {
        // Only `new` and a checked `from_bytes` make a `Packed`, so this cannot fail.
        self.try_html().unwrap_or_default()
    }

    fn try_html(&self) -> Option<String> {
        let bytes = lz4_flex::decompress_size_prepended(&self.0).ok()?;
        String::from_utf8(bytes).ok()
    }
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Packed({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_comes_back_as_it_went_in() {
        let html = "<pre><span class=\"hl-source\">é</span></pre>".repeat(50);
        let packed = Packed::new(&html);
        assert_eq!(packed.html(), html);
        assert!(packed.bytes().len() < html.len() / 4, "{packed:?}");
        assert_eq!(Packed::new("").html(), "");
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let mut bytes = Packed::new("<p>hello</p>").bytes().to_vec();
        bytes.truncate(bytes.len() - 3);
        assert!(Packed::from_bytes(bytes).is_none());
        assert!(Packed::from_bytes(vec![0xff; 3]).is_none());
        let good = Packed::new("<p>hello</p>").bytes().to_vec();
        assert_eq!(
            Packed::from_bytes(good).map(|p| p.html()).as_deref(),
            Some("<p>hello</p>")
        );
    }
}
