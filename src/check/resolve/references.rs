//! Reports every reference to a team, asset or control that does not exist.

use crate::diag::{Code, Diagnostic, Diags};
use crate::load::reader::closest;
use crate::model::vocab::TeamKind;
use crate::model::*;
use crate::source::{Sp, Span};
use std::collections::BTreeMap;

/// Reports every reference to a team, asset or control that does not exist.
pub(super) fn check(model: &Model, diags: &mut Diags) {
    let team = |diags: &mut Diags, r: &Sp<TeamId>, field: &str| {
        check_ref(diags, &model.teams, &r.value.0, r.span, "team", field)
    };
    let asset = |diags: &mut Diags, r: &Sp<AssetId>, field: &str| {
        check_ref(diags, &model.assets, &r.value.0, r.span, "asset", field)
    };
    let control = |diags: &mut Diags, r: &Sp<ControlId>, field: &str| {
        check_ref(diags, &model.controls, &r.value.0, r.span, "control", field)
    };
    for t in model.teams.values() {
        if let Some(p) = &t.parent {
            team(diags, p, "parent");
        }
    }
    for a in model.assets.values() {
        for (role, t) in a.owners.named() {
            team(diags, t, role.name());
        }
        for d in &a.depends_on {
            asset(diags, d, "depends-on");
        }
        if let Some(v) = &a.vendor {
            if team(diags, v, "vendor") {
                vendor_kind(model, v, diags);
            }
        }
    }
    for c in model.controls.values() {
        if let Some(o) = &c.owner {
            team(diags, o, "owner");
        }
    }
    for e in model.exceptions.values() {
        asset(diags, &e.asset, "asset");
        control(diags, &e.control, "control");
        team(diags, &e.approved_by, "approved-by");
        for c in &e.compensating {
            control(diags, c, "compensating");
        }
    }
    for f in model.findings.values() {
        asset(diags, &f.asset, "asset");
        control(diags, &f.control, "control");
        if let Some(t) = &f.closure.closed_by {
            team(diags, t, "closed-by");
        }
        if let Some(t) = &f.closure.signed_off_by {
            team(diags, t, "signed-off-by");
        }
    }
    for a in &model.settings.policy.exception_approvers {
        team(diags, a, "exception-approvers");
    }
    for s in &model.settings.signers {
        team(diags, &s.team, "team");
    }
}

fn vendor_kind(model: &Model, v: &Sp<TeamId>, diags: &mut Diags) {
    let vendor = &model.teams[v.value.as_str()];
    if vendor.kind.value != TeamKind::Vendor {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                v.span,
                format!("`vendor` names `{}`, which is not a vendor", v.value),
            )
            .label(
                vendor.kind.span,
                format!("`{}` is of kind {}", v.value, vendor.kind.value),
            )
            .help("declare the vendor as a team with kind = \"vendor\""),
        );
    }
}

/// Reports `id` when `known` lacks it; returns true when it is there.
fn check_ref<K: std::borrow::Borrow<str> + Ord, V>(
    diags: &mut Diags,
    known: &BTreeMap<K, V>,
    id: &str,
    span: Span,
    kind: &str,
    field: &str,
) -> bool {
    if known.contains_key(id) {
        return true;
    }
    let mut d = Diagnostic::new(
        Code::UnknownReference,
        span,
        format!("`{field}` names unknown {kind} `{id}`"),
    );
    d = match closest(id, known.keys().map(|k| k.borrow())) {
        Some(best) => d.help(format!("did you mean `{best}`?")),
        None => d.help(format!(
            "declare a [[{kind}]] with id = \"{id}\", or fix the reference"
        )),
    };
    diags.push(d);
    false
}
