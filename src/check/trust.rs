//! Trust rules: a score under its threshold is escalated to the owners, and
//! a score nobody refreshed within policy.trust-max-age is stale, since it
//! still decides escalation and runtime restrictions.

use super::{days_after, days_between};
use crate::diag::{Acting, Code, Diagnostic, Diags, Subject};
use crate::model::{Asset, Model};
use jiff::civil::Date;

/// Every code this rule reports.
pub const CODES: &[Code] = &[Code::TrustBelowThreshold, Code::TrustStale];

pub fn check(model: &Model, today: Date, diags: &mut Diags) {
    let (below, stale_too) = (
        diags.wants(Code::TrustBelowThreshold),
        diags.wants(Code::TrustStale),
    );
    for asset in model.assets.values() {
        if below {
            threshold(model, asset, diags);
        }
        if stale_too {
            stale(model, asset, today, diags);
        }
    }
}

fn threshold(model: &Model, asset: &Asset, diags: &mut Diags) {
    let Some(trust) = &asset.trust else { return };
    let Some(score) = &trust.score else { return };
    let threshold = trust
        .threshold
        .as_ref()
        .map_or(model.settings.policy.trust_threshold, |t| t.value);
    if score.value >= threshold {
        return;
    }
    let name = |t: &Option<crate::source::Sp<crate::model::TeamId>>| {
        t.as_ref()
            .map_or_else(|| "nobody".to_string(), |t| format!("`{}`", t.value))
    };
    let o = &asset.owners;
    let mut d = Diagnostic::new(
        Code::TrustBelowThreshold,
        score.span,
        format!(
            "trust score of `{}` is {}, under its threshold of {threshold}: escalate to accountable owner {} and remediation owner {}",
            asset.id.value,
            score.value,
            name(&o.accountable),
            name(&o.remediation)
        ),
    );
    if let Some(t) = &trust.threshold {
        d = d.label(t.span, "threshold set here");
    }
    // Due now: the score is under its threshold whenever it was assessed.
    let subject = Subject {
        asset: Some(asset.id.value.to_string()),
        ..Subject::new(Acting::Remediation)
    };
    diags.push(d.about(subject).help("the owners review the asset; runtime checks under `trust-threshold` restrict it to read tools"));
}

fn stale(model: &Model, asset: &Asset, today: Date, diags: &mut Diags) {
    let Some(trust) = &asset.trust else { return };
    let Some(score) = &trust.score else { return };
    let max = model.settings.policy.trust_max_age;
    let subject = |due| Subject {
        asset: Some(asset.id.value.to_string()),
        due,
        ..Subject::new(Acting::Accountable)
    };
    match &trust.assessed {
        None => diags.push(
            Diagnostic::new(
                Code::TrustStale,
                score.span,
                format!("the trust score of `{}` has no `assessed` date, so nobody can tell whether it is current", asset.id.value),
            )
            .about(subject(None))
            .help("add `assessed = YYYY-MM-DD` to [asset.trust] when the score is assessed"),
        ),
        Some(assessed) => {
            let age = days_between(assessed.value, today);
            if age > max.whole_days() {
                let due = days_after(assessed.value, max.whole_days());
                diags.push(
                    Diagnostic::new(
                        Code::TrustStale,
                        assessed.span,
                        format!("the trust score of `{}` was assessed {age} days ago, over policy.trust-max-age ({max})", asset.id.value),
                    )
                    .label(score.span, "this score still decides escalation and runtime restrictions")
                    .about(subject(due))
                    .help("have the score reassessed and update `assessed`"),
                );
            }
        }
    }
}
