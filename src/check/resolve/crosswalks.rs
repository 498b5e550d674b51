//! Crosswalks between frameworks: each link's requirements are checked like
//! any requirement reference, and only links between requirements that
//! exist are kept.

use super::catalogs::{unknown_framework, unknown_requirement};
use super::duplicate;
use crate::diag::{Code, Diagnostic, Diags};
use crate::load::raw;
use crate::model::*;
use crate::source::Sp;
use std::collections::BTreeMap;

/// Builds the crosswalks: built-ins first, then the repository's, each of
/// which replaces a built-in of the same id. A built-in crosswalk links
/// built-in catalogs only: where the repository replaces one of its
/// frameworks, the links were stated for another catalog, and it is left
/// out.
pub(super) fn crosswalks(
    crosswalks: Vec<(bool, &raw::Crosswalk)>,
    frameworks: &BTreeMap<FrameworkId, Framework>,
    diags: &mut Diags,
) -> BTreeMap<String, Crosswalk> {
    let mut out: BTreeMap<String, Crosswalk> = BTreeMap::new();
    // Where the repository first declares each id, valid or not.
    let mut declared: BTreeMap<String, crate::source::Span> = BTreeMap::new();
    let (builtin, repo): (Vec<_>, Vec<_>) = crosswalks.into_iter().partition(|(b, _)| *b);
    for (builtin, raw) in builtin.into_iter().chain(repo) {
        let Some(id) = &raw.id else { continue };
        if !builtin {
            if let Some(first) = declared.get(id.value.as_str()) {
                duplicate(diags, "crosswalk", id, *first, id.span);
                continue;
            }
            declared.insert(id.value.clone(), id.span);
        }
        if builtin {
            let replaced = [&raw.from, &raw.to]
                .into_iter()
                .flatten()
                .any(|f| frameworks.get(f.value.as_str()).is_none_or(|f| !f.builtin));
            if replaced {
                continue;
            }
        }
        let from = framework(frameworks, raw.from.as_ref(), diags);
        let to = framework(frameworks, raw.to.as_ref(), diags);
        let (Some(from), Some(to)) = (from, to) else {
            out.remove(id.value.as_str());
            continue;
        };
        let links = raw
            .links
            .iter()
            .filter_map(|link| self::link(from, to, link, diags))
            .collect();
        let crosswalk = Crosswalk {
            id: id.clone(),
            from: from.id.value.clone(),
            to: to.id.value.clone(),
            builtin,
            links,
        };
        out.insert(id.value.clone(), crosswalk);
    }
    out
}

/// The framework a crosswalk names, reporting one that does not exist.
fn framework<'f>(
    frameworks: &'f BTreeMap<FrameworkId, Framework>,
    id: Option<&Sp<String>>,
    diags: &mut Diags,
) -> Option<&'f Framework> {
    let id = id?;
    let found = frameworks.get(id.value.as_str());
    if found.is_none() {
        diags.push(unknown_framework(frameworks, &id.value, id.span));
    }
    found
}

/// One link, with the `to` requirements that exist, each once; `None`
/// when its `from` requirement or relation is missing or unknown, or no
/// `to` exists. Every requirement it names is checked.
fn link(from: &Framework, to: &Framework, link: &raw::Link, diags: &mut Diags) -> Option<Link> {
    let from_known = link.from.as_ref().map(|f| requirement(from, f, diags));
    let mut targets: Vec<String> = Vec::new();
    for t in &link.to {
        if requirement(to, t, diags) && !targets.contains(&t.value) {
            targets.push(t.value.clone());
        }
    }
    if link.to.is_empty() && from_known.is_some() {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                link.span,
                "this [[link]] reaches no requirement: its `to` list is empty",
            )
            .help(format!(
                "list requirements of `{}`, e.g. to = [\"{}\"]",
                to.id.value,
                to.requirements
                    .first()
                    .map_or("ID", |r| r.id.value.as_str())
            )),
        );
    }
    let (Some(from_id), Some(true), Some(relation)) = (&link.from, from_known, &link.relation)
    else {
        return None;
    };
    (!targets.is_empty()).then(|| Link {
        from: from_id.value.clone(),
        to: targets,
        relation: relation.value,
    })
}

/// Returns whether `f` has the requirement `id`, reporting it when not.
fn requirement(f: &Framework, id: &Sp<String>, diags: &mut Diags) -> bool {
    let found = f.requirement(&id.value).is_some();
    if !found {
        diags.push(unknown_requirement(f, &id.value, id.span, false));
    }
    found
}
