//! Requirement ids as OSCAL tokens, and back.
//!
//! OSCAL control ids are tokens, `^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`;
//! requirement ids are free text (`GOVERN 1.1`, `Art. 4`). The rule is
//! written so that the common all-capitals ids read as NIST writes its own
//! (`GOVERN 1.1` -> `govern-1.1`), and so that every id has exactly one
//! token and every token names back exactly one id ([`requirement`]):
//!
//! - an ASCII letter has its case swapped (`A` -> `a`, `a` -> `A`);
//! - ASCII digits and `.` stay as they are, but a token starts with a
//!   letter or `_`, so a leading one is written after `_` (`1.1` -> `_1.1`);
//! - a space becomes `-`, and so a `-` is written `_-` and a `_` is `__`;
//! - any other character is `_u`, its code point in lowercase hexadecimal,
//!   and `.` (`:` -> `_u3a.`, `é` -> `_ue9.`), so every token is ASCII;
//! - the empty id is `_`.

/// The OSCAL token of a requirement id.
pub fn token(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 2);
    if id.is_empty() {
        out.push('_');
    }
    for (i, c) in id.chars().enumerate() {
        match c {
            'A'..='Z' | 'a'..='z' => out.push((c as u8 ^ 0x20) as char),
            '0'..='9' | '.' => {
                if i == 0 {
                    out.push('_');
                }
                out.push(c);
            }
            ' ' => out.push('-'),
            '-' | '_' => {
                out.push('_');
                out.push(c);
            }
            _ => {
                out.push_str("_u");
                out.push_str(&format!("{:x}", c as u32));
                out.push('.');
            }
        }
    }
    out
}

/// The requirement id a token names, or `None` when no id has this token.
pub fn requirement(token: &str) -> Option<String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'A'..='Z' | 'a'..='z' => out.push((c as u8 ^ 0x20) as char),
            '0'..='9' | '.' => out.push(c),
            '-' => out.push(' '),
            '_' => match chars.next() {
                // Only the token of the empty id ends in a lone `_`.
                None if token == "_" => {}
                Some(c @ ('_' | '-' | '.' | '0'..='9')) => out.push(c),
                Some('u') => {
                    let mut hex = String::new();
                    loop {
                        match chars.next()? {
                            '.' => break,
                            h @ ('0'..='9' | 'a'..='f') if hex.len() < 6 => hex.push(h),
                            _ => return None,
                        }
                    }
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(out)
}

/// Whether `s` matches OSCAL's token pattern.
pub fn is_token(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphabetic() || c.is_numeric() || matches!(c, '.' | '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_read_as_nist_writes_its_own_ids() {
        for (id, want) in [
            ("GOVERN 1.1", "govern-1.1"),
            ("GV.RM-06", "gv.rm_-06"),
            ("ASI01", "asi01"),
            ("Art. 4", "aRT.-4"),
            ("1.1", "_1.1"),
            ("a_b", "A__B"),
            ("x:y", "X_u3a.Y"),
            ("é", "_ue9."),
            ("", "_"),
        ] {
            assert_eq!(token(id), want, "{id:?}");
            assert!(is_token(want), "{want}");
            assert_eq!(requirement(want).as_deref(), Some(id), "{want}");
        }
    }

    #[test]
    fn hostile_ids_round_trip_as_tokens() {
        for id in [
            "\n",
            "-",
            "_",
            "__--  ",
            ".",
            "..1",
            "0",
            "GV.RM 06",
            "GV.RM-06",
            "🦀 A",
            "\u{10ffff}",
            "_u3a.",
            "a\"b\\c",
        ] {
            let t = token(id);
            assert!(is_token(&t), "{id:?} -> {t}");
            assert!(t.is_ascii(), "{t}");
            assert_eq!(requirement(&t).as_deref(), Some(id), "{t}");
        }
        // Distinct ids that a plain lowercase would merge stay apart.
        assert_ne!(token("A 1"), token("A-1"));
        assert_ne!(token("a-1"), token("A-1"));
    }

    #[test]
    fn malformed_tokens_name_no_requirement() {
        for t in [
            "_",
            "a_",
            "_u",
            "_u3a",
            "_uzz.",
            "_ud800.",
            "_u1234567.",
            "a b",
            "_x",
        ] {
            if t == "_" {
                assert_eq!(requirement(t).as_deref(), Some(""));
            } else {
                assert_eq!(requirement(t), None, "{t}");
            }
        }
    }
}
