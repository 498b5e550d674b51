//! Signer rules: a release signer's key is renewed before it expires, so a
//! release is never blocked, or signed by a key about to lapse.

use super::days_between;
use crate::diag::{Acting, Code, Diagnostic, Diags, Subject};
use crate::model::Model;
use jiff::civil::Date;

/// Every code this rule reports.
pub const CODES: &[Code] = &[Code::SignerExpiring];

pub fn check(model: &Model, today: Date, diags: &mut Diags) {
    let notice = model.settings.policy.expiry_notice;
    for signer in &model.settings.signers {
        let Some(expires) = &signer.expires else {
            continue;
        };
        // A signer holds through its expiry day.
        let left = days_between(today, expires.value);
        if left > notice.whole_days() {
            continue;
        }
        let when = match left {
            ..0 => format!(
                "expired on {}: releases cannot be signed with its key",
                expires.value
            ),
            n => super::expires(expires.value, n),
        };
        diags.push(
            Diagnostic::new(
                Code::SignerExpiring,
                expires.span,
                format!("signer `{}` of team `{}` {when}", signer.id.value, signer.team.value),
            )
            .about(Subject {
                signer: Some(signer.id.value.clone()),
                due: Some(expires.value),
                ..Subject::new(Acting::Signer)
            })
            .help("declare the signer's next key as another [[signer]], or extend `expires` after review"),
        );
    }
}
