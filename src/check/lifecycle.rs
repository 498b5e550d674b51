//! Lifecycle rules: an asset that is still live (active or suspended) does
//! not depend on one that has been retired.

use crate::diag::{Acting, Code, Diagnostic, Diags, Subject};
use crate::model::vocab::AssetStatus;
use crate::model::Model;

/// Every code this rule reports.
pub const CODES: &[Code] = &[Code::DependsOnRetired];

pub fn check(model: &Model, diags: &mut Diags) {
    for asset in model.assets.values() {
        if asset.status.value == AssetStatus::Retired {
            continue;
        }
        for dependency in &asset.depends_on {
            let Some(target) = model.assets.get(&dependency.value) else {
                continue;
            };
            if target.status.value != AssetStatus::Retired {
                continue;
            }
            diags.push(
                Diagnostic::new(
                    Code::DependsOnRetired,
                    dependency.span,
                    format!(
                        "{} asset `{}` depends on `{}`, which is retired",
                        asset.status.value, asset.id.value, target.id.value
                    ),
                )
                .label(
                    target.status.span,
                    format!("`{}` retired here", target.id.value),
                )
                .about(Subject {
                    asset: Some(asset.id.value.to_string()),
                    ..Subject::new(Acting::Accountable)
                })
                .help("move the dependency to a live asset, or retire this asset too"),
            );
        }
    }
}
