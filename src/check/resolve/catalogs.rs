//! The framework catalogs, built-in and the repository's, their
//! requirements, and `framework:requirement` references into them.

use super::duplicate;
use crate::diag::{Code, Diagnostic, Diags};
use crate::load::raw;
use crate::load::reader::closest;
use crate::model::*;
use crate::source::{Sp, Span};
use std::collections::BTreeMap;

/// Builds the catalogs: built-ins first, then repository catalogs, each of
/// which replaces a built-in of the same id.
pub(super) fn frameworks(
    catalogs: Vec<(bool, &raw::Catalog)>,
    diags: &mut Diags,
) -> BTreeMap<FrameworkId, Framework> {
    let mut out: BTreeMap<FrameworkId, Framework> = BTreeMap::new();
    let (builtin, repo): (Vec<_>, Vec<_>) = catalogs.into_iter().partition(|(b, _)| *b);
    for (builtin, catalog) in builtin.into_iter().chain(repo) {
        let Some(id) = &catalog.id else { continue };
        if let Some(first) = out.get(id.value.as_str()) {
            if !first.builtin || builtin {
                duplicate(diags, "framework", id, first.id.span, id.span);
                continue;
            }
        }
        let requirements = requirements(catalog, diags);
        let framework = Framework::new(
            Sp::new(FrameworkId(id.value.clone()), id.span),
            catalog
                .name
                .as_ref()
                .map_or_else(|| id.value.clone(), |n| n.value.clone()),
            catalog.version.as_ref().map(|v| v.value.clone()),
            catalog.source.as_ref().map(|s| s.value.clone()),
            builtin,
            requirements,
        );
        out.insert(framework.id.value.clone(), framework);
    }
    out
}

fn requirements(catalog: &raw::Catalog, diags: &mut Diags) -> Vec<Requirement> {
    let mut requirements: Vec<Requirement> = Vec::new();
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for r in &catalog.requirements {
        let Some(rid) = &r.id else { continue };
        if let Some(first) = seen.get(rid.value.as_str()) {
            duplicate(diags, "requirement", rid, *first, rid.span);
            continue;
        }
        seen.insert(&rid.value, rid.span);
        requirements.push(Requirement {
            id: rid.clone(),
            kind: r.kind.as_ref().map(|k| k.value.clone()),
            title: r
                .title
                .as_ref()
                .map_or_else(|| rid.value.clone(), |t| t.value.clone()),
            parent: r.parent.as_ref().map(|p| p.value.clone()),
            note: r.note.as_ref().map(|n| n.value.clone()),
        });
    }
    for r in &catalog.requirements {
        let Some(parent) = &r.parent else { continue };
        if !seen.contains_key(parent.value.as_str()) {
            let mut d = Diagnostic::new(
                Code::UnknownReference,
                parent.span,
                format!("unknown parent requirement `{}`", parent.value),
            );
            if let Some(best) = closest(&parent.value, seen.keys().copied()) {
                d = d.help(format!("did you mean `{best}`?"));
            }
            diags.push(d);
        }
    }
    super::cycles::requirements(&mut requirements, diags);
    requirements
}

/// Resolves `"framework:requirement"`, reporting what does not exist.
pub(super) fn requirement_ref(
    model: &Model,
    text: &Sp<String>,
    diags: &mut Diags,
) -> Option<RequirementRef> {
    let Some((framework, requirement)) = text.split_once(':') else {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                text.span,
                format!("`{}` is not a requirement reference", text.value),
            )
            .help("write \"<framework-id>:<requirement-id>\", e.g. \"nist-csf-2.0:GV.RM-06\""),
        );
        return None;
    };
    let Some(catalog) = model.frameworks.get(framework) else {
        diags.push(unknown_framework(&model.frameworks, framework, text.span));
        return None;
    };
    if catalog.requirement(requirement).is_none() {
        diags.push(unknown_requirement(catalog, requirement, text.span, true));
        return None;
    }
    Some(RequirementRef {
        framework: FrameworkId(framework.to_string()),
        requirement: requirement.to_string(),
    })
}

/// `unknown framework`, with the closest id or how to add one.
pub(super) fn unknown_framework(
    frameworks: &BTreeMap<FrameworkId, Framework>,
    id: &str,
    span: Span,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownReference,
        span,
        format!("unknown framework `{id}`"),
    );
    match closest(id, frameworks.keys().map(|k| k.as_str())) {
        Some(best) => d.help(format!("did you mean `{best}`?")),
        None => d.help("add a catalog file with this [framework] id, or use a built-in framework"),
    }
}

/// `framework has no requirement`, with the closest id, written
/// `framework:id` when `qualified`.
pub(super) fn unknown_requirement(
    f: &Framework,
    id: &str,
    span: Span,
    qualified: bool,
) -> Diagnostic {
    let framework = f.id.value.as_str();
    let d = Diagnostic::new(
        Code::UnknownReference,
        span,
        format!("framework `{framework}` has no requirement `{id}`"),
    );
    let ids = f.requirements.iter().map(|r| r.id.value.as_str());
    match closest(id, ids) {
        Some(best) if qualified => d.help(format!("did you mean `{framework}:{best}`?")),
        Some(best) => d.help(format!("did you mean `{best}`?")),
        None => d,
    }
}
