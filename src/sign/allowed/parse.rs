//! One allowed_signers line, split as OpenSSH 9.2p1's
//! `parse_principals_key_and_options` does: principals (a `strdelimw`
//! token, which may be double-quoted), then either a key or an options
//! field and a key.
//!
//! Invariant: parsing never fails as a whole; each part that OpenSSH would
//! reject keeps the reason it logs, and `decide` skips such a line.

use super::key;
use super::options::{self, Options};
use jiff::tz::TimeZone;

/// A non-blank, non-comment line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The principals pattern list, or why the line has none.
    pub principals: Result<Vec<u8>, &'static str>,
    /// The options and key, or why OpenSSH rejects them. Only consulted
    /// once the principals match, as OpenSSH reads no further otherwise.
    pub entry: Result<Entry, &'static str>,
}

/// The options and key of a well-formed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub options: Options,
    /// The public key blob.
    pub key: Vec<u8>,
    /// The team of a `team:NAME` first comment word.
    pub team: Option<String>,
}

const WHITESPACE: &[u8] = b" \t\r\n";

fn skip(s: &[u8], set: &[u8]) -> usize {
    s.iter().take_while(|c| set.contains(c)).count()
}

/// Reads a line (with or without its end); `None` for a blank or comment
/// line.
pub fn line(raw: &[u8], local: &TimeZone) -> Option<Parsed> {
    let cp = &raw[skip(raw, b" \t")..];
    if cp.first().is_none_or(|&c| c == b'#') || cp.iter().all(|c| WHITESPACE.contains(c)) {
        return None;
    }
    let Some((principals, Some(rest))) = strdelimw(cp) else {
        return Some(Parsed {
            principals: Err("invalid line"),
            entry: Err("invalid line"),
        });
    };
    Some(Parsed {
        principals: Ok(principals),
        entry: entry(rest, local),
    })
}

/// The next token as `strdelimw` returns it, and the rest after white
/// space (`None` when no delimiter followed the token); `None` for an
/// unterminated quote.
fn strdelimw(s: &[u8]) -> Option<(Vec<u8>, Option<&[u8]>)> {
    let Some(at) = s.iter().position(|c| WHITESPACE.contains(c) || *c == b'"') else {
        return Some((s.to_vec(), None));
    };
    if s[at] == b'"' {
        let close = at + 1 + s[at + 1..].iter().position(|&c| c == b'"')?;
        let mut token = s[..at].to_vec();
        token.extend_from_slice(&s[at + 1..close]);
        let rest = &s[close + 1..];
        return Some((token, Some(&rest[skip(rest, WHITESPACE)..])));
    }
    let rest = &s[at + 1..];
    Some((s[..at].to_vec(), Some(&rest[skip(rest, WHITESPACE)..])))
}

fn entry(cp: &[u8], local: &TimeZone) -> Result<Entry, &'static str> {
    let (opts, read) = match key::read(cp) {
        Some(read) => (&b""[..], read),
        None => {
            let end = options::advance_past_options(cp).ok_or("invalid options")?;
            if end == cp.len() {
                return Err("missing key");
            }
            let after = &cp[end + 1..];
            let after = &after[skip(after, b" \t")..];
            (&cp[..end], key::read(after).ok_or("invalid key")?)
        }
    };
    let options = options::parse(opts, local)?;
    let team = read
        .rest
        .split(|c| WHITESPACE.contains(c))
        .next()
        .and_then(|word| word.strip_prefix(b"team:"))
        .filter(|team| !team.is_empty())
        .map(|team| String::from_utf8_lossy(team).into_owned());
    Ok(Entry {
        options,
        key: read.blob,
        team,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIGm0gqyvBR6K7BeBQyObyA1m+RcK4c5zEsJmtA9kmYq1";

    fn parse(s: &str) -> Option<Parsed> {
        line(s.as_bytes(), &TimeZone::UTC)
    }

    #[test]
    fn blank_and_comment_lines_are_none() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("  \t# a comment"), None);
        assert_eq!(parse(" \r\n"), None);
    }

    #[test]
    fn principals_may_be_quoted_and_options_precede_the_key() {
        let p = parse(&format!(
            "\"a b,c\" namespaces=\"git\" ssh-ed25519 {KEY} team:ops\r\n"
        ))
        .unwrap();
        assert_eq!(p.principals.unwrap(), b"a b,c");
        let entry = p.entry.unwrap();
        assert_eq!(entry.options.namespaces.as_deref(), Some(&b"git"[..]));
        assert_eq!(entry.team.as_deref(), Some("ops"));
        // The token ends at its closing quote; what follows starts the rest.
        let split = parse(&format!("\"a b\",c ssh-ed25519 {KEY}")).unwrap();
        assert_eq!(split.principals.unwrap(), b"a b");
        assert_eq!(split.entry.unwrap_err(), "unknown key option");
        let plain = parse(&format!("office\tssh-ed25519 {KEY}")).unwrap();
        assert_eq!(plain.entry.unwrap().options, Options::default());
    }

    #[test]
    fn malformed_lines_keep_openssh_reasons() {
        let reason = |s: &str| parse(s).unwrap().entry.unwrap_err();
        assert_eq!(reason("office"), "invalid line");
        assert_eq!(reason("\"office ssh-ed25519"), "invalid line");
        assert_eq!(reason("office namespaces=\"git"), "invalid options");
        assert_eq!(reason("office namespaces=\"git\""), "missing key");
        assert_eq!(
            reason("office namespaces=\"git\" ssh-ed25519 AAAA"),
            "invalid key"
        );
        assert_eq!(
            reason(&format!("office bogus ssh-ed25519 {KEY}")),
            "unknown key option"
        );
        assert_eq!(reason(&format!("office ssh-rsa {KEY}")), "invalid key");
    }
}
