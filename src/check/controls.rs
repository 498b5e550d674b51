//! Rules on controls themselves: a control that maps to no framework
//! requirement cannot show up in any coverage report, and a control that
//! must be retested is retested on time.

use super::{days_after, days_between};
use crate::diag::{Code, Diagnostic, Diags, Subject};
use crate::model::{Control, Model};
use jiff::civil::Date;

pub fn check(model: &Model, today: Date, diags: &mut Diags) {
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
        retest(model, control, today, diags);
    }
}

/// Reports a control with `retest-every` that applies to an asset and is
/// past its retest, or was never tested.
fn retest(model: &Model, control: &Control, today: Date, diags: &mut Diags) {
    let Some(every) = &control.retest_every else {
        return;
    };
    let due = control
        .tested
        .as_ref()
        .map(|t| days_after(t.value, every.value.whole_days()));
    if let Some(Some(due)) = due {
        if due >= today {
            return;
        }
    }
    // Only now, for the few that are due: a control that applies to no
    // asset is never retested.
    if !model.assets.values().any(|a| control.applies_to.matches(a)) {
        return;
    }
    let subject = Subject {
        control: Some(control.id.value.to_string()),
        due: due.flatten(),
        ..Subject::default()
    };
    let d = match (&control.tested, due.flatten()) {
        (Some(tested), Some(due)) => Diagnostic::new(
            Code::ControlRetestOverdue,
            tested.span,
            format!(
                "control `{}` was due for its retest on {due}, {} ago: last tested {}, retested every {}",
                control.id.value,
                super::days(days_between(due, today)),
                tested.value,
                every.value
            ),
        )
        .label(every.span, "retest interval set here"),
        _ => Diagnostic::new(
            Code::ControlRetestOverdue,
            every.span,
            format!(
                "control `{}` must be retested every {}, but no passing test is recorded",
                control.id.value, every.value
            ),
        ),
    };
    diags.push(
        d.about(subject)
            .help("retest the control and record the day it passed as `tested = YYYY-MM-DD`"),
    );
}
