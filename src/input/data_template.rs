//! Templates written in front matter and data files (permalinks, `eleventyComputed`): the Tera
//! they render with, the Liquid date syntax Eleventy's Markdown pages use in them, and a hint for
//! what fails.

/// A Tera with breakeven's filters and Eleventy's `slug` and `slugify`.
pub fn tera(config: &crate::config::SiteConfig) -> tera::Tera {
    let mut tera = tera::Tera::new();
    crate::filters::register(&mut tera, config);
    // Eleventy's two slug filters as Eleventy has them: the URLs stay those of the Eleventy site.
    tera.register_filter("slug", |text: &str, _: tera::Kwargs, _: &tera::State| {
        crate::slugs::eleventy_slug(text)
    });
    tera.register_filter("slugify", |text: &str, _: tera::Kwargs, _: &tera::State| {
        crate::slugs::eleventy_slugify(text)
    });
    tera
}

/// Eleventy renders a Markdown page's front matter templates with Liquid, whose date filter
/// takes its format after a colon: `{{ page.date | date: "%Y/%m" }}`. Tera writes the same
/// strftime format as `date(format="%Y/%m")`; this rewrites the one into the other. Nothing else
/// changes.
pub fn from_liquid(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find("date:") {
        let (before, after) = rest.split_at(at);
        let after = after.get("date:".len()..).unwrap_or_default();
        let is_filter = before.trim_end().ends_with('|');
        match quoted(after.trim_start()).filter(|_| is_filter) {
            Some((format, tail)) => {
                out.push_str(before);
                out.push_str(&format!("date(format=\"{}\")", format.replace('"', "\\\"")));
                rest = tail;
            }
            None => {
                out.push_str(before);
                out.push_str("date:");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `"text" rest` or `'text' rest` → (`text`, `rest`).
fn quoted(s: &str) -> Option<(&str, &str)> {
    let quote = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = s.get(1..)?;
    let end = body.find(quote)?;
    Some((body.get(..end)?, body.get(end + 1..)?))
}

/// What to do about a template that failed with `why`, when breakeven knows.
pub fn help(why: &str) -> Option<String> {
    let filter = why
        .strip_prefix("error: Unknown filter `")
        .or_else(|| why.strip_prefix("Unknown filter `"))
        .and_then(|s| s.split('`').next())?;
    Some(format!(
        "`{filter}` is not a filter breakeven has (filters added in an Eleventy config are not \
         run): write it with Tera's, such as `{{{{ page.date | date(format=\"%Y/%m\") }}}}` or \
         `{{{{ title | slugify }}}}`"
    ))
}

/// A Tera error in one line: its innermost cause.
pub fn first_line(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        message = inner.to_string();
        source = inner.source();
    }
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liquid_date_formats_become_tera_arguments() {
        for (liquid, tera) in [
            (
                r#"/{{ page.date | date: "%Y/%m" }}/{{ page.fileSlug }}/"#,
                r#"/{{ page.date | date(format="%Y/%m") }}/{{ page.fileSlug }}/"#,
            ),
            (
                "/{{ page.date|date:'%Y' }}/",
                r#"/{{ page.date|date(format="%Y") }}/"#,
            ),
            // Not a filter, or no quoted format: as written.
            ("/{{ date: x }}/", "/{{ date: x }}/"),
            ("/posts/{{ title }}/", "/posts/{{ title }}/"),
            ("/{{ d | date: fmt }}/", "/{{ d | date: fmt }}/"),
        ] {
            assert_eq!(from_liquid(liquid), tera, "{liquid}");
        }
    }

    #[test]
    fn unknown_filters_get_a_hint() {
        let hint = help("error: Unknown filter `toISODate`").expect("a hint");
        assert!(
            hint.starts_with("`toISODate` is not a filter breakeven has"),
            "{hint}"
        );
        assert_eq!(help("Variable `x` not found"), None);
    }
}
