//! Claims in prose: a true one builds and leaves no trace in the page, a false one fails the
//! build with both values and the sentence, and `check --sensitivity` finds the fragile ones.
//!
//! The `figures` fixture prices Lambda x86 at $0.20 per million requests and $0.0000166667 per
//! GB-s, and a t3.medium at $0.0416/h ($30.368/month). Scenario `claim-breakeven` (10 req/s,
//! 100 ms, 512 MB, no free tier) costs 2e-7 + 8.33335e-7 = 1.03333e-6 per request, so it breaks
//! even with one t3.medium at 30.368 / (1.03333e-6 × 2,628,000 s) = 11.18 req/s.

use crate::harness::Site;

const POST: &str = "content/claimed.md";

fn post(claims: &str) -> String {
    format!(
        "---\ntitle: Claimed\n---\nOne server is cheaper above `=breakeven claim-breakeven lambda-x86 t3.medium`.\n{claims}\n\nThe end.\n"
    )
}

#[test]
fn a_true_claim_builds_and_is_not_in_the_page() {
    let site = Site::fixture("figures");
    site.write(
        POST,
        post("<!-- claim: breakeven claim-breakeven lambda-x86 t3.medium between 11 and 11.5 -->"),
    );
    site.build();
    let html = site.read("claimed/index.html");
    assert!(html.contains("11.2 req/s"), "{html}");
    assert!(!html.contains("<!--"), "{html}");
    assert!(!html.contains("between 11"), "{html}");
}

#[test]
fn a_false_claim_fails_the_build_and_keeps_the_previous_output() {
    let site = Site::fixture("figures");
    site.write(
        POST,
        post("<!-- claim: breakeven claim-breakeven lambda-x86 t3.medium > 11 -->"),
    );
    site.build();
    let before = site.read("claimed/index.html");

    site.write(
        POST,
        post("<!-- claim: breakeven claim-breakeven lambda-x86 t3.medium > 12 -->\n<!-- claim: cost claim-breakeven lambda-x86 >= cost claim-breakeven t3.medium -->"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    // $27.156 for the function at 10 req/s against $30.368 for the server.
    assert_eq!(
        run.messages(),
        "\
error: content/claimed.md:5: claim does not hold: breakeven claim-breakeven lambda-x86 t3.medium > 12
  help: `breakeven claim-breakeven lambda-x86 t3.medium` = 11.2 req/s (29.4 million requests/month)
        sentence: \"One server is cheaper above `=breakeven claim-breakeven lambda-x86 t3.medium`.\"
        the data no longer supports this sentence: change the prose or the claim
error: content/claimed.md:6: claim does not hold: cost claim-breakeven lambda-x86 >= cost claim-breakeven t3.medium
  help: `cost claim-breakeven lambda-x86` = $27.16/month
        `cost claim-breakeven t3.medium` = $30.37/month
        sentence: \"One server is cheaper above `=breakeven claim-breakeven lambda-x86 t3.medium`.\"
        the data no longer supports this sentence: change the prose or the claim
build failed with 2 errors
"
    );
    assert_eq!(site.read("claimed/index.html"), before);
}

#[test]
fn a_mistyped_claim_names_the_line_and_the_valid_names() {
    let site = Site::fixture("figures");
    site.write(
        POST,
        post("Text. <!-- claim: breakeven claim-breakeven lambda-x68 t3.medium > 1 -->"),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.messages().starts_with(
            "error: content/claimed.md:5: unknown offer `lambda-x68`\n  help: valid offers: c5.2xlarge,"
        ),
        "{}",
        run.stderr
    );
}

/// Moving the Lambda GB-s price by +8 % gives a per-request cost of 2e-7 + 9.0e-7 = 1.1e-6 and a
/// break-even of 10.505 req/s; +5 % gives 10.749 (and the t3.medium at −5 %, 10.623). So
/// "above 10.6" flips at ±8 % and holds at ±5 %, while Lambda at 1,000 req/s costs 19.8× one
/// c5.2xlarge, which no 8 % move can undo.
#[test]
fn sensitivity_lists_the_claim_built_to_flip_and_not_the_robust_one() {
    let site = Site::fixture("figures");
    site.write(
        POST,
        post("<!-- claim: breakeven claim-breakeven lambda-x86 t3.medium > 10.6 -->\n<!-- claim: cost claim-1000rps lambda-x86 > cost claim-1000rps c5.2xlarge -->"),
    );
    let run = site.run(&["check", "--sensitivity", "8"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: content/claimed.md:5: claim flips when one price moves by 8%: breakeven claim-breakeven lambda-x86 t3.medium > 10.6\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("\n  help: lambda-x86 usd_per_gb_second +8%: 10.5 req/s"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("t3.medium usd_per_hour −8%: 10.3 req/s"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("claim-1000rps"), "{}", run.stderr);
    assert!(run.stderr.ends_with(": 1 claim flips\n"), "{}", run.stderr);

    let run = site.run(&["check", "--sensitivity", "5"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("sensitivity ±5%: 2 claims on prices"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("every claim holds\n"),
        "{}",
        run.stdout
    );
}
