//! Rules on controls themselves: a control that maps to no framework
//! requirement cannot show up in any coverage report.

use crate::diag::{Code, Diagnostic, Diags};
use crate::model::Model;

pub fn check(model: &Model, diags: &mut Diags) {
    for control in model.controls.values() {
        if control.maps_to.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::UnmappedControl,
                    control.id.span,
                    format!("control `{}` maps to no framework requirement", control.id.value),
                )
                .help("add `maps-to = [\"<framework>:<requirement>\"]` so the control counts towards coverage"),
            );
        }
    }
}
