//! Teams, assets, controls, exceptions and findings, with their defaults.

use super::catalogs::requirement_ref;
use super::{duplicate, team_ref, words};
use crate::diag::{Code, Diagnostic, Diags};
use crate::load::raw;
use crate::model::vocab::{self, Environment, FindingStatus, Level, TeamKind};
use crate::model::*;
use crate::source::{FileId, Sp, Span};

pub(super) fn add_team(model: &mut Model, file: FileId, t: &raw::Team, diags: &mut Diags) {
    let Some(id) = &t.id else { return };
    if let Some(first) = model.teams.get(id.value.as_str()) {
        return duplicate(diags, "team", id, first.id.span, id.span);
    }
    let team = Team {
        id: Sp::new(TeamId(id.value.clone()), id.span),
        file,
        name: t
            .name
            .as_ref()
            .map_or_else(|| id.value.clone(), |n| n.value.clone()),
        kind: t.kind.clone().unwrap_or(Sp::new(TeamKind::Team, id.span)),
        functions: t.functions.iter().map(|f| f.value.clone()).collect(),
        contact: t.contact.as_ref().map(|c| c.value.clone()),
        handle: t.handle.as_ref().and_then(|h| handle(h, diags)),
        parent: t.parent.as_ref().map(team_ref),
        active: t.active.clone().unwrap_or(Sp::new(true, id.span)),
    };
    model.teams.insert(team.id.value.clone(), team);
}

/// Parses a team's CODEOWNERS handle, reporting one that GitHub would
/// reject or that would smuggle another owner or line into the file.
fn handle(h: &Sp<String>, diags: &mut Diags) -> Option<Handle> {
    let parsed = Handle::parse(&h.value);
    if parsed.is_none() {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                h.span,
                format!(
                    "handle {:?} is not one @user, @org/team or e-mail address",
                    h.value
                ),
            )
            .help("write a single owner such as \"@acme/payments-eng\", \"@octocat\" or \"owner@acme.example\", without spaces"),
        );
    }
    parsed
}

fn owners(o: Option<&raw::Owners>, fallback: Span) -> Owners {
    match o {
        Some(o) => Owners {
            span: o.span,
            accountable: o.accountable.as_ref().map(team_ref),
            operator: o.operator.as_ref().map(team_ref),
            remediation: o.remediation.as_ref().map(team_ref),
            approver: o.approver.as_ref().map(team_ref),
            revoker: o.revoker.as_ref().map(team_ref),
            reviewers: o.reviewers.iter().map(team_ref).collect(),
            incident: o.incident.as_ref().map(team_ref),
            attested: o.attested.clone(),
        },
        None => Owners {
            span: fallback,
            accountable: None,
            operator: None,
            remediation: None,
            approver: None,
            revoker: None,
            reviewers: Vec::new(),
            incident: None,
            attested: None,
        },
    }
}

pub(super) fn add_asset(model: &mut Model, file: FileId, a: &raw::Asset, diags: &mut Diags) {
    let Some(id) = &a.id else {
        return;
    };
    // A kind that is missing or outside the vocabulary has been reported; the
    // asset stays in the model so its owners and the references to it are
    // still checked, as the kind with the fewest kind-specific rules.
    let kind = a
        .kind
        .clone()
        .unwrap_or(Sp::new(vocab::AssetKind::VendorService, id.span));
    if let Some(first) = model.assets.get(id.value.as_str()) {
        return duplicate(diags, "asset", id, first.id.span, id.span);
    }
    let tools = a
        .tools
        .iter()
        .filter_map(|t| {
            Some(Tool {
                span: t.span,
                id: t.id.clone()?,
                system: t.system.as_ref().map(|s| s.value.clone()),
                access: t
                    .access
                    .clone()
                    .unwrap_or(Sp::new(vocab::Access::Read, t.span)),
                decision: t
                    .decision
                    .clone()
                    .unwrap_or(Sp::new(vocab::Decision::Allow, t.span)),
                from: t.from.clone(),
                until: window_end(t, diags),
                min_confidence: t.min_confidence.clone().map(|s| s.map(|v| v as u8)),
            })
        })
        .collect();
    let asset = Asset {
        span: a.span,
        id: Sp::new(AssetId(id.value.clone()), id.span),
        file,
        name: a
            .name
            .as_ref()
            .map_or_else(|| id.value.clone(), |n| n.value.clone()),
        kind,
        environment: a
            .environment
            .clone()
            .unwrap_or(Sp::new(Environment::Production, id.span)),
        risk: a.risk.clone().unwrap_or(Sp::new(Level::Medium, id.span)),
        description: a.description.as_ref().map(|d| d.value.clone()),
        tags: a.tags.iter().map(|t| t.value.clone()).collect(),
        depends_on: a
            .depends_on
            .iter()
            .map(|d| Sp::new(AssetId(d.value.clone()), d.span))
            .collect(),
        vendor: a.vendor.as_ref().map(team_ref),
        status: a
            .status
            .clone()
            .unwrap_or(Sp::new(vocab::AssetStatus::Active, id.span)),
        owners: owners(a.owners.as_ref(), a.span),
        identity: a.identity.as_ref().map(|i| Identity {
            span: i.span,
            kind: i.kind.clone(),
            spiffe_id: i.spiffe_id.clone(),
            max_ttl: i.max_ttl.clone(),
        }),
        tools,
        trust: a.trust.as_ref().map(|t| Trust {
            span: t.span,
            score: t.score.clone().map(|s| s.map(|v| v as u8)),
            assessed: t.assessed.clone(),
            threshold: t.threshold.clone().map(|s| s.map(|v| v as u8)),
        }),
    };
    model.assets.insert(asset.id.value.clone(), asset);
}

/// Returns the tool's `until`, reporting one before its `from`: such a
/// grant never holds, and the error stops the build.
fn window_end(t: &raw::Tool, diags: &mut Diags) -> Option<Sp<jiff::civil::Date>> {
    let until = t.until.clone()?;
    if let Some(from) = &t.from {
        if from.value > until.value {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    until.span,
                    format!(
                        "the grant ends on {} before it starts on {}",
                        until.value, from.value
                    ),
                )
                .label(from.span, "the grant starts here")
                .help(
                    "`until` is the last day of the grant: make it the same day as `from` or later",
                ),
            );
        }
    }
    Some(until)
}

pub(super) fn add_control(model: &mut Model, file: FileId, c: &raw::Control, diags: &mut Diags) {
    let Some(id) = &c.id else { return };
    if let Some(first) = model.controls.get(id.value.as_str()) {
        return duplicate(diags, "control", id, first.id.span, id.span);
    }
    let applies_to = c
        .applies_to
        .as_ref()
        .map(|a| AppliesTo {
            kinds: words(&a.kinds),
            environments: words(&a.environments),
            risk: words(&a.risk),
            tags: a
                .tags
                .as_ref()
                .map(|t| t.iter().map(|s| s.value.clone()).collect()),
        })
        .unwrap_or_default();
    let maps_to = c
        .maps_to
        .iter()
        .filter_map(|m| {
            let target = requirement_ref(model, &m.reference, diags)?;
            Some(Mapping {
                span: m.reference.span,
                target,
                coverage: m.coverage,
            })
        })
        .collect();
    let mut enforce: Vec<_> = c.enforce.iter().map(|e| e.value).collect();
    enforce.sort();
    enforce.dedup();
    let control = Control {
        id: Sp::new(ControlId(id.value.clone()), id.span),
        file,
        title: c
            .title
            .as_ref()
            .map_or_else(|| id.value.clone(), |t| t.value.clone()),
        owner: c.owner.as_ref().map(team_ref),
        severity: c.severity.as_ref().map_or(Level::Medium, |s| s.value),
        applies_to,
        maps_to,
        enforce,
        retest_every: c.retest_every.clone(),
        tested: c.tested.clone(),
        evidence: c.evidence.as_ref().map(|e| e.value.clone()),
    };
    model.controls.insert(control.id.value.clone(), control);
}

pub(super) fn add_exception(
    model: &mut Model,
    file: FileId,
    e: &raw::Exception,
    diags: &mut Diags,
) {
    let (Some(id), Some(asset), Some(control), Some(approved_by), Some(granted), Some(expires)) = (
        &e.id,
        &e.asset,
        &e.control,
        &e.approved_by,
        &e.granted,
        &e.expires,
    ) else {
        return;
    };
    if let Some(first) = model.exceptions.get(id.value.as_str()) {
        return duplicate(diags, "exception", id, first.id.span, id.span);
    }
    if expires.value < granted.value {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                expires.span,
                "exception expires before it is granted",
            )
            .label(granted.span, "granted here"),
        );
    }
    let exception = Exception {
        id: Sp::new(ExceptionId(id.value.clone()), id.span),
        file,
        asset: Sp::new(AssetId(asset.value.clone()), asset.span),
        control: Sp::new(ControlId(control.value.clone()), control.span),
        approved_by: team_ref(approved_by),
        reason: e.reason.as_ref().map(|r| r.value.clone()),
        granted: granted.clone(),
        expires: expires.clone(),
        compensating: e
            .compensating
            .iter()
            .map(|c| Sp::new(ControlId(c.value.clone()), c.span))
            .collect(),
    };
    model
        .exceptions
        .insert(exception.id.value.clone(), exception);
}

pub(super) fn add_finding(model: &mut Model, file: FileId, f: &raw::Finding, diags: &mut Diags) {
    let (Some(id), Some(asset), Some(control), Some(opened)) =
        (&f.id, &f.asset, &f.control, &f.opened)
    else {
        return;
    };
    if let Some(first) = model.findings.get(id.value.as_str()) {
        return duplicate(diags, "finding", id, first.id.span, id.span);
    }
    let severity = f.severity.as_ref().map(|s| s.value).unwrap_or_else(|| {
        model
            .controls
            .get(control.value.as_str())
            .map_or(Level::Medium, |c| c.severity)
    });
    let finding = Finding {
        id: Sp::new(FindingId(id.value.clone()), id.span),
        file,
        asset: Sp::new(AssetId(asset.value.clone()), asset.span),
        control: Sp::new(ControlId(control.value.clone()), control.span),
        severity,
        opened: opened.clone(),
        status: f
            .status
            .clone()
            .unwrap_or(Sp::new(FindingStatus::Open, id.span)),
        retest_by: f.retest_by.clone(),
        source: f.source.as_ref().map(|s| s.value.clone()),
        closure: Closure {
            closed: f.closed.clone(),
            closed_by: f.closed_by.as_ref().map(team_ref),
            retested: f.retested.clone(),
            root_cause: f.root_cause.clone(),
            signed_off_by: f.signed_off_by.as_ref().map(team_ref),
        },
    };
    model.findings.insert(finding.id.value.clone(), finding);
}
