//! Rules on controls themselves: a control that maps to no framework
//! requirement cannot show up in any coverage report, and a control that
//! must be retested is retested on time.

use super::{days_after, days_between};
use crate::diag::{Acting, Code, Diagnostic, Diags, Subject};
use crate::model::{applies, Asset, Control, Model};
use jiff::civil::Date;

/// Every code this rule reports.
pub const CODES: &[Code] = &[Code::UnmappedControl, Code::ControlRetestOverdue];

pub fn check(model: &Model, today: Date, diags: &mut Diags) {
    // Found once, and only when some control is due: whether a control
    // applies to any asset is asked of one asset per profile.
    let mut profiles: Option<Vec<&Asset>> = None;
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
        retest(model, control, today, &mut profiles, diags);
    }
}

/// Reports a control with `retest-every` that applies to an asset and is
/// past its retest, or was never tested.
fn retest<'m>(
    model: &'m Model,
    control: &Control,
    today: Date,
    profiles: &mut Option<Vec<&'m Asset>>,
    diags: &mut Diags,
) {
    let Some(every) = &control.retest_every else {
        return;
    };
    let due = match &control.tested {
        // A retest due past the calendar's end is never overdue.
        Some(tested) => match days_after(tested.value, every.value.whole_days()) {
            Some(due) if due < today => Some(due),
            _ => return,
        },
        None => None,
    };
    // Only now, for the few that are due: a control that applies to no
    // asset is never retested.
    let profiles = profiles.get_or_insert_with(|| applies::one_of_each_profile(model));
    if !profiles.iter().any(|a| control.applies_to.matches(a)) {
        return;
    }
    let subject = Subject {
        control: Some(control.id.value.to_string()),
        due,
        ..Subject::new(Acting::ControlOwner)
    };
    let d = match (&control.tested, due) {
        (Some(tested), Some(due)) => Diagnostic::new(
            Code::ControlRetestOverdue,
            tested.span,
            format!(
                "control `{}` was due for its retest on {due}, {} ago: last tested {}, to be retested every {}",
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

#[cfg(test)]
mod tests {
    use crate::diag::Code;

    fn retest_diagnostics(control: &str) -> Vec<String> {
        let assets = "[[team]]\nid = \"t\"\n[[asset]]\nid = \"a\"\nkind = \"dataset\"\nowners = { accountable = \"t\" }\n";
        let outcome = crate::check::files(&[
            ("governance/assets.toml", assets),
            ("governance/controls.toml", control),
        ]);
        outcome
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::ControlRetestOverdue)
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn a_retest_due_past_the_calendars_end_is_never_overdue() {
        let control = "[[control]]\nid = \"C\"\ntitle = \"c\"\nowner = \"t\"\nmaps-to = [\"nist-csf-2.0:GV.RM-06\"]\nretest-every = \"3000000d\"\ntested = 2026-01-01\n";
        assert_eq!(retest_diagnostics(control), Vec::<String>::new());
        let never = control.replace("tested = 2026-01-01\n", "");
        let said = retest_diagnostics(&never);
        assert_eq!(said.len(), 1);
        assert!(said[0].contains("no passing test is recorded"), "{said:?}");
    }
}
