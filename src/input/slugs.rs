//! Eleventy's two slug filters, for permalink templates written for Eleventy: `slugify`
//! (Eleventy ≥ 1, the `@sindresorhus/slugify` package) and the older `slug` (the `slugify`
//! package). Takes text, gives the slug Eleventy would put in the URL.
//!
//! Both transliterate first. Letters go through `deunicode` (é → e, ß → ss, æ → ae, ø → o,
//! Cyrillic to Latin), with each package's own choices on top: `slugify` spells German umlauts
//! out (ü → ue), and each names a few symbols (`&` → and, `♥` → love; `slug` also `$` → dollar,
//! `%` → percent). Letters of scripts without a Latin spelling in the packages (Chinese,
//! Japanese) are dropped, as the packages drop them.

/// Symbols `@sindresorhus/slugify` names (its `overridable-replacements.js`).
const SLUGIFY_SYMBOLS: &[(char, &str)] = &[('&', " and "), ('♥', " love "), ('🦄', " unicorn ")];

/// German umlauts, spelled out by `@sindresorhus/transliterate` before anything else.
const GERMAN: &[(char, &str)] = &[
    ('ä', "ae"),
    ('ö', "oe"),
    ('ü', "ue"),
    ('Ä', "Ae"),
    ('Ö', "Oe"),
    ('Ü', "Ue"),
];

/// Symbols in the `slugify` package's `charMap` (what `slug` keeps of them).
const SLUG_SYMBOLS: &[(char, &str)] = &[
    ('$', "dollar"),
    ('%', "percent"),
    ('&', "and"),
    ('<', "less"),
    ('>', "greater"),
    ('|', "or"),
    ('¢', "cent"),
    ('£', "pound"),
    ('¤', "currency"),
    ('¥', "yen"),
    ('©', "(c)"),
    ('®', "(r)"),
    ('ª', "a"),
    ('º', "o"),
    ('˚', "o"),
    ('–', "-"),
    ('‘', "'"),
    ('’', "'"),
    ('“', "\""),
    ('”', "\""),
    ('„', "\""),
    ('†', "+"),
    ('•', "*"),
    ('…', "..."),
    ('€', "euro"),
    ('₹', "indian rupee"),
    ('₽', "russian ruble"),
    ('₿', "bitcoin"),
    ('℠', "sm"),
    ('™', "tm"),
    ('∂', "d"),
    ('∆', "delta"),
    ('∑', "sum"),
    ('∞', "infinity"),
    ('♥', "love"),
];

fn lookup(table: &[(char, &'static str)], c: char) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

/// A letter in Latin: `deunicode` for the scripts the packages transliterate (Latin, Greek,
/// Cyrillic, Armenian, Georgian, Arabic), nothing for others (CJK, emoji), which the packages
/// leave to be dropped.
fn latin_letter(c: char) -> Option<&'static str> {
    let transliterated = matches!(c as u32,
        0x00C0..=0x024F | 0x0370..=0x052F | 0x0530..=0x058F | 0x0600..=0x06FF
        | 0x10A0..=0x10FF | 0x1E00..=0x1EFF);
    if transliterated && c.is_alphabetic() {
        deunicode::deunicode_char(c)
    } else {
        None
    }
}

/// Eleventy's `slugify` filter (`@sindresorhus/slugify` 2, `decamelize: false`).
pub fn eleventy_slugify(text: &str) -> String {
    let mut latin = String::with_capacity(text.len());
    for c in text.chars() {
        match lookup(SLUGIFY_SYMBOLS, c)
            .or_else(|| lookup(GERMAN, c))
            .or_else(|| (!c.is_ascii()).then(|| latin_letter(c)).flatten())
        {
            Some(s) => latin.push_str(s),
            None => latin.push(c),
        }
    }
    let lower = drop_contraction_apostrophes(&latin.to_lowercase());
    dash_runs(&lower, |c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// `isn't` → `isnt`, `Ada's` → `adas`: an ASCII `'` between a word and a lone `t` or `s`
/// goes (the package's "contractions and possessives" rule).
fn drop_contraction_apostrophes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: &char| c.is_ascii_alphanumeric();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        let dropped = *c == '\''
            && i > 0
            && word(&chars[i - 1])
            && matches!(chars.get(i + 1), Some('t' | 's'))
            && chars.get(i + 2).is_none_or(|n| n.is_whitespace());
        if !dropped {
            out.push(*c);
        }
    }
    out
}

/// Runs of characters that are not `keep` become one `-`; none at either end.
fn dash_runs(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if keep(c) {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else {
            dash = true;
        }
    }
    slug
}

/// Eleventy's `slug` filter (the `slugify` package 1.6, `lower: true`): characters it does not
/// know are dropped, some punctuation is kept (`.`, `!`, `'`, `:`, `@`, `+`, `*`, `~`, `(`,
/// `)`, `$`, `_`, `"`), and runs of spaces (and dashes) become one `-`.
pub fn eleventy_slug(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    for c in text.chars() {
        let mapped = lookup(SLUG_SYMBOLS, c).or_else(|| latin_letter(c));
        let piece = match mapped {
            Some(s) => s.to_string(),
            None => c.to_string(),
        };
        // The replacement character itself counts as a space.
        let piece = if piece == "-" { " ".to_string() } else { piece };
        kept.extend(piece.chars().filter(|&c| slug_allowed(c)));
    }
    let words: Vec<&str> = kept.split_whitespace().collect();
    words.join("-").to_lowercase()
}

/// What the `slugify` package keeps: `[\w\s$*_+~.()'"!\-:@]` (JavaScript's ASCII `\w`).
fn slug_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || c.is_whitespace() || "$*_+~.()'\"!-:@".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected values printed by Eleventy 3.1.8's own filters (`src/Filters/Slug.js` and
    /// `Slugify.js`, with `slugify` 1.6.9 and `@sindresorhus/slugify` 2.2.1 from npm):
    /// `[text, slug(text), slugify(text)]`.
    const ELEVENTY: &[(&str, &str, &str)] = &[
        ("Hello World", "hello-world", "hello-world"),
        (
            "Cold starts, measured!",
            "cold-starts-measured!",
            "cold-starts-measured",
        ),
        (
            "  When isn't it cheap?  ",
            "when-isn't-it-cheap",
            "when-isnt-it-cheap",
        ),
        ("Café au lait", "cafe-au-lait", "cafe-au-lait"),
        ("Straße", "strasse", "strasse"),
        ("Über uns", "uber-uns", "ueber-uns"),
        ("Æble og ørred", "aeble-og-orred", "aeble-og-orred"),
        ("Fish & Chips", "fish-and-chips", "fish-and-chips"),
        ("Ça va? Très bien.", "ca-va-tres-bien.", "ca-va-tres-bien"),
        ("Node.js 101", "node.js-101", "node-js-101"),
        ("C++ & C#", "c++-and-c", "c-and-c"),
        (
            "This is my second post with a much longer title.",
            "this-is-my-second-post-with-a-much-longer-title.",
            "this-is-my-second-post-with-a-much-longer-title",
        ),
        ("--dashes--", "dashes", "dashes"),
        ("snake_case_name", "snake_case_name", "snake-case-name"),
        ("camelCaseTitle", "camelcasetitle", "camelcasetitle"),
        ("I ♥ Unicode", "i-love-unicode", "i-love-unicode"),
        ("100% sure", "100percent-sure", "100-sure"),
        (
            "Price: $5 @ store",
            "price:-dollar5-@-store",
            "price-5-store",
        ),
        (
            "Crème brûlée's recipe",
            "creme-brulee's-recipe",
            "creme-brulees-recipe",
        ),
        ("Ørsted's law", "orsted's-law", "orsteds-law"),
        ("Zoë & Chloë", "zoe-and-chloe", "zoe-and-chloe"),
        ("Łódź", "lodz", "lodz"),
        ("Привет мир", "privet-mir", "privet-mir"),
        ("日本語", "", ""),
        ("emoji 🎉 party", "emoji-party", "emoji-party"),
        ("tab\tseparated", "tab-separated", "tab-separated"),
        ("a/b/c", "abc", "a-b-c"),
        ("it’s curly", "it's-curly", "it-s-curly"),
        ("quote \"this\"", "quote-\"this\"", "quote-this"),
        ("~tilde~ *star*", "~tilde~-*star*", "tilde-star"),
        ("(paren) [bracket]", "(paren)-bracket", "paren-bracket"),
    ];

    #[test]
    fn slugs_match_eleventys_filters() {
        for (text, slug, slugify) in ELEVENTY {
            assert_eq!(eleventy_slug(text), *slug, "slug({text:?})");
            assert_eq!(eleventy_slugify(text), *slugify, "slugify({text:?})");
        }
    }
}
