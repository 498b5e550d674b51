//! The options field of an allowed_signers line, as OpenSSH 9.2p1's
//! `sshkey_advance_past_options` finds its end and `sshsigopt_parse`
//! reads it: `cert-authority`, `namespaces="…"`, `valid-after="…"`,
//! `valid-before="…"`, separated by commas.
//!
//! Invariant: an `Err` carries OpenSSH's own reason words, so a skipped
//! line can be explained as ssh-keygen would.

use super::time::parse_absolute_time;
use jiff::tz::TimeZone;

/// The options of one line; a time of 0 means the option is absent, as
/// in OpenSSH, which rejects 0 as a value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `cert-authority`: the key signs certificates, not messages.
    pub ca: bool,
    /// The `namespaces` pattern list, unescaped.
    pub namespaces: Option<Vec<u8>>,
    /// `valid-after`, Unix seconds.
    pub valid_after: u64,
    /// `valid-before`, Unix seconds.
    pub valid_before: u64,
}

/// Returns the length of the options field at the start of `cp`: up to the
/// first space or tab outside double quotes, with `\"` escaping a quote.
/// `None` for an unterminated quote.
pub fn advance_past_options(cp: &[u8]) -> Option<usize> {
    let mut quoted = false;
    let mut i = 0;
    while i < cp.len() && (quoted || (cp[i] != b' ' && cp[i] != b'\t')) {
        if cp[i] == b'\\' && cp.get(i + 1) == Some(&b'"') {
            i += 1;
        } else if cp[i] == b'"' {
            quoted = !quoted;
        }
        i += 1;
    }
    (!(i >= cp.len() && quoted)).then_some(i)
}

/// Parses the options field; `Err` holds OpenSSH's reason.
pub fn parse(opts: &[u8], local: &TimeZone) -> Result<Options, &'static str> {
    let mut ret = Options::default();
    let mut o = opts;
    while let Some(&c) = o.first() {
        if c == b' ' || c == b'\t' {
            break;
        }
        if let Some(rest) = flag(o, b"cert-authority") {
            ret.ca = true;
            o = rest;
        } else if let Some(rest) = named(o, b"namespaces") {
            if ret.namespaces.is_some() {
                return Err("multiple \"namespaces\" clauses");
            }
            let (value, rest) = dequote(rest)?;
            ret.namespaces = Some(value);
            o = rest;
        } else if let Some(rest) = named(o, b"valid-after") {
            if ret.valid_after != 0 {
                return Err("multiple \"valid-after\" clauses");
            }
            let (value, rest) = dequote(rest)?;
            ret.valid_after = time(&value, local).ok_or("invalid \"valid-after\" time")?;
            o = rest;
        } else if let Some(rest) = named(o, b"valid-before") {
            if ret.valid_before != 0 {
                return Err("multiple \"valid-before\" clauses");
            }
            let (value, rest) = dequote(rest)?;
            ret.valid_before = time(&value, local).ok_or("invalid \"valid-before\" time")?;
            o = rest;
        }
        match o.first() {
            None | Some(b' ' | b'\t') => break,
            Some(b',') => {}
            Some(_) => return Err("unknown key option"),
        }
        o = &o[1..];
        if o.is_empty() {
            return Err("unexpected end-of-options");
        }
    }
    if ret.valid_after != 0 && ret.valid_before != 0 && ret.valid_before <= ret.valid_after {
        return Err("\"valid-before\" time is before \"valid-after\"");
    }
    Ok(ret)
}

fn time(value: &[u8], local: &TimeZone) -> Option<u64> {
    parse_absolute_time(value, local)
        .and_then(|t| u64::try_from(t).ok())
        .filter(|&t| t != 0)
}

/// `opt_flag` without negation: a case-insensitive prefix match.
fn flag<'a>(o: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let head = o.get(..name.len())?;
    head.eq_ignore_ascii_case(name).then(|| &o[name.len()..])
}

/// `opt_match`: the name, case-insensitive, then `=`.
fn named<'a>(o: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    flag(o, name)?.strip_prefix(b"=")
}

/// `opt_dequote`: a double-quoted value in which `\"` stands for `"`.
fn dequote(o: &[u8]) -> Result<(Vec<u8>, &[u8]), &'static str> {
    let mut s = o.strip_prefix(b"\"").ok_or("missing start quote")?;
    let mut value = Vec::new();
    loop {
        match s {
            [] => return Err("missing end quote"),
            [b'"', rest @ ..] => return Ok((value, rest)),
            [b'\\', b'"', rest @ ..] => {
                value.push(b'"');
                s = rest;
            }
            [c, rest @ ..] => {
                value.push(*c);
                s = rest;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Options, &'static str> {
        parse(s.as_bytes(), &TimeZone::UTC)
    }

    #[test]
    fn reads_each_option_case_insensitively() {
        let o = p("CERT-AUTHORITY,Namespaces=\"git,gov*\",valid-after=\"20260101Z\",VALID-BEFORE=\"20270101Z\"").unwrap();
        assert!(o.ca);
        assert_eq!(o.namespaces.as_deref(), Some(&b"git,gov*"[..]));
        assert_eq!(o.valid_after, 1_767_225_600);
        assert_eq!(o.valid_before, 1_798_761_600);
        assert_eq!(
            p("namespaces=\"a\\\"b\"").unwrap().namespaces.unwrap(),
            b"a\"b"
        );
        assert_eq!(p("").unwrap(), Options::default());
        assert!(
            p(",,namespaces=\"git\"").is_ok(),
            "empty clauses are skipped"
        );
    }

    #[test]
    fn refuses_what_openssh_refuses_with_its_reasons() {
        assert_eq!(p("namespaces=git"), Err("missing start quote"));
        assert_eq!(p("namespaces=\"git"), Err("missing end quote"));
        assert_eq!(p("no-touch-required"), Err("unknown key option"));
        assert_eq!(p("cert-authorityx"), Err("unknown key option"));
        assert_eq!(p("namespaces=\"git\"x"), Err("unknown key option"));
        assert_eq!(p("namespaces=\"git\","), Err("unexpected end-of-options"));
        assert_eq!(
            p("namespaces=\"a\",namespaces=\"b\""),
            Err("multiple \"namespaces\" clauses")
        );
        assert_eq!(
            p("valid-before=\"20270101Z\",valid-before=\"20280101Z\""),
            Err("multiple \"valid-before\" clauses")
        );
        assert_eq!(
            p("valid-after=\"20270101Z\",valid-before=\"20270101Z\""),
            Err("\"valid-before\" time is before \"valid-after\"")
        );
        assert_eq!(
            p("valid-after=\"19700101Z\""),
            Err("invalid \"valid-after\" time")
        );
        assert_eq!(
            p("valid-before=\"2027\""),
            Err("invalid \"valid-before\" time")
        );
    }

    #[test]
    fn the_options_field_ends_at_a_blank_outside_quotes() {
        assert_eq!(advance_past_options(b"a=\"x y\" key"), Some(7));
        assert_eq!(advance_past_options(b"a=\"x\\\" y\" key"), Some(9));
        assert_eq!(advance_past_options(b"a=\"x y"), None);
        assert_eq!(advance_past_options(b"abc"), Some(3));
    }
}
