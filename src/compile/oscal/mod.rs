//! `oscal/`: the baseline as OSCAL 1.1.2, for GRC tools:
//! `component-definition.json` (a component per asset, see [`component`])
//! and, when asked, each reported framework as a catalog in
//! `catalogs/<framework>.json` ([`catalog`]).
//!
//! The files are compact JSON written straight from the model, keys in a
//! fixed order, the components streamed in parallel chunks: no JSON tree is
//! built, and memory holds a bounded batch of components. UUIDs are
//! version 5 ([`ids`]); `last-modified` is the date of the commit built
//! ([`Provenance::date`]: for a working tree, its HEAD's), or [`EPOCH`]
//! outside any commit, never the clock. Requirement ids become control ids
//! by the reversible rule of [`token`].

pub mod catalog;
pub mod component;
pub mod ids;
mod profile;
pub mod token;

use super::{Error, Made, Provenance, Resolved, Store};
use crate::model::{Framework, Model};
use jiff::civil::Date;
use std::borrow::Cow;

/// The OSCAL version the documents follow.
pub const OSCAL_VERSION: &str = "1.1.2";

/// The namespace of govern's own props.
pub const NS: &str = "urn:govern:oscal";

/// `last-modified` of a build outside any commit.
pub const EPOCH: &str = "1970-01-01T00:00:00+00:00";

/// The path of the component definition in the baseline.
pub const COMPONENT_DEFINITION: &str = "oscal/component-definition.json";

/// The path of a framework's catalog in the baseline.
pub fn catalog_path(framework: &str) -> String {
    format!("oscal/catalogs/{framework}.json")
}

/// What the OSCAL documents of one build share.
pub struct Context<'m> {
    pub model: &'m Model,
    pub ids: ids::Ids,
    /// `last-modified`.
    pub date: &'m str,
    /// The document version: the commit, or `worktree`.
    pub version: String,
    /// The day exceptions are in force on.
    pub today: Date,
    /// The reported frameworks, in policy order, with the `source` their
    /// control implementations name.
    pub frameworks: Vec<(&'m Framework, String)>,
}

impl<'m> Context<'m> {
    /// The context of a build of `model`; with `catalogs`, each
    /// implementation's source is the catalog written beside it.
    pub fn new(model: &'m Model, provenance: &'m Provenance, today: Date, catalogs: bool) -> Self {
        let frameworks = model
            .settings
            .policy
            .frameworks
            .iter()
            .filter_map(|id| model.frameworks.get(id))
            .map(|f| {
                let id = f.id.value.as_str();
                let source = match catalogs {
                    true => format!("catalogs/{id}.json"),
                    false => f
                        .source
                        .as_deref()
                        .and_then(url)
                        .map_or_else(|| format!("urn:govern:framework:{id}"), str::to_string),
                };
                (f, source)
            })
            .collect();
        Context {
            model,
            ids: ids::Ids::of(&model.settings.organization),
            date: provenance.date.as_deref().unwrap_or(EPOCH),
            version: provenance.revision(),
            today,
            frameworks,
        }
    }
}

/// The OSCAL files: the component definition, and with `catalogs` the
/// catalog of each reported framework.
pub(super) fn files<S: Store>(
    context: &Context<'_>,
    resolved: &Resolved<'_>,
    catalogs: bool,
    store: &S,
) -> Result<Made<S::Kept>, Error> {
    let kept = store.file(COMPONENT_DEFINITION, &mut |w| {
        component::write(context, resolved, w)
    })?;
    let mut made = vec![(COMPONENT_DEFINITION.to_string(), kept)];
    if catalogs {
        for (framework, _) in &context.frameworks {
            let path = catalog_path(&framework.id.value.0);
            made.push(super::whole(
                store,
                &path,
                &catalog::document(context, framework),
            )?);
        }
    }
    Ok(made)
}

/// The first `http(s)` URL of a framework's `source` text, which may also
/// say where the catalog came from in words.
fn url(source: &str) -> Option<&str> {
    source
        .split_whitespace()
        .find(|w| w.starts_with("https://") || w.starts_with("http://"))
        .map(|w| w.trim_end_matches([')', ',', ';', '.', ']']))
        .filter(|w| {
            w.len() > "https://".len()
                && w.bytes()
                    .all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b))
        })
}

/// `text` on one line, runs of whitespace made one space, as OSCAL's
/// string values must be (no leading, trailing or line-breaking space);
/// `None` when nothing is left.
pub(crate) fn line(text: &str) -> Option<Cow<'_, str>> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    let clean = !trimmed
        .chars()
        .zip(trimmed.chars().skip(1))
        .any(|(a, b)| a.is_whitespace() && (a != ' ' || b.is_whitespace()));
    if clean {
        return Some(Cow::Borrowed(trimmed));
    }
    Some(Cow::Owned(
        trimmed.split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

/// Appends `s` as a JSON string.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f | 0x7f => b"",
            _ => continue,
        };
        out.extend_from_slice(&s.as_bytes()[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&s.as_bytes()[start..]);
    out.push(b'"');
}

/// Appends `"key":` and `value` as a JSON string.
pub(crate) fn field(out: &mut Vec<u8>, key: &str, value: &str) {
    string(out, key);
    out.push(b':');
    string(out, value);
}

/// Appends a prop of govern's namespace.
pub(crate) fn prop(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(b"{\"name\":");
    string(out, name);
    out.extend_from_slice(b",\"ns\":\"");
    out.extend_from_slice(NS.as_bytes());
    out.extend_from_slice(b"\",\"value\":");
    string(out, value);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_give_their_first_url() {
        assert_eq!(url("https://a.example/x"), Some("https://a.example/x"));
        assert_eq!(
            url("https://doi.org/10.6028/NIST.AI.100-1 (Tables 1-4), via https://b.example/"),
            Some("https://doi.org/10.6028/NIST.AI.100-1")
        );
        assert_eq!(
            url("Table A.1 (see https://c.example/t)."),
            Some("https://c.example/t")
        );
        assert_eq!(url("ISO/IEC 42001:2023, paywalled"), None);
        assert_eq!(url("https://"), None);
        assert_eq!(url("https://a.example/\"x"), None);
    }

    #[test]
    fn lines_lose_their_breaks_and_strings_are_json() {
        assert_eq!(line("  a  b\n\tc ").as_deref(), Some("a b c"));
        assert!(matches!(line("a b"), Some(Cow::Borrowed("a b"))));
        assert_eq!(line(" \n "), None);
        let text = "q\"\\\n\u{1}\u{7f}é";
        let mut out = Vec::new();
        string(&mut out, text);
        let back: String = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, text);
    }
}
