//! Finding rules: open findings escalate past their severity's window or a
//! missed retest date, and an accepted finding needs an unexpired exception.

use super::days_between;
use crate::diag::{Code, Diagnostic, Diags};
use crate::model::vocab::FindingStatus;
use crate::model::{Finding, Model};
use jiff::civil::Date;

pub fn check(model: &Model, today: Date, diags: &mut Diags) {
    for f in model.findings.values() {
        match f.status.value {
            FindingStatus::Open => open(model, f, today, diags),
            FindingStatus::Accepted => accepted(model, f, today, diags),
            FindingStatus::Remediated => {}
        }
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
