//! Deciding a signing key against the lines of a trust anchor, in the
//! order of OpenSSH's `check_allowed_keys_line`: principals, key,
//! certificate authority, namespaces, then `valid-after` and
//! `valid-before` (a key is still valid at the `valid-before` second).
//!
//! Invariant: the outcome depends only on the lines, never on the
//! messages; a refusal names the first line that listed the key.

use super::pattern::match_pattern_list;
use super::{Accepted, Signers};
use base64ct::{Base64Unpadded, Encoding};
use sha2::{Digest, Sha256};
use std::fmt;

/// Why no line accepted a key: the cause and the line that decided it,
/// with what the other lines said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    message: String,
    others: Vec<String>,
    unlisted: bool,
}

impl Refused {
    /// Returns the other lines' reasons: later lines that listed the key,
    /// and malformed lines OpenSSH skipped.
    pub fn others(&self) -> &[String] {
        &self.others
    }

    /// Returns true when no line lists the key at all (as opposed to
    /// listing it for another identity, namespace or time).
    pub fn is_unlisted(&self) -> bool {
        self.unlisted
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refused {}

/// Returns the key's fingerprint as ssh-keygen prints it.
pub fn fingerprint(key: &[u8]) -> String {
    format!(
        "SHA256:{}",
        Base64Unpadded::encode_string(&Sha256::digest(key))
    )
}

fn time(t: u64) -> String {
    i64::try_from(t)
        .ok()
        .and_then(|t| jiff::Timestamp::from_second(t).ok())
        .map_or_else(|| format!("{t} seconds after 1970"), |t| t.to_string())
}

/// Returns true when some identity is listed by `principals`: without
/// `-I`, a line such as `!mallory KEY` lists nobody, and OpenSSH would
/// accept it for no identity. Each positive subpattern is tried as the
/// identity itself; this may miss an identity that only a wildcard
/// spelling reaches, which refuses rather than accepts.
fn names_someone(principals: &[u8]) -> bool {
    principals
        .split(|&b| b == b',')
        .filter(|p| !p.starts_with(b"!"))
        .any(|p| match_pattern_list(p, principals) == 1)
}

impl Signers {
    /// Decides as `ssh-keygen -Y verify -I identity -n namespace` with
    /// verify-time `now` (Unix seconds) would, for a plain signature by
    /// `key` (an SSH public key blob, as in the SSHSIG).
    pub fn decide(
        &self,
        key: &[u8],
        identity: Option<&str>,
        namespace: &str,
        now: u64,
    ) -> Result<Accepted, Refused> {
        let fp = fingerprint(key);
        let mut reasons: Vec<String> = Vec::new();
        let mut first_listing: Option<usize> = None;
        for line in &self.lines {
            let origin = &line.origin;
            let principals = match &line.parsed.principals {
                Ok(p) => p,
                Err(reason) => {
                    reasons.push(format!("{origin} was skipped: {reason}"));
                    continue;
                }
            };
            let listed = match identity {
                Some(id) => match_pattern_list(id.as_bytes(), principals) == 1,
                None => names_someone(principals),
            };
            let entry = match &line.parsed.entry {
                Ok(entry) => entry,
                Err(reason) => {
                    if listed {
                        reasons.push(format!("{origin} was skipped: {reason}"));
                    }
                    continue;
                }
            };
            if entry.key != key {
                continue;
            }
            let shown = String::from_utf8_lossy(principals).into_owned();
            let who = &shown;
            let o = &entry.options;
            let reason = if !listed {
                match identity {
                    Some(id) => {
                        format!("key {fp} is not listed for identity {id} ({origin} lists {shown})")
                    }
                    None => format!("key {fp} is listed for no identity ({origin} lists {shown})"),
                }
            } else if o.ca {
                format!(
                    "key {fp} is listed only as a certificate authority ({origin} cert-authority); \
                     govern does not verify certificate signatures"
                )
            } else if let Some(ns) = o
                .namespaces
                .as_ref()
                .filter(|ns| match_pattern_list(namespace.as_bytes(), ns) != 1)
            {
                format!(
                    "key {fp} is not permitted for namespace {namespace} ({origin} allows {})",
                    String::from_utf8_lossy(ns)
                )
            } else if o.valid_after != 0 && now < o.valid_after {
                format!(
                    "key of {who} is not valid until {} ({origin} valid-after)",
                    time(o.valid_after)
                )
            } else if o.valid_before != 0 && now > o.valid_before {
                match &line.declared {
                    Some((_, Some(day))) => {
                        let at = match origin.split_once(" at ") {
                            Some((file, rev)) => format!("{file} expires at {rev}"),
                            None => format!("{origin} expires"),
                        };
                        format!("key of {who} expired on {day} ({at})")
                    }
                    _ => format!(
                        "key of {who} expired at {} ({origin} valid-before)",
                        time(o.valid_before.saturating_add(1))
                    ),
                }
            } else {
                let team = match &line.declared {
                    Some((team, _)) => Some(team.clone()),
                    None => entry.team.clone(),
                };
                return Ok(Accepted {
                    origin: origin.clone(),
                    principals: shown,
                    team,
                });
            };
            first_listing.get_or_insert(reasons.len());
            reasons.push(reason);
        }
        let message = match first_listing {
            Some(i) => reasons.remove(i),
            None => format!("key {fp} is not in {}", self.name),
        };
        Err(Refused {
            message,
            others: reasons,
            unlisted: first_listing.is_none(),
        })
    }
}
