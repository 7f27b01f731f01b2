//! Eleventy's `eleventyComputed`: keys worked out from a page's other data once its whole cascade
//! is merged (https://www.11ty.dev/docs/data-computed/). A string with template syntax is rendered
//! with Tera, as permalink templates are, against the page's data and `page`; any other value is
//! taken as written. A mapping (`eleventyNavigation: {key: "{{ title }}"}`) is worked out key by
//! key. Keys are worked out in the order written, each seeing those before it.

#![deny(clippy::indexing_slicing)]

use std::path::Path;

use yaml_serde::{Mapping, Value};

use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::frontmatter::Layer;
use crate::{data_template, permalink};

/// The front matter key.
pub const KEY: &str = "eleventyComputed";

/// Whether any of `layers` computes a value.
pub fn any(layers: &[Layer]) -> bool {
    layers.iter().any(|l| l.map.contains_key(KEY))
}

/// The computed values as one more layer, innermost of all, or `None` when no layer has
/// `eleventyComputed`. `vars` is what the templates see (the page's data and `page`).
/// A value that does not render is left out with a warning: the page keeps its value from the
/// rest of the cascade.
///
/// On a paginated page, a value that reads `pagination` or the alias is worked out for each
/// chunk when it renders ([`for_chunk`]), as Eleventy does; here it is left out.
pub fn layer(
    layers: &[Layer],
    mut vars: serde_json::Value,
    (config, alias): (&SiteConfig, Option<Option<&str>>),
    problems: &mut Vec<Diagnostic>,
) -> Option<Layer> {
    let (wanted, file, line) = merged(layers)?;
    let mut out = Mapping::new();
    let mut tera = data_template::tera(config);
    out.insert(KEY.into(), Value::Mapping(wanted.clone()));
    // The permalink first, so that the others see its `page.url`, as Eleventy orders them.
    let mut wanted: Vec<(Value, Value)> = wanted.into_iter().collect();
    wanted.sort_by_key(|(k, _)| k.as_str() != Some("permalink"));
    for (key, value) in wanted {
        let Some(name) = key.as_str() else { continue };
        if alias.is_some_and(|alias| per_chunk(&value, alias)) {
            if name == "permalink" {
                problems.push(
                    Diagnostic::warning(format!("`{KEY}.permalink` reads the chunk, which breakeven does not do: it is left out"))
                        .in_file(file)
                        .at(line, None)
                        .help("write it as the page's `permalink:`, which is rendered for each chunk"),
                );
            }
            continue;
        }
        match work_out(&value, &mut tera, &vars) {
            Ok(done) => {
                if let (Some(map), Ok(json)) = (vars.as_object_mut(), serde_json::to_value(&done))
                {
                    map.insert(name.to_string(), json);
                }
                if name == "permalink" {
                    set_url(&mut vars, &done);
                }
                // Computed tags replace the cascade's, as Eleventy's computed data does.
                let key = if name == "tags" { "override:tags" } else { name };
                out.insert(Value::String(key.to_string()), done);
            }
            Err(why) => problems.push(
                Diagnostic::warning(format!("`{KEY}.{name}` did not render: {why}"))
                    .in_file(file)
                    .at(line, None)
                    .help("its templates see the page's data and `page` (`fileSlug`, `filePathStem`, `inputPath`, `date`, `url`), not collections"),
            ),
        }
    }
    Some(Layer::computed(file, out, line))
}

/// `page.url` for a computed permalink (left as it was when the permalink is not a path).
fn set_url(vars: &mut serde_json::Value, permalink: &Value) {
    let url = permalink
        .as_str()
        .and_then(|p| permalink::normalise(p).ok())
        .map(|u| permalink::encode_path(&u));
    if let (Some(url), Some(page)) = (url, vars.get_mut("page").and_then(|p| p.as_object_mut())) {
        page.insert("url".into(), url.into());
    }
}

/// Whether a value reads what each chunk of a paginated page has of its own: `pagination` or
/// the alias, as a whole name.
fn per_chunk(value: &Value, alias: Option<&str>) -> bool {
    let text = yaml_serde::to_string(value).unwrap_or_default();
    let names = |name: &str| {
        text.match_indices(name).any(|(at, _)| {
            let before = text.get(..at).and_then(|t| t.chars().next_back());
            let after = text.get(at + name.len()..).and_then(|t| t.chars().next());
            ![before, after]
                .into_iter()
                .flatten()
                .any(|c| c.is_alphanumeric() || c == '_')
        })
    };
    names("pagination") || alias.is_some_and(names)
}

/// The values of a paginated page's `eleventyComputed` that read `pagination` or the alias,
/// worked out for one chunk: `chunk` holds `pagination` and the alias, `url` is the chunk's
/// `page.url`. A value that does not render keeps the page's own (the others were checked when
/// the page was read).
pub fn for_chunk(
    page: &crate::site::Page,
    (chunk, url): (serde_json::Map<String, serde_json::Value>, &str),
    config: &SiteConfig,
) -> serde_json::Map<String, serde_json::Value> {
    let mut done = serde_json::Map::new();
    let Some(Value::Mapping(wanted)) = page.fm.data.get(KEY) else {
        return done;
    };
    let alias = page.fm.pagination.as_ref().and_then(|p| p.alias.as_deref());
    let mut vars = permalink::page_vars(&page.fm, &page.source);
    if let Some(map) = vars.as_object_mut() {
        map.extend(chunk);
    }
    if let Some(own) = vars.get_mut("page").and_then(|p| p.as_object_mut()) {
        own.insert("url".into(), url.into());
    }
    let mut tera = data_template::tera(config);
    for (key, value) in wanted {
        let Some(name) = key.as_str().filter(|_| per_chunk(value, alias)) else {
            continue;
        };
        let json = work_out(value, &mut tera, &vars).map(serde_json::to_value);
        if let (Ok(Ok(json)), Some(map)) = (json, vars.as_object_mut()) {
            map.insert(name.to_string(), json.clone());
            done.insert(name.to_string(), json);
        }
    }
    done
}

/// Every layer's `eleventyComputed` merged, outermost first, an inner layer's key winning; with
/// the file and line of the innermost one, for messages.
fn merged(layers: &[Layer]) -> Option<(Mapping, &Path, usize)> {
    let mut wanted = Mapping::new();
    let mut at = None;
    for layer in layers {
        if let Some(Value::Mapping(map)) = layer.map.get(KEY) {
            for (k, v) in map {
                wanted.insert(k.clone(), v.clone());
            }
            at = Some((layer.file.as_path(), layer.line_of(KEY).unwrap_or(1)));
        }
    }
    let (file, line) = at?;
    Some((wanted, file, line))
}

/// One value worked out: template strings rendered, mappings and lists element by element.
fn work_out(
    value: &Value,
    tera: &mut tera::Tera,
    vars: &serde_json::Value,
) -> Result<Value, String> {
    match value {
        Value::String(text) if permalink::is_template(text) => {
            render(text, tera, vars).map(Value::String)
        }
        Value::Mapping(map) => map
            .iter()
            .map(|(k, v)| Ok((k.clone(), work_out(v, tera, vars)?)))
            .collect::<Result<Mapping, String>>()
            .map(Value::Mapping),
        Value::Sequence(items) => items
            .iter()
            .map(|v| work_out(v, tera, vars))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Sequence),
        other => Ok(other.clone()),
    }
}

fn render(text: &str, tera: &mut tera::Tera, vars: &serde_json::Value) -> Result<String, String> {
    let reason = |e: tera::Error| {
        let why = data_template::first_line(&e);
        match data_template::help(&why) {
            Some(help) => format!("{why} ({help})"),
            None => why,
        }
    };
    tera.add_raw_template("computed", &data_template::from_liquid(text))
        .map_err(reason)?;
    let context = tera::Context::from_serialize(vars).map_err(reason)?;
    tera.render("computed", &context).map_err(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_per_chunk_when_it_names_pagination_or_the_alias() {
        let value = |s: &str| Value::String(s.to_string());
        assert!(per_chunk(&value("{{ letter.subject }}"), Some("letter")));
        assert!(per_chunk(&value("{{ pagination.pageNumber }}"), None));
        assert!(!per_chunk(
            &value("{{ letters_sent }} {{ newsletter }}"),
            Some("letter")
        ));
        assert!(!per_chunk(&value("{{ title }}"), Some("letter")));
    }
}
