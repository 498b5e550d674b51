//! The RACI rule: every activity resolves, for every asset, to an
//! accountable and a responsible team.

use crate::diag::{Code, Diagnostic, Diags};
use crate::model::{raci, Model};

pub fn check(model: &Model, diags: &mut Diags) {
    for asset in model.assets.values() {
        // Without an accountable owner every activity is incomplete; the
        // missing-owner diagnostic already says so once.
        if asset.owners.accountable.is_none() {
            continue;
        }
        let roles = raci::RoleTeams::of(model, asset);
        for (activity, no_accountable, no_responsible) in raci::gaps(model, &roles) {
            let missing = match (no_accountable, no_responsible) {
                (true, true) => "no accountable and no responsible team",
                (true, false) => "no accountable team",
                (false, true) => "no responsible team",
                (false, false) => continue,
            };
            diags.push(
                Diagnostic::new(
                    Code::RaciIncomplete,
                    asset.owners.span,
                    format!("activity `{}` has {missing} for `{}`", activity.id, asset.id.value),
                )
                .help(format!(
                    "name the owner roles that `{}` uses under [asset.owners], or change the activity in governance.toml",
                    activity.id
                )),
            );
        }
    }
}
