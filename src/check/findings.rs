//! Finding rules: open findings escalate past their severity's window or a
//! missed retest date, and an accepted finding needs an unexpired exception.
//! A finding leaves open with a full record: closed by a team that can
//! change the asset, after a retest, with its root cause, and signed off by
//! the accountable owner.

use super::{days_after, days_between};
use crate::diag::{Acting, Code, Diagnostic, Diags, Subject};
use crate::load::format::finding as field;
use crate::model::vocab::FindingStatus;
use crate::model::{Finding, Model};
use jiff::civil::Date;

/// Every code this rule reports.
pub const CODES: &[Code] = &[
    Code::FindingClosureIncomplete,
    Code::FindingClosedByGovernance,
    Code::RemediationWithoutAuthority,
    Code::FindingEscalation,
    Code::FindingRetestOverdue,
    Code::FindingAcceptedWithoutException,
];

pub fn check(model: &Model, today: Date, diags: &mut Diags) {
    // The checks of warnings that no one keeps are skipped.
    let opened = diags.wants(Code::FindingEscalation) || diags.wants(Code::FindingRetestOverdue);
    let closed = diags.wants(Code::FindingClosureIncomplete);
    let closer = diags.wants(Code::FindingClosedByGovernance)
        || diags.wants(Code::RemediationWithoutAuthority);
    for f in model.findings.values() {
        match f.status.value {
            FindingStatus::Open if opened => open(model, f, today, diags),
            FindingStatus::Open => {}
            FindingStatus::Accepted => {
                accepted(model, f, today, diags);
                if closed {
                    closure(model, f, today, diags);
                }
            }
            FindingStatus::Remediated if closed => closure(model, f, today, diags),
            FindingStatus::Remediated => {}
        }
        if closer {
            closed_by(model, f, diags);
        }
    }
}

/// What a finding's diagnostic asks the owner in `acts` to do, due on `due`.
fn subject(f: &Finding, acts: Acting, due: Option<Date>) -> Subject {
    Subject {
        asset: Some(f.asset.value.to_string()),
        control: Some(f.control.value.to_string()),
        finding: Some(f.id.value.to_string()),
        due,
        ..Subject::new(acts)
    }
}

/// Reports what the closing record of a remediated or accepted finding
/// lacks, in one diagnostic that names every missing part.
fn closure(model: &Model, f: &Finding, today: Date, diags: &mut Diags) {
    let c = &f.closure;
    let remediated = f.status.value == FindingStatus::Remediated;
    // The parts of the record, each by its key in the format's table; a
    // remediated finding needs them all, an accepted one its closing day
    // and sign-off.
    let parts = [
        (&field::CLOSED, c.closed.is_some(), true),
        (&field::CLOSED_BY, c.closed_by.is_some(), remediated),
        (&field::RETESTED, c.retested.is_some(), remediated),
        (&field::ROOT_CAUSE, c.root_cause.is_some(), remediated),
        (&field::SIGNED_OFF_BY, c.signed_off_by.is_some(), true),
    ];
    let missing: Vec<String> = parts
        .iter()
        .filter(|(_, present, needed)| *needed && !present)
        .map(|(part, _, _)| format!("`{}`", part.key))
        .collect();
    let mut problems = Vec::new();
    // The team that fixed it completes the record of a remediated finding;
    // the accountable owner signs off, and alone closes an accepted one.
    let record_missing = remediated && parts[..4].iter().any(|(_, present, _)| !present);
    let mut acts = if record_missing {
        Acting::Remediation
    } else {
        Acting::Accountable
    };
    if !missing.is_empty() {
        problems.push(format!("no {}", join(&missing)));
    }
    let mut labels = Vec::new();
    if let (true, Some(retested)) = (remediated, &c.retested) {
        if retested.value < f.opened.value {
            problems.push(format!(
                "it was retested on {}, before it was opened",
                retested.value
            ));
            acts = Acting::Remediation;
            labels.push((retested.span, "retested here".to_string()));
        }
    }
    let accountable = model
        .assets
        .get(&f.asset.value)
        .and_then(|a| a.owners.accountable.as_ref());
    if let (Some(signed), Some(owner)) = (&c.signed_off_by, accountable) {
        if signed.value != owner.value {
            problems.push(format!(
                "it is signed off by `{}`, not by the accountable owner `{}`",
                signed.value, owner.value
            ));
            labels.push((
                owner.span,
                format!("the accountable owner is `{}`", owner.value),
            ));
        }
    }
    if problems.is_empty() {
        return;
    }
    let mut d = Diagnostic::new(
        Code::FindingClosureIncomplete,
        f.status.span,
        format!(
            "{} finding `{}` has an incomplete closing record: {}",
            f.status.value,
            f.id.value,
            problems.join("; ")
        ),
    );
    for (span, text) in labels {
        d = d.label(span, text);
    }
    let help = if remediated {
        "a remediated finding records `closed`, `closed-by` (the team that fixed it), `retested` (on or after `opened`), `root-cause` and `signed-off-by` (the asset's accountable owner)"
    } else {
        "an accepted finding records `closed` and `signed-off-by` (the asset's accountable owner, who accepts the risk)"
    };
    // Due when it left open; a closing day still ahead is due now.
    let due = c
        .closed
        .as_ref()
        .map_or(f.opened.value, |d| d.value)
        .min(today);
    diags.push(d.about(subject(f, acts, Some(due))).help(help));
}

/// Reports a finding closed by a governance function that does not own its
/// remediation, or by a triage queue that cannot change the asset.
fn closed_by(model: &Model, f: &Finding, diags: &mut Diags) {
    let Some(by) = &f.closure.closed_by else {
        return;
    };
    let Some(team) = model.teams.get(&by.value) else {
        return;
    };
    let remediation = model
        .assets
        .get(&f.asset.value)
        .and_then(|a| a.owners.remediation.as_ref());
    if model.is_governance_function(team) && remediation.is_none_or(|r| r.value != by.value) {
        let mut d = Diagnostic::new(
            Code::FindingClosedByGovernance,
            by.span,
            format!(
                "finding `{}` was closed by governance function `{}`, not by the team that remediates `{}`",
                f.id.value, by.value, f.asset.value
            ),
        )
        .label(team.id.span, format!("`{}` is a governance function (policy.governance-functions)", by.value));
        if let Some(r) = remediation {
            d = d.label(r.span, format!("the remediation owner is `{}`", r.value));
        }
        diags.push(d.help("a governance function tracks the finding; the remediation owner fixes the root cause and closes it"));
    }
    if model.is_triage_queue(team) {
        diags.push(
            Diagnostic::new(
                Code::RemediationWithoutAuthority,
                by.span,
                format!(
                    "finding `{}` was closed by `{}`, a triage queue that cannot change `{}`",
                    f.id.value, by.value, f.asset.value
                ),
            )
            .label(
                team.id.span,
                format!(
                    "every function of `{}` is in policy.triage-functions",
                    by.value
                ),
            )
            .help("the team that changed the asset closes the finding"),
        );
    }
}

/// Joins the missing fields as prose: "a", "a or b", "a, b or c".
fn join(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn owners(model: &Model, f: &Finding) -> String {
    let Some(asset) = model.assets.get(&f.asset.value) else {
        return String::new();
    };
    let o = &asset.owners;
    let names: Vec<String> = [&o.accountable, &o.remediation]
        .into_iter()
        .flatten()
        .map(|t| format!("`{}`", t.value))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(": escalate to {}", names.join(" and "))
    }
}

fn open(model: &Model, f: &Finding, today: Date, diags: &mut Diags) {
    let window = model.settings.policy.escalation_for(f.severity);
    let age = days_between(f.opened.value, today);
    if age > window.whole_days() {
        diags.push(
            Diagnostic::new(
                Code::FindingEscalation,
                f.opened.span,
                format!("{} finding `{}` has been open {age} days, past its escalation window of {window}{}", f.severity, f.id.value, owners(model, f)),
            )
            .about(subject(f, Acting::Remediation, days_after(f.opened.value, window.whole_days())))
            .help("remediate the finding, or accept it with an exception approved by the accountable owner"),
        );
    }
    if let Some(retest) = &f.retest_by {
        if retest.value < today {
            diags.push(
                Diagnostic::new(
                    Code::FindingRetestOverdue,
                    retest.span,
                    format!(
                        "finding `{}` was due for retest on {}{}",
                        f.id.value,
                        retest.value,
                        owners(model, f)
                    ),
                )
                .about(subject(f, Acting::Remediation, Some(retest.value)))
                .help("retest the control and record the result, or set a new retest-by date"),
            );
        }
    }
}

fn accepted(model: &Model, f: &Finding, today: Date, diags: &mut Diags) {
    let covered = model
        .exceptions_for(&f.asset.value)
        .any(|e| e.control.value == f.control.value && e.expires.value >= today);
    if !covered {
        diags.push(
            Diagnostic::new(
                Code::FindingAcceptedWithoutException,
                f.status.span,
                format!("finding `{}` is accepted, but no unexpired exception covers `{}` on `{}`", f.id.value, f.control.value, f.asset.value),
            )
            .help("record the accepted risk as an [[exception]] approved by the accountable owner, with an expiry date"),
        );
    }
}
