//! The Cedar policy set: `schema.cedarschema`, `policies.cedar` and
//! `entities.json`. Each known asset gets a permit; each runtime check that
//! is on for it becomes a forbid, annotated with its `@id`, `@control` and
//! `@check`, so OPA and Cedar decide every request alike. A suspended or
//! retired asset gets one forbid of check `status` instead of its checks.
//!
//! A tool with a window is declared only while `context.now` is inside it;
//! an approval counts only where it names the approver, not the operator,
//! and is at most approval-ttl old. The only arithmetic is on
//! `context.now`, behind a guard, so no approval can make a forbid fail
//! to evaluate.
//!
//! Exceptions become time conditions on `context.now`. Where a check is on
//! through several controls, the forbid of control *i* fires only while the
//! controls before it are excepted, so exactly one control answers for a
//! failed check: the first by id that is not excepted.

use super::runtime::{AssetRuntime, Runtime, Tool};
use super::{json, stream, whole, Error, Made, Store, Templates};
use crate::model::vocab::{Access, AssetStatus, Check, Decision};
use serde::Serialize;
use std::io::Write;

/// One generated policy.
#[derive(Debug, Serialize)]
pub struct Policy {
    pub id: String,
    pub control: String,
    pub check: String,
    pub effect: &'static str,
    pub principal: String,
    /// `when { ... }` and `unless { ... }` clauses, in order.
    pub clauses: Vec<String>,
}

/// Writes `text` as a Cedar string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn uid(kind: &str, id: &str) -> String {
    format!("{kind}::{}", string(id))
}

/// The condition that the request's resource is one of `tools` and, where
/// a tool has a window, that `context.now` is inside it; `None` for no tool.
fn declared(tools: &[(&str, &Tool)]) -> Option<String> {
    let always: Vec<String> = tools
        .iter()
        .filter(|(_, t)| !t.is_windowed())
        .map(|(id, _)| uid("Tool", id))
        .collect();
    let mut parts = Vec::new();
    if !always.is_empty() {
        parts.push(format!("[{}].contains(resource)", always.join(", ")));
    }
    for (id, t) in tools.iter().filter(|(_, t)| t.is_windowed()) {
        parts.push(format!("({})", in_window(id, t)));
    }
    (!parts.is_empty()).then(|| parts.join(" || "))
}

/// The condition that the resource is tool `id` and `now` in its window.
fn in_window(id: &str, t: &Tool) -> String {
    let mut part = format!("resource == {}", uid("Tool", id));
    if let Some(from) = t.from {
        part.push_str(&format!(" && context.now >= {from}"));
    }
    if let Some(until) = t.until {
        part.push_str(&format!(" && context.now < {until}"));
    }
    part
}

/// The condition that the request carries an approval that counts for `r`;
/// `None` when no approval can: the asset names no approver.
fn approved(r: &AssetRuntime, ttl: u64) -> Option<String> {
    let approver = r.owners.approving?;
    let mut cond = format!(
        "context has approval && context.approval.by == {}",
        string(approver)
    );
    if let Some(operator) = r.owners.operator {
        cond.push_str(&format!(" && context.approval.by != {}", string(operator)));
    }
    // `now - ttl` cannot overflow behind the guard; a request dated that
    // early has no approval that counts.
    let ttl = i64::try_from(ttl).unwrap_or(i64::MAX);
    let floor = i64::MIN.saturating_add(ttl);
    cond.push_str(&format!(
        " && context.approval.at <= context.now && context.now >= {floor} && context.approval.at >= context.now - {ttl}"
    ));
    Some(cond)
}

/// Builds every policy, assets in id order, checks in name order.
pub fn policies(runtime: &Runtime) -> Vec<Policy> {
    let ttl = runtime.approval_ttl.as_secs();
    runtime
        .assets
        .iter()
        .flat_map(|r| asset_policies(r, ttl))
        .collect()
}

/// The policies of one asset: its permit, then its status forbid where it
/// may not act, else a forbid per check and control, checks in name order.
fn asset_policies(r: &AssetRuntime, ttl: u64) -> Vec<Policy> {
    let mut out = Vec::new();
    let principal = uid("Asset", r.id);
    out.push(Policy {
        id: format!("permit/{}", r.id),
        control: String::new(),
        check: "known-asset".into(),
        effect: "permit",
        principal: principal.clone(),
        clauses: Vec::new(),
    });
    if r.status != AssetStatus::Active {
        out.push(Policy {
            id: format!("forbid/{}/status", r.id),
            control: String::new(),
            check: "status".into(),
            effect: "forbid",
            principal,
            clauses: Vec::new(),
        });
        return out;
    }
    for (check, controls) in r.checks.iter() {
        let Some(violation) = violation(r, *check, ttl) else {
            continue;
        };
        let mut earlier: Vec<String> = Vec::new();
        for control in controls {
            let mut clauses = violation.clone();
            clauses.extend(earlier.iter().map(|c| format!("when {{ {c} }}")));
            if let Some(end) = r.exceptions.get(control) {
                clauses.push(format!("when {{ context.now >= {end} }}"));
            }
            out.push(Policy {
                id: format!("forbid/{}/{check}/{control}", r.id),
                control: control.to_string(),
                check: check.to_string(),
                effect: "forbid",
                principal: principal.clone(),
                clauses,
            });
            // Later controls answer only while this one is excepted.
            match r.exceptions.get(control) {
                Some(end) => earlier.push(format!("context.now < {end}")),
                None => break,
            }
        }
    }
    out
}

/// The first lines of policies.cedar, as the built-in template writes them.
const HEADER: &str = "// Generated by govern: runtime checks of the governance baseline.\n\
// Each known asset is permitted; each runtime check that is on for it is a\n\
// forbid naming the control behind it. `context.now` is Unix seconds.\n";

/// Writes `policies.cedar`: straight from the policies, byte for byte what
/// the built-in template renders, asset by asset in parallel batches; a
/// repository's own template is rendered with every policy.
pub fn write_policies(
    runtime: &Runtime,
    templates: &Templates,
    w: &mut dyn Write,
) -> Result<(), Error> {
    if templates.is_overridden("policies.cedar") {
        let policies = policies(runtime);
        return Ok(templates.render_to(
            "policies.cedar",
            minijinja::context! { policies => minijinja::Value::from_serialize(&policies) },
            w,
        )?);
    }
    w.write_all(HEADER.as_bytes())?;
    let ttl = runtime.approval_ttl.as_secs();
    stream(&runtime.assets, 64, w, |_, chunk, out| {
        for p in chunk.iter().flat_map(|r| asset_policies(r, ttl)) {
            write_policy(&p, out);
        }
        Ok(())
    })
}

/// One policy as the built-in template lays it out.
fn write_policy(p: &Policy, out: &mut Vec<u8>) {
    let text = format!(
        "\n@id({})\n@control({})\n@check({})\n{} (principal == {}, action == Action::\"invoke_tool\", resource)",
        string(&p.id),
        string(&p.control),
        string(&p.check),
        p.effect,
        p.principal
    );
    out.extend_from_slice(text.as_bytes());
    for c in &p.clauses {
        out.extend_from_slice(b"\n  ");
        out.extend_from_slice(c.as_bytes());
    }
    out.extend_from_slice(b";\n");
}

/// The clauses under which `check` denies a request for `r`, or `None` when
/// it can never deny.
fn violation(r: &AssetRuntime, check: Check, ttl: u64) -> Option<Vec<String>> {
    let unless_approved = || approved(r, ttl).map(|a| format!("unless {{ {a} }}"));
    match check {
        Check::ToolAllowlist => {
            let allowed = declared(&r.tools_where(|t| t.decision != Decision::Deny));
            Some(
                allowed
                    .map(|a| format!("unless {{ {a} }}"))
                    .into_iter()
                    .collect(),
            )
        }
        Check::StepUp => {
            let step_up = declared(&r.tools_where(|t| t.decision == Decision::StepUp))?;
            Some(
                std::iter::once(format!("when {{ {step_up} }}"))
                    .chain(unless_approved())
                    .collect(),
            )
        }
        Check::Confidence => {
            let floors: Vec<String> = r
                .tools_where(|t| t.min_confidence.is_some())
                .into_iter()
                .map(|(id, t)| {
                    let least = t.min_confidence.unwrap_or(0);
                    format!(
                        "({} && !(context has confidence && context.confidence >= {least}))",
                        in_window(id, t)
                    )
                })
                .collect();
            if floors.is_empty() {
                return None;
            }
            Some(
                std::iter::once(format!("when {{ {} }}", floors.join(" || ")))
                    .chain(unless_approved())
                    .collect(),
            )
        }
        Check::CredentialTtl => Some(vec![format!(
            "when {{ context.credential.ttl_seconds > {} }}",
            r.max_ttl_seconds
        )]),
        Check::WorkloadIdentity => {
            let kind =
                "(context.credential.type == \"workload\" || context.credential.type == \"jit\")";
            Some(vec![match &r.spiffe_id {
                Some(id) => format!(
                    "unless {{ {kind} && context.credential has spiffe_id && context.credential.spiffe_id == {} }}",
                    string(id)
                ),
                None => format!("unless {{ {kind} }}"),
            }])
        }
        Check::TrustThreshold => {
            if !r.under_threshold() {
                return None;
            }
            let reads = declared(&r.tools_where(|t| t.access == Access::Read));
            Some(
                reads
                    .map(|a| format!("unless {{ {a} }}"))
                    .into_iter()
                    .collect(),
            )
        }
    }
}

/// One entity of entities.json, fields in name order as the file keeps
/// its keys: an asset, with its owners and status, or a tool; no parents.
#[derive(Serialize)]
struct Entity<'a> {
    attrs: Attrs<'a>,
    parents: [(); 0],
    uid: Uid<'a>,
}

/// An asset's attributes, so that a decision log joins its owners and
/// status by principal; a tool has none.
#[derive(Serialize)]
#[serde(untagged)]
enum Attrs<'a> {
    Asset {
        owners: Owners<'a>,
        status: AssetStatus,
    },
    Tool {},
}

/// The owners the schema declares, each left out where the asset names
/// none: Cedar has no null.
#[derive(Serialize)]
struct Owners<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    accountable: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    approver: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    operator: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    revoker: Option<&'a str>,
}

#[derive(Serialize)]
struct Uid<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl<'a> Entity<'a> {
    fn asset(r: &'a AssetRuntime<'a>) -> Self {
        let o = &r.owners;
        Entity {
            attrs: Attrs::Asset {
                owners: Owners {
                    accountable: o.accountable,
                    approver: o.approver,
                    operator: o.operator,
                    revoker: o.revoker,
                },
                status: r.status,
            },
            parents: [],
            uid: Uid {
                id: r.id,
                kind: "Asset",
            },
        }
    }

    fn tool(id: &'a str) -> Self {
        Entity {
            attrs: Attrs::Tool {},
            parents: [],
            uid: Uid { id, kind: "Tool" },
        }
    }
}

/// The files of the Cedar bundle, each handed to `store` as it is made.
pub fn files<S: Store>(
    runtime: &Runtime,
    templates: &Templates,
    store: &S,
) -> Result<Made<S::Kept>, Error> {
    let mut tools: Vec<&str> = runtime
        .assets
        .iter()
        .flat_map(|r| r.tools.keys().copied())
        .collect();
    tools.sort();
    tools.dedup();
    let entities: Vec<Entity> = runtime
        .assets
        .iter()
        .map(Entity::asset)
        .chain(tools.iter().map(|t| Entity::tool(t)))
        .collect();
    let schema = templates.render("schema.cedarschema", ())?;
    Ok(vec![
        whole(store, "bundles/cedar/schema.cedarschema", schema.as_bytes())?,
        (
            "bundles/cedar/policies.cedar".into(),
            store.file("bundles/cedar/policies.cedar", &mut |w| {
                write_policies(runtime, templates, w)
            })?,
        ),
        (
            "bundles/cedar/entities.json".into(),
            // For the engine, one entity a line.
            store.file("bundles/cedar/entities.json", &mut |w| {
                json::lines(&mut *w, &entities, 0, 1)?;
                Ok(w.write_all(b"\n")?)
            })?,
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_direct_policies_are_what_the_builtin_template_renders() {
        for repo in super::super::fixtures::repos() {
            let outcome = super::super::fixtures::outcome(&repo);
            let resolved = super::super::resolve(&outcome.model);
            let runtime = super::super::runtime::all(&outcome.model, &resolved);
            let builtin = Templates::with(Vec::new()).unwrap();
            let mut direct = Vec::new();
            write_policies(&runtime, &builtin, &mut direct).unwrap();
            // The built-in text with a comment, loaded as an override.
            let (_, text) = super::super::templates::BUILTIN
                .iter()
                .find(|(n, _)| *n == "policies.cedar")
                .unwrap();
            let rendered = Templates::with(vec![super::super::templates::Override {
                name: "policies.cedar".into(),
                origin: "templates/policies.cedar".into(),
                text: format!("{text}{{# the same policies #}}"),
            }])
            .unwrap();
            let mut templated = Vec::new();
            write_policies(&runtime, &rendered, &mut templated).unwrap();
            let direct = String::from_utf8(direct).unwrap();
            assert!(direct.matches("forbid (").count() > 3, "{}", repo.display());
            assert_eq!(direct, String::from_utf8(templated).unwrap());
        }
    }

    #[test]
    fn strings_escape_everything_that_could_end_them() {
        assert_eq!(string("plain"), "\"plain\"");
        assert_eq!(string("a\"b"), "\"a\\\"b\"");
        assert_eq!(string("a\\b"), "\"a\\\\b\"");
        assert_eq!(string("a\nb\u{7}"), "\"a\\nb\\u{7}\"");
        assert_eq!(string("é✓"), "\"é✓\"");
    }
}
