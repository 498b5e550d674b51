//! Ownership rules: every asset has a named accountable owner who is not a
//! vendor, roles are held by active teams, duties are separated, ownership
//! is re-attested, and no team is accountable for too much. A retired asset
//! is exempt: nobody operates, approves or attests it any more.

use super::{days_after, days_between};
use crate::diag::{Acting, Code, Diagnostic, Diags, Subject};
use crate::model::vocab::{AssetKind, AssetStatus, Decision, Environment, Level, Role};
use crate::model::{Asset, Model, TeamId};
use crate::source::{FileId, Sp};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Every code this rule reports.
pub const CODES: &[Code] = &[
    Code::MissingOwner,
    Code::InactiveOwner,
    Code::VendorAccountable,
    Code::GovernanceRemediation,
    Code::RemediationWithoutAuthority,
    Code::OperatorIsAccountable,
    Code::SelfApproval,
    Code::AttestationStale,
    Code::OwnersMixedInFile,
    Code::OwnerOverloaded,
];

/// The checks of the warnings and infos that someone keeps
/// ([`Diags::wants`]): the others are skipped.
struct Wanted {
    remediation: bool,
    operator_accountable: bool,
    self_approval: bool,
    attestation: bool,
    overloaded: bool,
}

pub fn check(model: &Model, today: Date, diags: &mut Diags) {
    let wanted = Wanted {
        remediation: diags.wants(Code::GovernanceRemediation)
            || diags.wants(Code::RemediationWithoutAuthority),
        operator_accountable: diags.wants(Code::OperatorIsAccountable),
        self_approval: diags.wants(Code::SelfApproval),
        attestation: diags.wants(Code::AttestationStale),
        overloaded: diags.wants(Code::OwnerOverloaded),
    };
    let mut accountable_for: BTreeMap<&TeamId, usize> = BTreeMap::new();
    for asset in model.assets.values() {
        if asset.status.value == AssetStatus::Retired {
            continue;
        }
        missing_owner(asset, diags);
        inactive_owner(model, asset, diags);
        separation(model, asset, &wanted, diags);
        if wanted.attestation {
            attestation(model, asset, today, diags);
        }
        if let (true, Some(a)) = (wanted.overloaded, &asset.owners.accountable) {
            *accountable_for.entry(&a.value).or_default() += 1;
        }
    }
    for control in model.controls.values() {
        match &control.owner {
            None => diags.push(
                Diagnostic::new(
                    Code::MissingOwner,
                    control.id.span,
                    format!("control `{}` has no owner", control.id.value),
                )
                .help("add `owner = \"<team>\"`: shared responsibility only works when each control has a named owner"),
            ),
            Some(owner) => inactive(model, owner, "owner", diags),
        }
    }
    if diags.wants(Code::OwnersMixedInFile) {
        mixed_in_file(model, diags);
    }
    let max = model.settings.policy.max_accountable;
    for (team, count) in accountable_for {
        if count > max {
            if let Some(t) = model.teams.get(team) {
                diags.push(
                    Diagnostic::new(
                        Code::OwnerOverloaded,
                        t.id.span,
                        format!("team `{team}` is accountable for {count} assets, more than policy.max-accountable ({max})"),
                    )
                    .help("spread accountability across teams, or raise policy.max-accountable"),
                );
            }
        }
    }
}

fn missing_owner(asset: &Asset, diags: &mut Diags) {
    let o = &asset.owners;
    if o.accountable.is_none() {
        diags.push(
            Diagnostic::new(
                Code::MissingOwner,
                o.span,
                format!("asset `{}` has no accountable owner", asset.id.value),
            )
            .label(asset.id.span, "asset declared here")
            .help("add `accountable = \"<team>\"` under [asset.owners]: the team or person who approved the use case and can accept risk"),
        );
    }
    let needs_all = asset.environment.value == Environment::Production
        && matches!(
            asset.kind.value,
            AssetKind::Agent | AssetKind::McpServer | AssetKind::Nhi
        );
    if !needs_all {
        return;
    }
    let missing: Vec<&str> = Role::OPERATIONAL
        .into_iter()
        .filter(|role| o.get(*role).is_empty())
        .map(Role::name)
        .collect();
    if !missing.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::MissingOwner,
                o.span,
                format!(
                    "production {} `{}` has no {}",
                    asset.kind.value,
                    asset.id.value,
                    missing.join(", ")
                ),
            )
            .label(asset.kind.span, format!("a production {} needs every operational role", asset.kind.value))
            .help("name the team that runs it, the one that can change it, and separate teams that approve and revoke its access"),
        );
    }
}

fn inactive(model: &Model, team: &Sp<TeamId>, role: &str, diags: &mut Diags) {
    let Some(t) = model.teams.get(&team.value) else {
        return;
    };
    if !t.active.value {
        diags.push(
            Diagnostic::new(
                Code::InactiveOwner,
                team.span,
                format!("`{role}` names `{}`, which is no longer active", team.value),
            )
            .label(
                t.active.span,
                format!("`{}` declared inactive here", team.value),
            )
            .help("hand the role to an active team; an owner that left leaves its assets orphaned"),
        );
    }
}

fn inactive_owner(model: &Model, asset: &Asset, diags: &mut Diags) {
    for (role, team) in asset.owners.named() {
        inactive(model, team, role.name(), diags);
    }
}

fn separation(model: &Model, asset: &Asset, wanted: &Wanted, diags: &mut Diags) {
    let o = &asset.owners;
    if let Some(a) = &o.accountable {
        if let Some(t) = model.teams.get(&a.value) {
            if t.kind.value == crate::model::vocab::TeamKind::Vendor {
                diags.push(
                    Diagnostic::new(
                        Code::VendorAccountable,
                        a.span,
                        format!("vendor `{}` is the accountable owner of `{}`", a.value, asset.id.value),
                    )
                    .label(t.kind.span, "declared a vendor here")
                    .help("vendor liability does not replace internal accountability: name an internal team, and record the vendor under `vendor`"),
                );
            }
        }
    }
    if let (true, Some(r)) = (wanted.remediation, &o.remediation) {
        if let Some(t) = model.teams.get(&r.value) {
            if model.is_governance_function(t) {
                diags.push(
                    Diagnostic::new(
                        Code::GovernanceRemediation,
                        r.span,
                        format!("remediation of `{}` is assigned to governance function `{}`", asset.id.value, r.value),
                    )
                    .label(t.id.span, format!("`{}` is a governance function (policy.governance-functions)", r.value))
                    .help("a governance function tracks findings; name the team that can change the asset"),
                );
            }
            if model.is_triage_queue(t) {
                diags.push(
                    Diagnostic::new(
                        Code::RemediationWithoutAuthority,
                        r.span,
                        format!("remediation of `{}` is assigned to `{}`, a triage queue that cannot change it", asset.id.value, r.value),
                    )
                    .label(t.id.span, format!("every function of `{}` is in policy.triage-functions", r.value))
                    .help("a triage queue routes findings; name the team that can change the asset"),
                );
            }
        }
    }
    if let (true, Some(a), Some(op)) = (wanted.operator_accountable, &o.accountable, &o.operator) {
        if a.value == op.value && asset.risk.value >= Level::High {
            diags.push(
                Diagnostic::new(
                    Code::OperatorIsAccountable,
                    op.span,
                    format!("`{}` both operates and is accountable for {} asset `{}`", op.value, asset.risk.value, asset.id.value),
                )
                .label(a.span, "also the accountable owner")
                .help("for high-risk use, the team accepting the risk should not be the one operating the asset"),
            );
        }
    }
    if !wanted.self_approval {
        return;
    }
    let self_approval_kind = matches!(asset.kind.value, AssetKind::Agent | AssetKind::McpServer);
    if let (Some(ap), Some(op)) = (&o.approver, &o.operator) {
        if self_approval_kind
            && asset.environment.value == Environment::Production
            && ap.value == op.value
        {
            diags.push(
                Diagnostic::new(
                    Code::SelfApproval,
                    ap.span,
                    format!(
                        "`{}` approves the access of production {} `{}` that it operates",
                        ap.value, asset.kind.value, asset.id.value
                    ),
                )
                .label(op.span, "also the operator")
                .help("approval must be separate from operation: name another team as approver"),
            );
            return;
        }
    }
    runtime_self_approval(asset, diags);
}

/// Warns where the team whose approval the runtime asks for operates the
/// asset: the bundles never count an operator's approval, so its step-up
/// calls and calls under a confidence floor can never be approved.
fn runtime_self_approval(asset: &Asset, diags: &mut Diags) {
    let o = &asset.owners;
    let (Some(approving), Some(op)) = (o.approving(), &o.operator) else {
        return;
    };
    let needs_approval = asset
        .tools
        .iter()
        .find(|t| t.decision.value == Decision::StepUp || t.min_confidence.is_some());
    let Some(tool) = needs_approval else { return };
    if approving.value != op.value {
        return;
    }
    let role = if o.approver.is_some() {
        ""
    } else {
        " as its accountable owner (it names no approver)"
    };
    diags.push(
        Diagnostic::new(
            Code::SelfApproval,
            approving.span,
            format!(
                "`{}` approves the runtime calls of `{}`{role} and also operates it, so no approval of its calls can count",
                approving.value, asset.id.value
            ),
        )
        .label(op.span, "also the operator")
        .label(tool.id.span, format!("`{}` needs a human approval", tool.id.value))
        .help("approval must be separate from operation: name another team as approver"),
    );
}

fn attestation(model: &Model, asset: &Asset, today: Date, diags: &mut Diags) {
    let max = model.settings.policy.attestation_max_age;
    match &asset.owners.attested {
        Some(attested) => {
            let age = days_between(attested.value, today);
            if age > max.whole_days() {
                diags.push(
                    Diagnostic::new(
                        Code::AttestationStale,
                        attested.span,
                        format!("ownership of `{}` was last attested {age} days ago, over policy.attestation-max-age ({max})", asset.id.value),
                    )
                    .about(Subject {
                        asset: Some(asset.id.value.to_string()),
                        due: days_after(attested.value, max.whole_days()),
                        ..Subject::new(Acting::Accountable)
                    })
                    .help("ask the accountable owner to confirm ownership and update `attested`"),
                );
            }
        }
        None if asset.risk.value >= Level::High => diags.push(
            Diagnostic::new(
                Code::AttestationStale,
                asset.owners.span,
                format!("{} asset `{}` has no ownership attestation", asset.risk.value, asset.id.value),
            )
            .label(asset.risk.span, format!("risk is {}", asset.risk.value))
            .about(Subject {
                asset: Some(asset.id.value.to_string()),
                ..Subject::new(Acting::Accountable)
            })
            .help("add `attested = YYYY-MM-DD` under [asset.owners] once the accountable owner confirms"),
        ),
        None => {}
    }
}

/// Warns where one declaration file holds assets of several accountable
/// owners: CODEOWNERS lets any owner of a file approve a change to it, so
/// each of them approves changes to the others' assets.
fn mixed_in_file(model: &Model, diags: &mut Diags) {
    let mut first: BTreeMap<FileId, BTreeMap<&TeamId, &Sp<TeamId>>> = BTreeMap::new();
    for asset in model.assets.values() {
        if let Some(a) = &asset.owners.accountable {
            first
                .entry(asset.file)
                .or_default()
                .entry(&a.value)
                .or_insert(a);
        }
    }
    for owners in first.values() {
        let mut owners = owners.values().copied().collect::<Vec<_>>();
        // The owner declared first in the file is the one the others join.
        owners.sort_by_key(|o| o.span.start);
        let Some((lead, others)) = owners.split_first() else {
            continue;
        };
        for other in others {
            diags.push(
                Diagnostic::new(
                    Code::OwnersMixedInFile,
                    other.span,
                    format!(
                        "`{}` and `{}` are accountable for assets in one file, so either approves changes to the other's",
                        other.value, lead.value
                    ),
                )
                .label(lead.span, format!("`{}` is accountable here", lead.value))
                .help("CODEOWNERS lets any owner of a file approve it; move each owner's assets into a file of their own"),
            );
        }
    }
}
