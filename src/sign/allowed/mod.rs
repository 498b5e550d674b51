//! Trust anchors for signatures: OpenSSH allowed_signers files, and the
//! `[[signer]]` entries of governance.toml written as one.
//!
//! `Signers::decide` accepts or refuses a signing key exactly as OpenSSH
//! 9.2p1's `ssh-keygen -Y verify` does (sshsig.c `check_allowed_keys_line`):
//! lines are tried in order, a malformed line is skipped, and the first
//! line that passes accepts. A `[[signer]]` is decided through the very
//! line `render` writes for it, so `govern` and OpenSSH cannot disagree
//! about a generated file.

mod decide;
mod key;
mod options;
mod parse;
mod pattern;
mod time;

pub use decide::Refused;
pub use pattern::{match_pattern, match_pattern_list};
pub use time::parse_absolute_time;

use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The SSHSIG namespace of release signatures.
pub const NAMESPACE: &str = "govern-baseline";

/// The SSHSIG namespace of Git's SSH-signed tags and commits.
pub const GIT_NAMESPACE: &str = "git";

/// One trust anchor: the lines of an allowed_signers file, or the
/// `[[signer]]`s of governance.toml.
#[derive(Clone, Debug)]
pub struct Signers {
    /// What the anchor is called in messages ("allowed_signers").
    name: String,
    lines: Vec<Line>,
}

/// One non-blank, non-comment line and where it came from.
#[derive(Clone, Debug)]
struct Line {
    origin: String,
    parsed: parse::Parsed,
    /// The `[[signer]]` this line was written from, if any.
    declared: Option<(String, Option<Date>)>,
}

/// A `[[signer]]` entry of governance.toml, as the trust anchor needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    pub id: String,
    pub team: String,
    /// `ssh-ed25519 AAAA... [comment]`.
    pub public_key: String,
    /// The last day (UTC) on which the key is valid.
    pub expires: Option<Date>,
    /// Where it is declared, e.g. `governance/governance.toml:14 at HEAD~1`.
    pub origin: String,
}

/// The line that accepted a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// Where the line is, e.g. `allowed_signers:3`.
    pub origin: String,
    /// The line's principals, as written.
    pub principals: String,
    /// The team, from a `team:NAME` comment or the `[[signer]]`.
    pub team: Option<String>,
}

impl Accepted {
    /// Names the signer: the identity asked for, else the principal when the
    /// line lists one literal name, else which patterns listed the key.
    pub fn signer(&self, identity: Option<&str>) -> String {
        if let Some(identity) = identity {
            return identity.to_string();
        }
        let literal =
            !self.principals.is_empty() && !self.principals.contains(['*', '?', '!', ',']);
        if literal {
            self.principals.clone()
        } else {
            format!("key listed for `{}` ({})", self.principals, self.origin)
        }
    }
}

impl Signers {
    /// Reads allowed_signers bytes; `name` names the file in messages
    /// (`allowed_signers` gives `allowed_signers:3`). Never fails: a
    /// malformed line is kept with the reason OpenSSH skips it. Times
    /// without `Z` or `UTC` are read in `local`, as OpenSSH reads them in
    /// its local zone.
    pub fn parse(name: &str, bytes: &[u8], local: &TimeZone) -> Signers {
        let mut lines = Vec::new();
        for (n, raw) in bytes.split_inclusive(|&c| c == b'\n').enumerate() {
            let raw = raw.split(|&c| c == 0).next().unwrap_or_default();
            if let Some(parsed) = parse::line(raw, local) {
                lines.push(Line {
                    origin: format!("{name}:{}", n + 1),
                    parsed,
                    declared: None,
                });
            }
        }
        Signers {
            name: name.to_string(),
            lines,
        }
    }

    /// Reads the `[[signer]]` entries, each valid for both namespaces
    /// through the end of its `expires` day (UTC).
    pub fn from_declared(signers: &[Declared]) -> Signers {
        let lines = signers
            .iter()
            .map(|d| {
                let text = render_line(d);
                let parsed =
                    parse::line(text.as_bytes(), &TimeZone::UTC).unwrap_or(parse::Parsed {
                        principals: Err("invalid line"),
                        entry: Err("invalid line"),
                    });
                Line {
                    origin: d.origin.clone(),
                    parsed,
                    declared: Some((d.team.clone(), d.expires)),
                }
            })
            .collect();
        Signers {
            name: "the [[signer]] entries".to_string(),
            lines,
        }
    }

    /// Returns true when no line is usable at all.
    pub fn is_empty(&self) -> bool {
        !self.lines.iter().any(|l| l.parsed.entry.is_ok())
    }
}

/// Writes the `[[signer]]`s as allowed_signers text for `govern signers`: a
/// header comment, then one line per signer with both namespaces and, from
/// `expires`, the last second of that day as `valid-before`.
pub fn render(signers: &[Declared]) -> String {
    let mut out =
        String::from("# Generated by govern from the [[signer]] entries of governance.toml\n");
    for d in signers {
        out.push_str(&render_line(d));
        out.push('\n');
    }
    out
}

/// Returns true when `word` survives as one allowed_signers token.
fn plain_word(word: &str) -> bool {
    !word.is_empty()
        && !word.starts_with('#')
        && word.bytes().all(|c| c.is_ascii_graphic() && c != b'"')
}

fn render_line(d: &Declared) -> String {
    let mut key = d.public_key.split_whitespace();
    let (Some(kind), Some(blob)) = (key.next(), key.next()) else {
        return format!("# [[signer]] {:?} has no public key", d.id);
    };
    if !plain_word(&d.id) || !plain_word(kind) || !plain_word(blob) {
        return format!(
            "# [[signer]] {:?} cannot be written as an allowed_signers line",
            d.id
        );
    }
    let mut line = format!("{} namespaces=\"{NAMESPACE},{GIT_NAMESPACE}\"", d.id);
    if let Some(day) = d.expires {
        line.push_str(&format!(
            ",valid-before=\"{:04}{:02}{:02}235959Z\"",
            day.year().max(0),
            day.month(),
            day.day()
        ));
    }
    line.push_str(&format!(" {kind} {blob}"));
    if plain_word(&d.team) {
        line.push_str(&format!(" team:{}", d.team));
    }
    line
}

#[cfg(test)]
mod tests;
