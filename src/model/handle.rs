//! CODEOWNERS handles: `@user`, `@org/team` or an e-mail address, checked
//! against the characters GitHub accepts. A `Handle` exists only once it is
//! valid, so nothing downstream can write a space, a second owner or a line
//! break into a CODEOWNERS line.

/// One code-host owner, valid by construction.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Handle(String);

/// The longest handle accepted; GitHub's own names are far shorter.
pub const MAX_LEN: usize = 254;

/// What [`Handle::parse`] accepts, as a regular expression, for the JSON
/// Schema of the declaration files.
pub const PATTERN: &str = "^(@[A-Za-z0-9][A-Za-z0-9_-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?\
    |[A-Za-z0-9._%+-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+)$";

impl Handle {
    /// Parses `text` as exactly one `@user`, `@org/team` or e-mail address.
    pub fn parse(text: &str) -> Option<Handle> {
        let valid = text.len() <= MAX_LEN
            && match text.strip_prefix('@') {
                Some(rest) => match rest.split_once('/') {
                    Some((org, team)) => is_name(org) && is_team(team),
                    None => is_name(rest),
                },
                None => is_email(text),
            };
        valid.then(|| Handle(text.to_string()))
    }

    /// Returns the handle as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user or organisation: letters, digits and hyphens, not starting with a
/// hyphen; underscores for the `_shortcode` of managed users.
fn is_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A team slug: letters, digits, `.`, `_` and `-`, starting with a letter
/// or digit.
fn is_team(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// A plain address: a local part of letters, digits and `._%+-`, and a
/// domain of at least two dot-separated labels. Quoted local parts and `#`
/// are refused: CODEOWNERS has no quoting and `#` starts a comment.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::{Handle, PATTERN};

    const ACCEPTED: &[&str] = &[
        "@octocat",
        "@octocat_acme",
        "@acme/payments-eng",
        "@acme/team.v2",
        "docs@example.com",
        "first.last+ci@mail.acme.example",
    ];

    const REFUSED: &[&str] = &[
        "",
        "@",
        "@acme/",
        "@/team",
        "@-octocat",
        "@acme/engineering\n* @evil/x",
        "@acme/engineering @evil",
        "payments team",
        "@acme/a/b",
        "@acme/team#x",
        "@oct\u{7}cat",
        "@octocat\r",
        "a#b@example.com",
        "user@localhost",
        "user@@example.com",
        "@user@example.com",
        "user@-acme.example",
        "\"quoted\"@example.com",
    ];

    #[test]
    fn accepts_users_teams_and_addresses() {
        for ok in ACCEPTED {
            assert!(Handle::parse(ok).is_some(), "{ok}");
        }
    }

    #[test]
    fn refuses_anything_else() {
        for bad in REFUSED {
            assert!(Handle::parse(bad).is_none(), "{bad:?}");
        }
    }

    /// The schema's pattern, checked by a JSON Schema validator as editors
    /// do, accepts exactly what `Handle::parse` accepts.
    #[test]
    fn the_schema_pattern_accepts_what_parse_accepts() {
        let schema = serde_json::json!({ "type": "string", "pattern": PATTERN });
        let validator = jsonschema::validator_for(&schema).unwrap();
        for handle in ACCEPTED.iter().chain(REFUSED) {
            let by_parse = Handle::parse(handle).is_some();
            assert_eq!(
                validator.is_valid(&serde_json::json!(handle)),
                by_parse,
                "{handle:?}"
            );
        }
    }
}
