//! Claims: what a sentence says about the numbers, written as an HTML comment below it
//! (`<!-- claim: breakeven api lambda-arm t3.medium between 10 and 25 -->`) and checked at build
//! time. A side is a number or an inline-value expression, so a claim names a number the same
//! way the prose shows it.

#![deny(clippy::indexing_slicing)]

use super::inline::{self, Value};
use super::{Context, FigureError};

/// A claim as written, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// `A < B`, `A <= B`, `A > B`, `A >= B`.
    Compare {
        /// What is compared (usually an inline-value expression).
        left: Side,
        /// How the left side must relate to the right one.
        op: Op,
        /// What it is compared with (usually a number).
        right: Side,
    },
    /// `X between A and B`: A ≤ X ≤ B.
    Between {
        /// What must lie in the range.
        value: Side,
        /// The range's lower end, included.
        low: Side,
        /// The range's upper end, included.
        high: Side,
    },
    /// `X is none`: a break-even that does not happen in the model's range.
    IsNone(Side),
}

/// One side of a claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Side {
    /// A number written in the claim (`$`, thousands commas allowed).
    Number(f64),
    /// An inline-value expression's words, e.g. `["cost", "api", "lambda-x86"]`.
    Expr(Vec<String>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`: strictly below.
    Lt,
    /// `<=`: below or equal.
    Le,
    /// `>`: strictly above.
    Gt,
    /// `>=`: above or equal.
    Ge,
}

impl Op {
    fn parse(word: &str) -> Option<Op> {
        match word {
            "<" => Some(Op::Lt),
            "<=" => Some(Op::Le),
            ">" => Some(Op::Gt),
            ">=" => Some(Op::Ge),
            _ => None,
        }
    }

    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// What checking a claim found: whether it holds, and each side's value in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Whether the numbers say what the sentence says.
    pub holds: bool,
    /// "`breakeven api lambda-arm t3.medium` = 15.8 req/s (…)", one entry per expression side.
    pub values: Vec<String>,
    /// The first side's number (what a sensitivity report shows).
    pub value: f64,
    /// The first side's number in words.
    pub value_text: String,
}

const FORMS: &str = "a claim is `A < B`, `A <= B`, `A > B`, `A >= B`, `X between A and B` or \
                     `X is none`, where each side is a number or an inline value such as \
                     `cost api lambda-x86`";

/// Parses the text after `claim:`.
pub fn parse(text: &str) -> Result<Claim, FigureError> {
    let words = inline::tokens(&space_operators(text))?;
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let at = |w: &str| words.iter().position(|x| *x == w);
    if let [value @ .., "is", "none"] = words.as_slice() {
        let value = side(value)?;
        if !matches!(&value, Side::Expr(w) if w.first().is_some_and(|n| n == "breakeven")) {
            return Err(
                FigureError::at(Some(1), "only a `breakeven` value can be `none`")
                    .help("write `breakeven <scenario> <offer> <offer> is none`"),
            );
        }
        return Ok(Claim::IsNone(value));
    }
    if let Some(between) = at("between") {
        let Some(and) = at("and").filter(|and| *and > between) else {
            return Err(FigureError::at(Some(1), "`between` needs `and`").help(FORMS));
        };
        return Ok(Claim::Between {
            value: side(words.get(..between).unwrap_or_default())?,
            low: side(words.get(between + 1..and).unwrap_or_default())?,
            high: side(words.get(and + 1..).unwrap_or_default())?,
        });
    }
    let operator = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| Some((i, Op::parse(w)?)));
    match operator {
        Some((i, op)) => Ok(Claim::Compare {
            left: side(words.get(..i).unwrap_or_default())?,
            op,
            right: side(words.get(i + 1..).unwrap_or_default())?,
        }),
        None => Err(FigureError::at(Some(1), "this claim compares nothing").help(FORMS)),
    }
}

/// Puts spaces around `<`, `<=`, `>`, `>=` outside double quotes, so `a<3` reads as `a < 3`.
fn space_operators(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                out.push(c);
            }
            '<' | '>' if !quoted => {
                out.push(' ');
                out.push(c);
                if chars.peek() == Some(&'=') {
                    out.push('=');
                    chars.next();
                }
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    out
}

fn side(words: &[&str]) -> Result<Side, FigureError> {
    match words {
        [] => Err(FigureError::at(Some(1), "a side of this claim is empty").help(FORMS)),
        [word] if number(word).is_some() => Ok(Side::Number(number(word).unwrap_or_default())),
        [first, rest @ ..] => {
            let first = first.strip_prefix('=').unwrap_or(first);
            let mut expr = vec![first.to_string()];
            expr.extend(rest.iter().map(|w| w.to_string()));
            Ok(Side::Expr(expr))
        }
    }
}

/// "1500", "$1,500", "3.5": a number written in a claim.
fn number(word: &str) -> Option<f64> {
    let n = word.strip_prefix('$').unwrap_or(word).replace(',', "");
    n.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Evaluates `claim` with the page's figures.
pub(super) fn check(cx: &mut Context, claim: &Claim) -> Result<Verdict, FigureError> {
    let mut values = Vec::new();
    let mut eval = |side: &Side| -> Result<Value, FigureError> {
        let value = match side {
            Side::Number(n) => Value::plain(*n),
            Side::Expr(words) => {
                let value = inline::evaluate(cx, words)?;
                values.push(format!("`{}` = {}", words.join(" "), value.text));
                value
            }
        };
        Ok(value)
    };
    let (first, holds) = match claim {
        Claim::Compare { left, op, right } => {
            let (a, b) = (eval(left)?, eval(right)?);
            let holds = op.holds(a.number, b.number);
            (a, holds)
        }
        Claim::Between { value, low, high } => {
            let (x, a, b) = (eval(value)?, eval(low)?, eval(high)?);
            let holds = a.number <= x.number && x.number <= b.number;
            (x, holds)
        }
        Claim::IsNone(value) => {
            let x = eval(value)?;
            let holds = x.none;
            (x, holds)
        }
    };
    Ok(Verdict {
        holds,
        values,
        value: first.number,
        value_text: first.text,
    })
}

impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Side::Number(n) => write!(f, "{n}"),
            Side::Expr(words) => {
                let quoted: Vec<String> = words
                    .iter()
                    .map(|w| match w.contains(char::is_whitespace) {
                        true => format!("\"{w}\""),
                        false => w.clone(),
                    })
                    .collect();
                f.write_str(&quoted.join(" "))
            }
        }
    }
}

impl std::fmt::Display for Claim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Claim::Compare { left, op, right } => write!(f, "{left} {} {right}", op.symbol()),
            Claim::Between { value, low, high } => write!(f, "{value} between {low} and {high}"),
            Claim::IsNone(value) => write!(f, "{value} is none"),
        }
    }
}

#[cfg(test)]
mod tests;
