//! `govern check`: raw declarations -> validated model -> every governance
//! rule of SPEC section 3. All problems are collected before any is
//! reported; one bad file never hides another's problems.

mod controls;
mod exceptions;
mod findings;
mod identity;
mod lifecycle;
mod owners;
mod raci;
pub mod resolve;
mod signers;
mod trust;

use crate::diag::{Code, Diagnostic, Diags};
use crate::load::{self, Input};
use crate::model::Model;
use crate::source::SourceMap;
use jiff::civil::Date;
use rayon::prelude::*;

/// What a check run produced: the sources (for rendering), the model and
/// the diagnostics, sorted and re-graded by `[rules]` (the errors alone
/// under [`Keep::Errors`]).
#[derive(Debug)]
pub struct Outcome {
    pub sources: SourceMap,
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    /// The day the rules were checked against; the outputs count days from
    /// it, never from the clock.
    pub today: Date,
}

impl Outcome {
    /// Returns true when an error-severity diagnostic remains.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error)
    }
}

/// Loads, resolves and checks `inputs` as of `today`.
pub fn check(inputs: Vec<Input>, today: Date) -> Outcome {
    finish(load::load(inputs), today, Keep::All)
}

/// Which diagnostics a check keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    All,
    /// Only those that end as errors under the repository's `[rules]`: for
    /// a run that reports errors alone, whose rules skip the rest.
    Errors,
}

/// Checks two sides as [`check`] checks each, `before` and `after` (the
/// two sides of a drift), keeping the diagnostics `keep` says: the files
/// they share are parsed once ([`load::load_two`], which takes those
/// of `after` that `ahead` parsed already), and the two models are
/// resolved and checked at once.
pub fn check_two(
    before: Vec<Input>,
    after: Vec<Input>,
    ahead: load::Ahead,
    today: Date,
    keep: Keep,
) -> (Outcome, Outcome) {
    let (before, after) = load::load_two(before, after, ahead);
    rayon::join(
        || finish(before, today, keep),
        || finish(after, today, keep),
    )
}

/// Resolves and checks what was loaded.
fn finish(loaded: load::Loaded, today: Date, keep: Keep) -> Outcome {
    let mut diags = loaded.diags;
    let model = resolve::resolve(&loaded.files, &mut diags);
    // Freed before the rules run, so that they reuse its memory.
    drop(loaded.files);
    if keep == Keep::Errors {
        diags.errors_only(&model.settings.rules);
    }
    rules(&model, today, &mut diags);
    let diagnostics = diags.finish(&model.settings.rules);
    Outcome {
        sources: loaded.sources,
        model,
        diagnostics,
        today,
    }
}

/// One governance rule over a resolved model, with every code it reports.
struct Rule {
    run: fn(&Model, Date, &mut Diags),
    codes: &'static [Code],
}

/// Every governance rule, in the order their diagnostics are collected.
/// Within a rule, a check whose diagnostics no one keeps is skipped
/// ([`Diags::wants`]); a rule none of whose codes is kept is not run.
const RULES: [Rule; 9] = [
    rule(owners::check, owners::CODES),
    rule(
        |model, _, diags| identity::check(model, diags),
        identity::CODES,
    ),
    rule(trust::check, trust::CODES),
    rule(controls::check, controls::CODES),
    rule(exceptions::check, exceptions::CODES),
    rule(findings::check, findings::CODES),
    rule(signers::check, signers::CODES),
    rule(|model, _, diags| raci::check(model, diags), raci::CODES),
    rule(
        |model, _, diags| lifecycle::check(model, diags),
        lifecycle::CODES,
    ),
];

const fn rule(run: fn(&Model, Date, &mut Diags), codes: &'static [Code]) -> Rule {
    Rule { run, codes }
}

/// Runs every governance rule over a resolved model, the rules side by
/// side; their diagnostics join `diags` in the order of [`RULES`], so the
/// result is the same as one rule after another.
pub fn rules(model: &Model, today: Date, diags: &mut Diags) {
    let found: Vec<Diags> = RULES
        .par_iter()
        .filter(|rule| rule.codes.iter().any(|code| diags.wants(*code)))
        .map(|rule| {
            let mut found = diags.empty_like();
            (rule.run)(model, today, &mut found);
            found
        })
        .collect();
    for found in found {
        diags.extend(found);
    }
}

/// Returns the whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

/// Counts days for a message: "1 day", "3 days".
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// Says when something that holds through `day` expires, `left` days from
/// today (not negative): "expires today (D)", "expires tomorrow (D)" or
/// "expires on D, in N days".
pub fn expires(day: Date, left: i64) -> String {
    match left {
        0 => format!("expires today ({day})"),
        1 => format!("expires tomorrow ({day})"),
        n => format!("expires on {day}, in {n} days"),
    }
}

/// Returns the day `days` after `day`, or `None` past the calendar's end.
pub fn days_after(day: Date, days: i64) -> Option<Date> {
    day.checked_add(jiff::Span::new().try_days(days).ok()?).ok()
}

/// Checks in-memory files, each named by its repository path, as of
/// 2026-11-23, with governance/governance.toml as the settings: for the
/// unit tests that need a checked model.
#[cfg(test)]
pub(crate) fn files(files: &[(&str, &str)]) -> Outcome {
    let inputs = files
        .iter()
        .map(|(name, text)| Input {
            name: name.to_string(),
            is_settings: *name == "governance/governance.toml",
            body: load::Body::Bytes(text.as_bytes().to_vec()),
        })
        .collect();
    check(inputs, Date::constant(2026, 11, 23))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    /// The example's inputs, with `rules` added to the `[rules]` of its
    /// governance.toml.
    fn example(rules: &str) -> Vec<Input> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut inputs = load::worktree::inputs(root, "governance").expect("the example reads");
        for input in inputs.iter_mut().filter(|i| i.is_settings) {
            let load::Body::Bytes(bytes) = &mut input.body else {
                panic!("governance.toml reads");
            };
            let text = String::from_utf8(bytes.clone()).expect("UTF-8");
            *bytes = text
                .replace("[rules]\n", &format!("[rules]\n{rules}"))
                .into_bytes();
        }
        inputs
    }

    fn errors(o: &Outcome) -> Vec<&Diagnostic> {
        o.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }

    /// Keeping errors alone keeps every error a full check finds, those
    /// `[rules]` raise included, and the same models: the rules skipped
    /// are those whose diagnostics no one reads.
    #[test]
    fn keeping_errors_keeps_every_error_and_the_model() {
        let today = Date::constant(2026, 11, 23);
        let all = check(example(""), today);
        let warned: std::collections::BTreeSet<_> = all
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Error)
            .map(|d| d.code)
            .collect();
        assert!(warned.len() >= 3, "the example warns: {warned:?}");
        let raised: String = warned
            .iter()
            .map(|c| format!("{c} = \"error\"\n"))
            .collect();
        for rules in [String::new(), raised] {
            let (b_all, a_all) = check_two(
                example(&rules),
                example(&rules),
                Default::default(),
                today,
                Keep::All,
            );
            let (b, a) = check_two(
                example(&rules),
                example(&rules),
                Default::default(),
                today,
                Keep::Errors,
            );
            for (kept, full) in [(&b, &b_all), (&a, &a_all)] {
                assert_eq!(
                    kept.diagnostics.iter().collect::<Vec<_>>(),
                    errors(full),
                    "{rules}"
                );
                assert_eq!(format!("{:?}", kept.model), format!("{:?}", full.model));
            }
            assert_eq!(errors(&a).is_empty(), rules.is_empty(), "{rules}");
        }
    }
}
