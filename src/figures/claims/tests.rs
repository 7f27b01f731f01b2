//! The claim parser and evaluator, on a small price table of the tests' own.

use super::*;
use crate::figures::test_data::figures;

fn holds(text: &str) -> Result<bool, String> {
    let (figures, _dir) = figures();
    let scenarios = figures.page_scenarios(None).map_err(|e| e.to_string())?;
    let claim = parse(text).map_err(|e| e.to_string())?;
    let (verdict, _) = figures
        .claim(&claim, &scenarios)
        .map_err(|e| e.to_string())?;
    Ok(verdict.holds)
}

#[test]
fn claims_hold_or_not_as_worked_out_by_hand() {
    let cases = [
        ("breakeven small fn box between 11 and 11.5", true),
        ("breakeven small fn box between 11.5 and 20", false),
        ("breakeven small fn box > 11.1", true),
        ("breakeven small fn box >= 11.2", false),
        ("breakeven small fn box<11.2", true),
        ("cost small fn < cost small box", true),
        ("cost small fn <= 27.1", false),
        ("cost small fn <= $27.16", true),
        ("cost small box > $30", true),
        ("ratio small box fn between 1.11 and 1.12", true),
        ("ratio small box fn > 1.2", false),
        ("breakeven idle fn box is none", true),
        ("breakeven small fn box is none", false),
        ("=rate small >= 10", true),
        ("rate small >= 10", true),
        ("1 < 2", true),
        ("$1,500 > 1499", true),
    ];
    for (text, expected) in cases {
        match holds(text) {
            Ok(got) => assert_eq!(got, expected, "claim `{text}`"),
            Err(e) => panic!("claim `{text}` failed to evaluate: {e}"),
        }
    }
}

#[test]
fn claims_that_are_written_wrong_say_how_to_write_them() {
    let cases = [
        ("cost small fn", "this claim compares nothing"),
        ("cost small fn between 1", "`between` needs `and`"),
        (
            "cost small fn is none",
            "only a `breakeven` value can be `none`",
        ),
        ("< 3", "a side of this claim is empty"),
        (
            "cost small fn between and 3",
            "a side of this claim is empty",
        ),
        ("cost smal fn < 3", "unknown scenario `smal`"),
        ("cost small lambda < 3", "unknown offer `lambda`"),
        ("costs small fn < 3", "unknown inline value `=costs`"),
        ("cost small fn < 3 4", "unknown inline value `=3`"),
        (
            "breakeven small fn < 3",
            "wrong number of arguments for `=breakeven`",
        ),
    ];
    for (text, message) in cases {
        match holds(text) {
            Err(e) => assert!(e.contains(message), "claim `{text}`: got {e}"),
            Ok(h) => panic!("claim `{text}` evaluated to {h}, expected an error"),
        }
    }
}

#[test]
fn unknown_names_list_the_valid_ones() {
    let err = holds("cost small lamda < 3").expect_err("unknown offer");
    assert!(err.contains("valid offers: box, fn"), "{err}");
}

#[test]
fn a_claim_prints_back_as_written() {
    let text = "cold-start data.json \"rust (prov.al2023)\" 512 between 1 and 20";
    let claim = parse(text).expect("parses");
    assert_eq!(claim.to_string(), text);
    assert_eq!(
        parse("cost a b<=$3").expect("parses").to_string(),
        "cost a b <= 3"
    );
}
