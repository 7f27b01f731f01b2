//! Number and text formatting for figures: USD, rates, counts, milliseconds, HTML escaping and
//! SVG coordinates. Everything is deterministic (no locale, no clock), so identical input gives
//! identical bytes.

/// Escapes text for HTML content and attribute values (one escaper for the whole site).
pub use crate::highlight::escape_html as escape;

/// The exact value for a `data-value` attribute: Rust's shortest round-trip form.
pub fn exact(value: f64) -> String {
    if value.is_finite() {
        format!("{value}")
    } else {
        String::from("NaN")
    }
}

/// Inserts thousands separators into the integer part of a formatted number.
fn group(formatted: &str) -> String {
    let (sign, rest) = formatted
        .strip_prefix('-')
        .map_or(("", formatted), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match frac {
        Some(frac) => format!("{sign}{grouped}.{frac}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A number with three significant figures (whole numbers from 100 up), grouped:
/// 0.943, 11.2, 579, 2,628.
pub fn sig3(value: f64) -> String {
    if !value.is_finite() {
        return String::from("–");
    }
    if value == 0.0 {
        return String::from("0");
    }
    let magnitude = value.abs().log10().floor();
    let mut decimals = (2.0 - magnitude).clamp(0.0, 12.0) as usize;
    let mut text = format!("{value:.decimals$}");
    // 9.996 rounds up to "10.00": one decimal fewer keeps three figures.
    let digits = text
        .trim_start_matches(['-', '0', '.'])
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    if digits > 3 && decimals > 0 {
        decimals -= 1;
        text = format!("{value:.decimals$}");
    }
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    group(&text)
}

/// A number as written, up to three decimals, grouped: 1,024 or 0.5.
pub fn plain(value: f64) -> String {
    let text = format!("{value:.3}");
    group(text.trim_end_matches('0').trim_end_matches('.'))
}

/// US dollars: cents below $1,000 ("$30.37"), whole dollars above ("$4,906").
pub fn usd(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let abs = value.abs();
    let text = if abs < 1000.0 {
        format!("{abs:.2}")
    } else {
        format!("{abs:.0}")
    };
    format!("{sign}${}", group(&text))
}

/// US dollars with cents at any size: "$4,380.01" (for titles that show the arithmetic).
pub fn usd_cents(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    format!("{sign}${}", group(&format!("{:.2}", value.abs())))
}

/// A unit price, with as many decimals as it takes to show its significant digits.
pub fn unit_price(value: f64) -> String {
    let mut text = format!("{value:.10}");
    text = text.trim_end_matches('0').to_string();
    let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
    if decimals < 2 {
        text = format!("{value:.2}");
    }
    format!("${}", group(&text))
}

/// A monthly cost: "$4,906/month".
pub fn usd_month(value: f64) -> String {
    format!("{}/month", usd(value))
}

/// A request rate: "11.2 req/s".
pub fn rate(value: f64) -> String {
    format!("{} req/s", sig3(value))
}

/// A large count in words: "81,500", "29.4 million", "2.63 billion".
pub fn count(value: f64) -> String {
    let abs = value.abs();
    if abs < 1e6 {
        group(&format!("{value:.0}"))
    } else if abs < 1e9 {
        format!("{} million", sig3(value / 1e6))
    } else if abs < 1e12 {
        format!("{} billion", sig3(value / 1e9))
    } else {
        format!("{} trillion", sig3(value / 1e12))
    }
}

/// Milliseconds: whole from 10 ms up, one decimal below ("86 ms", "1.2 ms").
pub fn ms(value: f64) -> String {
    if value.abs() >= 10.0 {
        format!("{} ms", group(&format!("{value:.0}")))
    } else {
        format!("{value:.1} ms")
    }
}

/// A signed change in milliseconds with its percentage: "−12 ms (−9%)".
pub fn ms_change(old: f64, new: f64) -> String {
    let diff = new - old;
    let sign = if diff < 0.0 { "−" } else { "+" };
    let percent = if old != 0.0 {
        format!(" ({sign}{:.0}%)", (diff / old * 100.0).abs())
    } else {
        String::new()
    };
    format!("{sign}{}{percent}", ms(diff.abs()))
}

/// A ratio: "3.27×".
pub fn ratio(value: f64) -> String {
    format!("{}×", sig3(value))
}

/// An SVG coordinate: one decimal, without a trailing ".0" or a negative zero.
pub fn coord(value: f64) -> String {
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    if text == "-0" {
        String::from("0")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_stable() {
        assert_eq!(usd(4905.60876), "$4,906");
        assert_eq!(usd(30.368), "$30.37");
        assert_eq!(usd(0.0), "$0.00");
        assert_eq!(usd_month(1_234_567.8), "$1,234,568/month");
        assert_eq!(rate(11.1828), "11.2 req/s");
        assert_eq!(rate(578.7), "579 req/s");
        assert_eq!(rate(9.996), "10 req/s");
        assert_eq!(rate(0.94329), "0.943 req/s");
        assert_eq!(sig3(2628.0), "2,628");
        assert_eq!(plain(1024.0), "1,024");
        assert_eq!(plain(0.5), "0.5");
        assert_eq!(count(29_389_000.0), "29.4 million");
        assert_eq!(count(2.628e9), "2.63 billion");
        assert_eq!(count(81_500.0), "81,500");
        assert_eq!(ms(86.4), "86 ms");
        assert_eq!(ms(1.23), "1.2 ms");
        assert_eq!(ms_change(100.0, 88.0), "−12 ms (−12%)");
        assert_eq!(ratio(3.2704), "3.27×");
        assert_eq!(unit_price(0.0416), "$0.0416");
        assert_eq!(unit_price(0.2), "$0.20");
        assert_eq!(unit_price(0.0000166667), "$0.0000166667");
        assert_eq!(coord(-0.04), "0");
        assert_eq!(coord(12.25), "12.2");
        assert_eq!(escape("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
    }
}
