//! Exception rules: exceptions are time-bound, approved by the accountable
//! owner (or a policy approver), apply to a control that applies, and expire
//! with notice.

use super::days_between;
use crate::diag::{Acting, Code, Diagnostic, Diags, Subject};
use crate::model::Model;
use jiff::civil::Date;

/// Every code this rule reports.
pub const CODES: &[Code] = &[
    Code::ExceptionExpired,
    Code::ExceptionExpiring,
    Code::ExceptionTooLong,
    Code::ExceptionApprover,
    Code::ExceptionNotApplicable,
];

pub fn check(model: &Model, today: Date, diags: &mut Diags) {
    let policy = &model.settings.policy;
    for e in model.exceptions.values() {
        let subject = Subject {
            asset: Some(e.asset.value.to_string()),
            control: Some(e.control.value.to_string()),
            exception: Some(e.id.value.to_string()),
            due: Some(e.expires.value),
            ..Subject::new(Acting::Accountable)
        };
        // An exception holds through its expiry day.
        let left = days_between(today, e.expires.value);
        if left < 0 {
            diags.push(
                Diagnostic::new(
                    Code::ExceptionExpired,
                    e.expires.span,
                    format!("exception `{}` expired on {}", e.id.value, e.expires.value),
                )
                .about(subject)
                .help("remediate and remove the exception, or have the accountable owner renew it"),
            );
        } else if left <= policy.expiry_notice.whole_days() {
            let when = super::expires(e.expires.value, left);
            diags.push(
                Diagnostic::new(
                    Code::ExceptionExpiring,
                    e.expires.span,
                    format!("exception `{}` {when}", e.id.value),
                )
                .about(subject)
                .help("remediate before it expires, or have the accountable owner review and renew it"),
            );
        }
        let length = days_between(e.granted.value, e.expires.value);
        if length > policy.max_exception_days {
            diags.push(
                Diagnostic::new(
                    Code::ExceptionTooLong,
                    e.expires.span,
                    format!("exception `{}` runs {length} days, longer than policy.max-exception-days ({})", e.id.value, policy.max_exception_days),
                )
                .label(e.granted.span, "granted here")
                .help("grant exceptions for a bounded time and renew them after review"),
            );
        }
        let Some(asset) = model.assets.get(&e.asset.value) else {
            continue;
        };
        let by_owner = asset
            .owners
            .accountable
            .as_ref()
            .is_some_and(|a| a.value == e.approved_by.value);
        let by_policy = policy
            .exception_approvers
            .iter()
            .any(|a| a.value == e.approved_by.value);
        if !by_owner && !by_policy {
            let mut d = Diagnostic::new(
                Code::ExceptionApprover,
                e.approved_by.span,
                format!(
                    "exception `{}` is approved by `{}`, who cannot accept risk for `{}`",
                    e.id.value, e.approved_by.value, asset.id.value
                ),
            );
            if let Some(a) = &asset.owners.accountable {
                d = d.label(a.span, format!("the accountable owner is `{}`", a.value));
            }
            diags.push(d.help("exceptions are approved by the asset's accountable owner or a team in policy.exception-approvers"));
        }
        if let Some(control) = model.controls.get(&e.control.value) {
            if !control.applies_to.matches(asset) {
                diags.push(
                    Diagnostic::new(
                        Code::ExceptionNotApplicable,
                        e.control.span,
                        format!(
                            "control `{}` does not apply to `{}`, so there is nothing to except",
                            control.id.value, asset.id.value
                        ),
                    )
                    .label(control.id.span, "control declared here")
                    .help("remove the exception, or correct its asset or control"),
                );
            }
        }
    }
}
