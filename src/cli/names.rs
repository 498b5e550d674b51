//! Names typed on the command line that must name something declared: an
//! asset, an owner role. Every command refuses an unknown one the same way,
//! through [`require`]: a usage error (exit 2) with the closest known name
//! as a "did you mean".

use super::CommandError;
use crate::load::reader::closest;

/// Up to this many known names, a refusal lists them all: a vocabulary
/// such as the owner roles, or the assets of a small repository.
const LISTED: usize = 8;

/// Returns `Ok` when `given` is among `known`. Otherwise returns the usage
/// error "no {what} `{given}`{place}", hinted with the closest known name
/// ("did you mean `x`?") and, when there are few, with all of them.
pub fn require<'k>(
    what: &str,
    given: &str,
    place: &str,
    known: impl IntoIterator<Item = &'k str>,
) -> Result<(), CommandError> {
    let known: Vec<&str> = known.into_iter().collect();
    if known.contains(&given) {
        return Ok(());
    }
    let mut hint = Vec::new();
    if let Some(best) = closest(given, known.iter().copied()) {
        hint.push(format!("did you mean `{best}`?"));
    }
    if !known.is_empty() && known.len() <= LISTED {
        hint.push(format!("use one of: {}", known.join(", ")));
    }
    let error = CommandError::usage(format!("no {what} `{given}`{place}"));
    Err(if hint.is_empty() {
        error
    } else {
        error.hint(hint.join(" "))
    })
}

#[cfg(test)]
mod tests {
    use super::require;

    #[test]
    fn a_known_name_passes() {
        assert!(require("asset", "agent", "", ["agent", "notes"]).is_ok());
    }

    #[test]
    fn a_typo_is_a_usage_error_with_the_closest_name() {
        let many: Vec<String> = (0..20).map(|i| format!("asset-{i:02}")).collect();
        let mut known: Vec<&str> = many.iter().map(String::as_str).collect();
        known.push("billing-agent");
        let error = require("asset", "billing-agnt", " in the history of HEAD", known)
            .expect_err("a typo is refused");
        assert_eq!(error.exit, super::super::Exit::Usage);
        assert_eq!(
            error.message,
            "no asset `billing-agnt` in the history of HEAD"
        );
        assert_eq!(error.hint.as_deref(), Some("did you mean `billing-agent`?"));
    }

    #[test]
    fn few_known_names_are_listed() {
        let error = require("owner role", "acountable", "", ["accountable", "operator"])
            .expect_err("refused");
        assert_eq!(
            error.hint.as_deref(),
            Some("did you mean `accountable`? use one of: accountable, operator")
        );
        let error = require("asset", "zzz", "", ["agent"]).expect_err("refused");
        assert_eq!(error.hint.as_deref(), Some("use one of: agent"));
        let error = require("asset", "zzz", "", []).expect_err("refused");
        assert_eq!(error.hint, None);
    }
}
