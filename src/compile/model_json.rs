//! `model.json`: the resolved model: every entity, the controls that apply
//! to each asset, and the resolved RACI.

use super::Resolved;
use crate::model::{Model, Owners};
use crate::source::SourceMap;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn owners(o: &Owners) -> Value {
    let one =
        |t: &Option<crate::source::Sp<crate::model::TeamId>>| t.as_ref().map(|t| t.value.0.clone());
    json!({
        "accountable": one(&o.accountable),
        "operator": one(&o.operator),
        "remediation": one(&o.remediation),
        "approver": one(&o.approver),
        "revoker": one(&o.revoker),
        "reviewers": o.reviewers.iter().map(|t| t.value.0.clone()).collect::<Vec<_>>(),
        "incident": one(&o.incident),
        "attested": o.attested.as_ref().map(|d| d.value.to_string()),
    })
}

/// Renders the model document: pretty JSON with sorted keys, as
/// [`super::json_owned`] would, without ever holding the whole tree.
pub fn render(model: &Model, sources: &SourceMap, resolved: &Resolved<'_>) -> Vec<u8> {
    let p = &model.settings.policy;
    let policy = json!({
        "frameworks": p.frameworks.iter().map(|f| f.0.clone()).collect::<Vec<_>>(),
        "trust-threshold": p.trust_threshold,
        "max-credential-ttl": p.max_credential_ttl.to_string(),
        "max-exception-days": p.max_exception_days,
        "attestation-max-age": p.attestation_max_age.to_string(),
        "max-accountable": p.max_accountable,
        "governance-functions": p.governance_functions,
        "exception-approvers": p.exception_approvers.iter().map(|t| t.value.0.clone()).collect::<Vec<_>>(),
        "escalation": {
            "low": p.escalation[0].to_string(), "medium": p.escalation[1].to_string(),
            "high": p.escalation[2].to_string(), "critical": p.escalation[3].to_string(),
        },
    });
    let teams: Vec<Value> = model
        .teams
        .values()
        .map(|t| {
            json!({
                "id": t.id.value.0, "name": t.name, "kind": t.kind.value.name(),
                "functions": t.functions, "contact": t.contact, "handle": t.handle,
                "parent": t.parent.as_ref().map(|p| p.value.0.clone()), "active": t.active.value,
                "file": sources.name(t.file),
            })
        })
        .collect();
    let assets: Vec<String> = resolved
        .assets
        .par_iter()
        .map(|r| {
            let a = r.asset;
            // Activity -> letter -> teams; the roles behind each letter are
            // in raci/matrix.csv.
            let raci: serde_json::Map<String, Value> = r
                .raci
                .iter()
                .map(|row| {
                    let mut letters: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
                    for cell in &row.cells {
                        for (letter, _) in &cell.letters {
                            letters
                                .entry(letter.as_str())
                                .or_default()
                                .push(cell.team.as_str());
                        }
                    }
                    (row.activity.id.clone(), json!(letters))
                })
                .collect();
            item(json!({
                "id": a.id.value.0, "name": a.name, "kind": a.kind.value.name(),
                "environment": a.environment.value.name(), "risk": a.risk.value.name(),
                "description": a.description, "tags": a.tags,
                "depends-on": a.depends_on.iter().map(|d| d.value.0.clone()).collect::<Vec<_>>(),
                "vendor": a.vendor.as_ref().map(|v| v.value.0.clone()),
                "owners": owners(&a.owners),
                "identity": a.identity.as_ref().map(|i| json!({
                    "type": i.kind.as_ref().map(|k| k.value.name()),
                    "spiffe-id": i.spiffe_id.as_ref().map(|s| s.value.clone()),
                    "max-ttl": i.max_ttl.as_ref().map(|t| t.value.to_string()),
                })),
                "tools": a.tools.iter().map(|t| json!({
                    "id": t.id.value, "system": t.system,
                    "access": t.access.value.name(), "decision": t.decision.value.name(),
                })).collect::<Vec<_>>(),
                "trust": a.trust.as_ref().map(|t| json!({
                    "score": t.score.as_ref().map(|s| s.value),
                    "assessed": t.assessed.map(|d| d.to_string()),
                    "threshold": t.threshold.as_ref().map(|s| s.value),
                })),
                "controls": r.controls.iter().map(|c| c.id.value.0.clone()).collect::<Vec<_>>(),
                "raci": raci,
                "file": sources.name(a.file),
            }))
        })
        .collect();
    let controls: Vec<String> = model
        .controls
        .par_iter()
        .map(|(_, c)| {
            let words = |v: &Option<Vec<String>>| v.clone();
            item(json!({
                "id": c.id.value.0, "title": c.title,
                "owner": c.owner.as_ref().map(|o| o.value.0.clone()),
                "severity": c.severity.name(),
                "applies-to": {
                    "kinds": c.applies_to.kinds.as_ref().map(|v| v.iter().map(|k| k.name()).collect::<Vec<_>>()),
                    "environments": c.applies_to.environments.as_ref().map(|v| v.iter().map(|k| k.name()).collect::<Vec<_>>()),
                    "risk": c.applies_to.risk.as_ref().map(|v| v.iter().map(|k| k.name()).collect::<Vec<_>>()),
                    "tags": words(&c.applies_to.tags),
                },
                "maps-to": c.maps_to.iter().map(|m| json!({"ref": m.target.to_string(), "coverage": m.coverage.name()})).collect::<Vec<_>>(),
                "enforce": c.enforce.iter().map(|e| e.name()).collect::<Vec<_>>(),
                "retest-every": c.retest_every.map(|d| d.to_string()),
                "evidence": c.evidence,
                "assets": resolved.applies.get(&c.id.value).map(|v| v.iter().map(|a| a.0.clone()).collect::<Vec<_>>()).unwrap_or_default(),
                "file": sources.name(c.file),
            }))
        })
        .collect();
    let exceptions: Vec<Value> = model
        .exceptions
        .values()
        .map(|e| {
            json!({
                "id": e.id.value.0, "asset": e.asset.value.0, "control": e.control.value.0,
                "approved-by": e.approved_by.value.0, "reason": e.reason,
                "granted": e.granted.value.to_string(), "expires": e.expires.value.to_string(),
                "compensating": e.compensating.iter().map(|c| c.value.0.clone()).collect::<Vec<_>>(),
                "file": sources.name(e.file),
            })
        })
        .collect();
    let findings: Vec<Value> = model
        .findings
        .values()
        .map(|f| {
            json!({
                "id": f.id.value.0, "asset": f.asset.value.0, "control": f.control.value.0,
                "severity": f.severity.name(), "opened": f.opened.value.to_string(),
                "status": f.status.value.name(),
                "retest-by": f.retest_by.as_ref().map(|d| d.value.to_string()),
                "source": f.source, "file": sources.name(f.file),
            })
        })
        .collect();
    let frameworks: Vec<Value> = model
        .frameworks
        .values()
        .map(|f| json!({"id": f.id.value.0, "name": f.name, "version": f.version, "builtin": f.builtin, "requirements": f.requirements.len()}))
        .collect();
    let activities: Vec<Value> = model
        .settings
        .activities
        .iter()
        .map(|a| {
            let names = |v: &[crate::model::vocab::Role]| v.iter().map(|r| r.name()).collect::<Vec<_>>();
            json!({"id": a.id, "title": a.title, "accountable": a.accountable.name(),
                   "responsible": names(&a.responsible), "consulted": names(&a.consulted), "informed": names(&a.informed)})
        })
        .collect();
    let mut document = String::with_capacity(
        assets
            .iter()
            .chain(&controls)
            .map(String::len)
            .sum::<usize>()
            + (1 << 20),
    );
    document.push_str("{\n");
    let parts = [
        ("activities", Part::Value(json!(activities))),
        ("assets", Part::Items(assets)),
        ("controls", Part::Items(controls)),
        ("exceptions", Part::Value(json!(exceptions))),
        ("findings", Part::Value(json!(findings))),
        ("frameworks", Part::Value(json!(frameworks))),
        (
            "organization",
            Part::Value(json!(model.settings.organization)),
        ),
        ("policy", Part::Value(policy)),
        ("teams", Part::Value(json!(teams))),
    ];
    for (i, (key, part)) in parts.into_iter().enumerate() {
        if i > 0 {
            document.push_str(",\n");
        }
        document.push_str(&format!("  \"{key}\": "));
        match part {
            Part::Value(value) => document.push_str(&indent(&pretty(value), "  ")),
            Part::Items(items) if items.is_empty() => document.push_str("[]"),
            Part::Items(items) => {
                document.push_str("[\n");
                for (j, text) in items.iter().enumerate() {
                    if j > 0 {
                        document.push_str(",\n");
                    }
                    document.push_str("    ");
                    document.push_str(&indent(text, "    "));
                }
                document.push_str("\n  ]");
            }
        }
    }
    document.push_str("\n}\n");
    document.into_bytes()
}

/// One top-level entry of model.json: a value, or the already rendered
/// items of a large array.
enum Part {
    Value(Value),
    Items(Vec<String>),
}

/// Renders one array item on its own, keys sorted, so the large arrays are
/// rendered in parallel and never held as one tree.
fn item(mut value: Value) -> String {
    super::sort_keys(&mut value);
    serde_json::to_string_pretty(&value).expect("JSON values always serialize")
}

fn pretty(mut value: Value) -> String {
    super::sort_keys(&mut value);
    serde_json::to_string_pretty(&value).expect("JSON values always serialize")
}

/// Indents every line but the first by `by`.
fn indent(text: &str, by: &str) -> String {
    text.replace('\n', &format!("\n{by}"))
}
