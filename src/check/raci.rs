//! The RACI rule: every activity resolves, for every asset, to an
//! accountable and a responsible team.

use crate::diag::{Code, Diagnostic, Diags};
use crate::model::{raci, Asset, Model};
use rayon::prelude::*;

/// Every code this rule reports.
pub const CODES: &[Code] = &[Code::RaciIncomplete];

pub fn check(model: &Model, diags: &mut Diags) {
    let found: Vec<Vec<Diagnostic>> = model
        .assets
        .values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|asset| asset_gaps(model, asset))
        .collect();
    for diagnostic in found.into_iter().flatten() {
        diags.push(diagnostic);
    }
}

fn asset_gaps(model: &Model, asset: &Asset) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Without an accountable owner every activity is incomplete; the
    // missing-owner diagnostic already says so once.
    if asset.owners.accountable.is_none() {
        return diags;
    }
    let names = |role| raci::names_any(model, asset, role);
    for (activity, no_accountable, no_responsible) in raci::gaps(model, names) {
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
                format!(
                    "activity `{}` has {missing} for `{}`",
                    activity.id, asset.id.value
                ),
            )
            .help(format!(
                "name the owner roles that `{}` uses under [asset.owners], \
                 or change the activity in governance.toml",
                activity.id
            )),
        );
    }
    diags
}
