//! The Cedar policy set: `schema.cedarschema`, `policies.cedar` and
//! `entities.json`. Each known asset gets a permit; each runtime check that
//! is on for it becomes a forbid, annotated with its `@id`, `@control` and
//! `@check`, so OPA and Cedar decide every request alike.
//!
//! Exceptions become time conditions on `context.now`. Where a check is on
//! through several controls, the forbid of control *i* fires only while the
//! controls before it are excepted, so exactly one control answers for a
//! failed check: the first by id that is not excepted.

use super::runtime::AssetRuntime;
use super::{json, Error, Templates};
use crate::model::vocab::{Access, Check, Decision};
use serde::Serialize;
use serde_json::json;

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

fn tool_set(tools: &[&str]) -> Option<String> {
    if tools.is_empty() {
        return None;
    }
    let items: Vec<String> = tools.iter().map(|t| uid("Tool", t)).collect();
    Some(format!("[{}]", items.join(", ")))
}

/// Builds every policy, assets in id order, checks in name order.
pub fn policies(runtimes: &[AssetRuntime]) -> Vec<Policy> {
    let mut out = Vec::new();
    for r in runtimes {
        let principal = uid("Asset", &r.id);
        out.push(Policy {
            id: format!("permit/{}", r.id),
            control: String::new(),
            check: "known-asset".into(),
            effect: "permit",
            principal: principal.clone(),
            clauses: Vec::new(),
        });
        for (check, controls) in &r.checks {
            let Some(violation) = violation(r, *check) else {
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
                    control: control.clone(),
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
    }
    out
}

/// The clauses under which `check` denies a request for `r`, or `None` when
/// it can never deny.
fn violation(r: &AssetRuntime, check: Check) -> Option<Vec<String>> {
    match check {
        Check::ToolAllowlist => {
            let allowed = r.tools_where(|t| t.decision != Decision::Deny);
            Some(match tool_set(&allowed) {
                Some(set) => vec![format!("unless {{ {set}.contains(resource) }}")],
                None => Vec::new(),
            })
        }
        Check::StepUp => {
            let set = tool_set(&r.tools_where(|t| t.decision == Decision::StepUp))?;
            Some(vec![
                format!("when {{ {set}.contains(resource) }}"),
                "unless { context.approval }".into(),
            ])
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
            let reads = r.tools_where(|t| t.access == Access::Read);
            Some(match tool_set(&reads) {
                Some(set) => vec![format!("unless {{ {set}.contains(resource) }}")],
                None => Vec::new(),
            })
        }
    }
}

/// The files of the Cedar bundle.
pub fn files(
    runtimes: &[AssetRuntime],
    templates: &Templates,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let policies = policies(runtimes);
    let mut tools: Vec<&str> = runtimes
        .iter()
        .flat_map(|r| r.tools.keys().map(String::as_str))
        .collect();
    tools.sort();
    tools.dedup();
    let mut entities: Vec<serde_json::Value> = runtimes
        .iter()
        .map(|r| json!({"uid": {"type": "Asset", "id": r.id}, "attrs": {}, "parents": []}))
        .collect();
    entities.extend(
        tools
            .iter()
            .map(|t| json!({"uid": {"type": "Tool", "id": t}, "attrs": {}, "parents": []})),
    );
    Ok(vec![
        (
            "bundles/cedar/schema.cedarschema".into(),
            templates.render("schema.cedarschema", ())?.into_bytes(),
        ),
        (
            "bundles/cedar/policies.cedar".into(),
            templates
                .render(
                    "policies.cedar",
                    minijinja::context! { policies => minijinja::Value::from_serialize(&policies) },
                )?
                .into_bytes(),
        ),
        (
            "bundles/cedar/entities.json".into(),
            // For the engine, one entity a line.
            json::value_lines(serde_json::Value::Array(entities), 1),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_everything_that_could_end_them() {
        assert_eq!(string("plain"), "\"plain\"");
        assert_eq!(string("a\"b"), "\"a\\\"b\"");
        assert_eq!(string("a\\b"), "\"a\\\\b\"");
        assert_eq!(string("a\nb\u{7}"), "\"a\\nb\\u{7}\"");
        assert_eq!(string("é✓"), "\"é✓\"");
    }
}
