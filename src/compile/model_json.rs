//! `model.json`: the resolved model: every entity, the controls that apply
//! to each asset, and the resolved RACI.
//!
//! A file for programs, laid out by [`json::lines`] to two levels: each
//! top-level key, and each entity of the top-level arrays, on a line of its
//! own, compact within. Which assets a control applies to is not repeated
//! under the control: it is the inverse of `assets[].controls`.

use super::json::{self, sort_keys};
use super::{stream, Error, Resolved, ResolvedAsset};
use crate::model::{Control, Handle, Model, TeamId};
use crate::source::SourceMap;
use crate::source::Sp;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;

/// How many levels of model.json are spread over lines.
const PRETTY: usize = 2;

/// Writes the model document into `w`, keys sorted, the large arrays
/// rendered in parallel chunks and written as they come, so the whole
/// document is never held.
pub fn write(
    model: &Model,
    sources: &SourceMap,
    resolved: &Resolved<'_>,
    w: &mut dyn Write,
) -> Result<(), Error> {
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
        "trust-max-age": p.trust_max_age.to_string(),
        "expiry-notice": p.expiry_notice.to_string(),
        "triage-functions": p.triage_functions,
        "approval-ttl": p.approval_ttl.to_string(),
    });
    let teams: Vec<Value> = model
        .teams
        .values()
        .map(|t| {
            json!({
                "id": t.id.value.0, "name": t.name, "kind": t.kind.value.name(),
                "functions": t.functions, "contact": t.contact, "handle": t.handle.as_ref().map(Handle::as_str),
                "parent": t.parent.as_ref().map(|p| p.value.0.clone()), "active": t.active.value,
                "file": sources.name(t.file),
            })
        })
        .collect();
    let declared: Vec<&Control> = model.controls.values().collect();
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
            let c = &f.closure;
            json!({
                "id": f.id.value.0, "asset": f.asset.value.0, "control": f.control.value.0,
                "severity": f.severity.name(), "opened": f.opened.value.to_string(),
                "status": f.status.value.name(),
                "retest-by": f.retest_by.as_ref().map(|d| d.value.to_string()),
                "source": f.source, "file": sources.name(f.file),
                "closed": c.closed.as_ref().map(|d| d.value.to_string()),
                "closed-by": c.closed_by.as_ref().map(|t| t.value.0.clone()),
                "retested": c.retested.as_ref().map(|d| d.value.to_string()),
                "root-cause": c.root_cause.as_ref().map(|r| r.value.clone()),
                "signed-off-by": c.signed_off_by.as_ref().map(|t| t.value.0.clone()),
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
    let assets = |w: &mut dyn Write| {
        stream(&resolved.assets, CHUNK, w, |first, chunk, out| {
            items(first, chunk.iter().map(|r| AssetDoc::new(r, sources)), out)
        })
    };
    let controls = |w: &mut dyn Write| {
        stream(&declared, CHUNK, w, |first, chunk, out| {
            items(
                first,
                chunk.iter().map(|c| ControlDoc::new(c, sources)),
                out,
            )
        })
    };
    let parts = [
        ("activities", Part::Value(json!(activities))),
        ("assets", Part::Items(resolved.assets.is_empty(), &assets)),
        ("controls", Part::Items(declared.is_empty(), &controls)),
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
    w.write_all(b"{")?;
    for (i, (key, part)) in parts.into_iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        write!(w, "\n  \"{key}\": ")?;
        match part {
            Part::Value(mut value) => {
                sort_keys(&mut value);
                json::lines(&mut *w, &value, 1, PRETTY)?;
            }
            Part::Items(true, _) => w.write_all(b"[]")?,
            Part::Items(false, write_items) => {
                w.write_all(b"[")?;
                write_items(w)?;
                w.write_all(b"\n  ]")?;
            }
        }
    }
    w.write_all(b"\n}\n")?;
    Ok(())
}

/// The large arrays are rendered in chunks of this many items, in parallel,
/// and never held as one tree.
const CHUNK: usize = 256;

/// Writes the items of a top-level array.
type WriteItems<'a> = dyn Fn(&mut dyn Write) -> Result<(), Error> + 'a;

/// One top-level entry of model.json: a value, or a large array written
/// item by item (and whether it is empty).
enum Part<'a> {
    Value(Value),
    Items(bool, &'a WriteItems<'a>),
}

/// Renders items of a top-level array, each on a line of its own at the
/// depth of such items, a comma before each but the array's first. The
/// documents below declare their fields in name order: the keys come out
/// sorted, as everywhere else.
fn items(
    first: bool,
    docs: impl Iterator<Item = impl Serialize>,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    for (i, doc) in docs.enumerate() {
        if !(first && i == 0) {
            out.push(b',');
        }
        out.extend_from_slice(b"\n    ");
        json::lines(&mut *out, &doc, 2, PRETTY)?;
    }
    Ok(())
}

type Id<'a> = Option<&'a str>;

fn id(t: &Option<Sp<TeamId>>) -> Id<'_> {
    t.as_ref().map(|t| t.value.as_str())
}

#[derive(Serialize)]
struct AssetDoc<'a> {
    controls: Vec<&'a str>,
    #[serde(rename = "depends-on")]
    depends_on: Vec<&'a str>,
    description: Option<&'a str>,
    environment: &'static str,
    file: &'a str,
    id: &'a str,
    identity: Option<IdentityDoc<'a>>,
    kind: &'static str,
    name: &'a str,
    owners: OwnersDoc<'a>,
    /// Activity -> letter -> teams; the roles behind each letter are in
    /// raci/matrix.csv.
    raci: BTreeMap<&'a str, BTreeMap<&'static str, Vec<&'a str>>>,
    risk: &'static str,
    status: &'static str,
    tags: &'a [String],
    tools: Vec<ToolDoc<'a>>,
    trust: Option<TrustDoc>,
    vendor: Id<'a>,
}

#[derive(Serialize)]
struct OwnersDoc<'a> {
    accountable: Id<'a>,
    approver: Id<'a>,
    attested: Option<String>,
    incident: Id<'a>,
    operator: Id<'a>,
    remediation: Id<'a>,
    reviewers: Vec<&'a str>,
    revoker: Id<'a>,
}

#[derive(Serialize)]
struct IdentityDoc<'a> {
    #[serde(rename = "max-ttl")]
    max_ttl: Option<String>,
    #[serde(rename = "spiffe-id")]
    spiffe_id: Option<&'a str>,
    #[serde(rename = "type")]
    kind: Option<&'static str>,
}

#[derive(Serialize)]
struct ToolDoc<'a> {
    access: &'static str,
    decision: &'static str,
    from: Option<String>,
    id: &'a str,
    #[serde(rename = "min-confidence")]
    min_confidence: Option<u8>,
    system: Option<&'a str>,
    until: Option<String>,
}

#[derive(Serialize)]
struct TrustDoc {
    assessed: Option<String>,
    score: Option<u8>,
    threshold: Option<u8>,
}

impl<'a> AssetDoc<'a> {
    fn new(r: &'a ResolvedAsset<'a>, sources: &'a SourceMap) -> Self {
        let a = r.asset;
        let o = &a.owners;
        let raci = r
            .raci()
            .iter()
            .map(|row| {
                let mut letters: BTreeMap<&'static str, Vec<&'a str>> = BTreeMap::new();
                for cell in &row.cells {
                    for (letter, _) in &cell.letters {
                        letters
                            .entry(letter.name())
                            .or_default()
                            .push(cell.team.as_str());
                    }
                }
                (row.activity.id.as_str(), letters)
            })
            .collect();
        AssetDoc {
            controls: r.controls.iter().map(|c| c.id.value.as_str()).collect(),
            depends_on: a.depends_on.iter().map(|d| d.value.as_str()).collect(),
            description: a.description.as_deref(),
            environment: a.environment.value.name(),
            file: sources.name(a.file),
            id: a.id.value.as_str(),
            identity: a.identity.as_ref().map(|i| IdentityDoc {
                max_ttl: i.max_ttl.as_ref().map(|t| t.value.to_string()),
                spiffe_id: i.spiffe_id.as_ref().map(|s| s.value.as_str()),
                kind: i.kind.as_ref().map(|k| k.value.name()),
            }),
            kind: a.kind.value.name(),
            name: &a.name,
            owners: OwnersDoc {
                accountable: id(&o.accountable),
                approver: id(&o.approver),
                attested: o.attested.as_ref().map(|d| d.value.to_string()),
                incident: id(&o.incident),
                operator: id(&o.operator),
                remediation: id(&o.remediation),
                reviewers: o.reviewers.iter().map(|t| t.value.as_str()).collect(),
                revoker: id(&o.revoker),
            },
            raci,
            risk: a.risk.value.name(),
            status: a.status.value.name(),
            tags: &a.tags,
            tools: a
                .tools
                .iter()
                .map(|t| ToolDoc {
                    access: t.access.value.name(),
                    decision: t.decision.value.name(),
                    from: t.from.as_ref().map(|d| d.value.to_string()),
                    id: &t.id.value,
                    min_confidence: t.min_confidence.as_ref().map(|c| c.value),
                    system: t.system.as_deref(),
                    until: t.until.as_ref().map(|d| d.value.to_string()),
                })
                .collect(),
            trust: a.trust.as_ref().map(|t| TrustDoc {
                assessed: t.assessed.as_ref().map(|d| d.value.to_string()),
                score: t.score.as_ref().map(|s| s.value),
                threshold: t.threshold.as_ref().map(|s| s.value),
            }),
            vendor: id(&a.vendor),
        }
    }
}

#[derive(Serialize)]
struct ControlDoc<'a> {
    #[serde(rename = "applies-to")]
    applies_to: AppliesToDoc<'a>,
    enforce: Vec<&'static str>,
    evidence: Option<&'a str>,
    file: &'a str,
    id: &'a str,
    #[serde(rename = "maps-to")]
    maps_to: Vec<MappingDoc>,
    owner: Id<'a>,
    #[serde(rename = "retest-every")]
    retest_every: Option<String>,
    severity: &'static str,
    /// The last passing test.
    tested: Option<String>,
    title: &'a str,
}

#[derive(Serialize)]
struct AppliesToDoc<'a> {
    environments: Option<Vec<&'static str>>,
    kinds: Option<Vec<&'static str>>,
    risk: Option<Vec<&'static str>>,
    tags: Option<&'a [String]>,
}

#[derive(Serialize)]
struct MappingDoc {
    coverage: &'static str,
    #[serde(rename = "ref")]
    target: String,
}

impl<'a> ControlDoc<'a> {
    fn new(c: &'a Control, sources: &'a SourceMap) -> Self {
        let t = &c.applies_to;
        ControlDoc {
            applies_to: AppliesToDoc {
                environments: t
                    .environments
                    .as_ref()
                    .map(|v| v.iter().map(|e| e.name()).collect()),
                kinds: t
                    .kinds
                    .as_ref()
                    .map(|v| v.iter().map(|k| k.name()).collect()),
                risk: t
                    .risk
                    .as_ref()
                    .map(|v| v.iter().map(|r| r.name()).collect()),
                tags: t.tags.as_deref(),
            },
            enforce: c.enforce.iter().map(|e| e.name()).collect(),
            evidence: c.evidence.as_deref(),
            file: sources.name(c.file),
            id: c.id.value.as_str(),
            maps_to: c
                .maps_to
                .iter()
                .map(|m| MappingDoc {
                    coverage: m.coverage.name(),
                    target: m.target.to_string(),
                })
                .collect(),
            owner: c.owner.as_ref().map(|o| o.value.as_str()),
            retest_every: c.retest_every.as_ref().map(|d| d.value.to_string()),
            severity: c.severity.name(),
            tested: c.tested.as_ref().map(|d| d.value.to_string()),
            title: &c.title,
        }
    }
}
